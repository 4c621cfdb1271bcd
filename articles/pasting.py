"""Text pasted from a word processor, as the body's HTML. Word, LibreOffice and Google
Docs put HTML on the clipboard, each its own way; what a story keeps of it: paragraphs,
intertitles, bold and italic, links and lists. Styles, fonts, spans, classes, comments
(the program's and the reviewers'), tracked deletions and images go. The result goes
through the body's own allow-list like anything typed. (Cleaned through Markdown: what the
converter writes is exactly what a story may hold, no more.)"""

import re

from bs4 import BeautifulSoup, Comment
from markdownify import MarkdownConverter

from .rendering import markdown_to_html

# Word's "downlevel-revealed" conditionals (<![if !supportLists]> … <![endif]>), which no
# HTML parser reads as markup.
_CONDITIONAL = re.compile(r"<!\[(?:end)?if[^\]]*\]>", re.I)
_DROPPED = ["style", "script", "meta", "title", "head", "xml", "del", "img", "o:p", "link"]
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*italic", re.I)
_WORD_LIST = re.compile(r"mso-list\s*:\s*l\d+\s+level(\d+)", re.I)
_ORDERED_MARK = re.compile(r"^\s*(?:\d+|[a-z]|[ivxlc]+)[.)]\s*$", re.I)
MAX_PASTE = 2_000_000


class _Converter(MarkdownConverter):
    def convert_hN(self, n, el, text, parent_tags):  # noqa: N802 (markdownify's name)
        """Intertitles: ## and ### (the page's one h1 is the story's title)."""
        return super().convert_hN(2 if n <= 2 else 3, el, text, parent_tags)


def _google_docs(soup):
    """Google Docs marks bold and italic on spans' styles, inside a <b> that is not bold."""
    for wrapper in soup.find_all("b", id=re.compile(r"^docs-internal-guid")):
        wrapper.unwrap()
    for span in soup.find_all("span", style=True):
        style = span["style"]
        if _ITALIC.search(style):
            span.wrap(soup.new_tag("em"))
        if _BOLD.search(style):
            span.wrap(soup.new_tag("strong"))


def _word_lists(soup):
    """Word writes a list as paragraphs (MsoListParagraph, "mso-list" in their style) that
    begin with the bullet or number as text: made a real list again."""
    current, kind = None, None
    for paragraph in soup.find_all("p"):
        match = _WORD_LIST.search(paragraph.get("style", ""))
        if not match:
            if paragraph.find_previous_sibling() is not current:
                current = None
            continue
        mark = paragraph.find("span", style=re.compile(r"mso-list\s*:\s*Ignore", re.I))
        mark_text = mark.get_text(" ", strip=True) if mark else ""
        if mark:
            mark.decompose()
        wanted = "ol" if _ORDERED_MARK.match(mark_text) else "ul"
        previous = paragraph.find_previous_sibling()
        if current is None or previous is not current or kind != wanted:
            current, kind = soup.new_tag(wanted), wanted
            paragraph.insert_before(current)
        item = soup.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        current.append(item)
        paragraph.decompose()


def clipboard_to_markdown(html: str) -> str:
    """A word processor's clipboard HTML as the story body's Markdown."""
    soup = BeautifulSoup(_CONDITIONAL.sub("", html[:MAX_PASTE]), "html.parser")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for name in _DROPPED:
        for element in soup.find_all(name):
            element.decompose()
    # Reviewers' comments in Word: their anchors in the text and their bodies at the end.
    for element in soup.find_all(
        class_=re.compile(r"msocom|MsoCommentReference|MsoCommentText", re.I)
    ):
        element.decompose()
    for element in soup.find_all(id=re.compile(r"^_com_\d+")):
        element.decompose()
    _google_docs(soup)
    _word_lists(soup)
    for title in soup.find_all("p", class_=re.compile(r"^MsoTitle", re.I)):
        title.name = "h2"
    for element in soup.find_all(True):
        kept = {"href": element["href"]} if element.name == "a" and element.get("href") else {}
        element.attrs = kept
    markdown = _Converter(
        heading_style="ATX",
        bullets="-",
        strip=["span", "font", "div", "ins", "u", "body", "html", "section", "article"],
        escape_misc=False,
    ).convert(str(soup))
    markdown = markdown.replace("\u00a0", " ")
    markdown = re.sub(r"[ \t]+\n", "\n", markdown)
    markdown = re.sub(r"\*\*\s*\*\*|(?<!\*)\*\s+\*(?!\*)", "", markdown)  # empty bold or italic
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def clipboard_to_html(html: str) -> str:
    """A word processor's clipboard HTML as the body's HTML, for the editor to insert."""
    return markdown_to_html(clipboard_to_markdown(html))
