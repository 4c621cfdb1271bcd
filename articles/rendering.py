"""Story bodies. Journalists write them in the admin's rich-text editor (ProseMirror, by
django-prose-editor), which sends clean HTML: paragraphs, intertitles, bold, italic, links,
lists, quotations and figures. What is stored is that HTML through an allow-list
(clean_body); what readers get is rendered from it once, on save (render_body): the
quotation's attribution marked, French typography, the allow-list again, and the figures
the text places drawn from their images.

Markdown stays as an import format (the archive import, the demo, a body sent without
markup): markdown_to_html turns it into the same HTML the editor writes, so a story
written in Markdown reads exactly as it did (migration 0027 did it for every stored story).
"""

import re
import xml.etree.ElementTree as etree
from html import unescape

import markdown
import nh3
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.html import format_html, strip_tags
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from newsroom.typography import french, french_html

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "blockquote",
    "footer",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "br",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A quotation's last line names the speaker when it starts with a dash.
ATTRIBUTION_DASHES = ("—", "–", "--", "- ")


class _NewsroomTreeprocessor(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            # The page has one h1, the title: a body's headings sit below it.
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in {"h4", "h5", "h6"}:
                element.tag = "h3"
        for quote in root.iter("blockquote"):
            _mark_attribution(quote)


def _strip_dash(text):
    text = text.lstrip()
    for dash in ATTRIBUTION_DASHES:
        if text.startswith(dash):
            return text[len(dash) :].lstrip()
    return None


def _mark_attribution(quote):
    """Turn a quotation's dash-led last line into its <footer>."""
    paragraphs = [child for child in quote if child.tag == "p"]
    if not paragraphs or quote[-1] is not paragraphs[-1]:
        return
    last = paragraphs[-1]
    # The attribution as a paragraph of its own, after a blank "> " line.
    if len(paragraphs) > 1 and last.text and "\n" not in last.text:
        rest = _strip_dash(last.text)
        if rest is not None:
            last.tag, last.text = "footer", rest
            return
    # The attribution on the quotation paragraph's last line.
    children = list(last)
    for index in range(len(children) - 1, -2, -1):
        text = last.text if index == -1 else children[index].tail
        if text and "\n" in text:
            break
    else:
        return
    before, _, after = text.rpartition("\n")
    rest = _strip_dash(after)
    if rest is None:
        return
    footer = etree.SubElement(quote, "footer")
    footer.text = rest
    for child in children[index + 1 :]:
        last.remove(child)
        footer.append(child)
    if index == -1:
        last.text = before
    else:
        children[index].tail = before


class NewsroomExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_NewsroomTreeprocessor(md), "newsroom", 5)


_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLOCK_END = re.compile(r"</(?:p|h2|h3|li|blockquote|footer|pre)>|<br\s*/?>")


def plain_text(html: str) -> str:
    """A story body's text without markup: one line per block (paragraph, intertitle,
    quotation, list item), so an excerpt never runs an intertitle into the next text."""
    lines = strip_tags(_BLOCK_END.sub("\n", html)).split("\n")
    # White space collapsed, but not the no-break spaces of French typography.
    lines = (_SPACES.sub(" ", unescape(line)).strip() for line in lines)
    return "\n".join(line for line in lines if line)


# A paragraph of its own "[[image 12]]" places an image of the story (BodyImage) in the
# rendering; French typography may have put a thin space in a long number. The stored HTML
# has a <figure data-image="12"> there (the editor's figure); Markdown has the line.
_IMAGE_LINE = re.compile(r"<p>\[\[image ([\u202f\u00a0 ]*\d[\d\u202f\u00a0 ]*)\]\]</p>")
_IMAGE_SOURCE_LINE = re.compile(r"^[ \t]*\[\[image (\d+)\]\][ \t\r]*$", re.M)
_FIGURE = re.compile(r"<figure\b[^>]*\bdata-image=\"(\d+)\"[^>]*>")


def is_html(source: str) -> bool:
    """Whether a body is the editor's HTML (it starts with a tag), not Markdown."""
    return (source or "").lstrip().startswith("<")


def image_ids(source: str) -> list[int]:
    """The images a body places, in order."""
    if is_html(source):
        return [int(n) for n in _FIGURE.findall(source)]
    return [int(n) for n in _IMAGE_SOURCE_LINE.findall(source or "")]


def body_as_text(source: str) -> str:
    """A stored body as text, a blank line between blocks, each image as "[image 12]":
    what the comparison of two revisions reads."""
    html = source if is_html(source) else markdown_to_html(source)
    html = _FIGURE.sub(lambda m: f"<p>[image {m[1]}]</p><figure>", html)
    return plain_text(nh3.clean(html, tags=ALLOWED_TAGS, attributes={})).replace("\n", "\n\n")


def figure_placeholder(image_id) -> str:
    """How the stored HTML places an image of the story: the editor's figure."""
    return f'<figure data-image="{int(image_id)}"></figure>'


def figure_html(image, language) -> str:
    """An image in the text, as the lead image is shown: WebP renditions for every screen,
    its description, caption and credit."""
    if not image.renditions:
        return ""
    renditions = sorted(image.renditions)
    width, height, src = min(renditions, key=lambda r: abs(r[0] - 960))
    with translation.override(language):
        credit = image.credit_line(language)
    caption = image.caption.strip()
    if language == "fr":
        caption = french(caption)
    figcaption = (
        format_html(
            "<figcaption>{}{}</figcaption>",
            caption,
            format_html(' <span class="story__credit">{}</span>', credit) if credit else "",
        )
        if caption or credit
        else ""
    )
    return format_html(
        '<figure class="story__figure"><img src="{}" srcset="{}" '
        'sizes="(min-width: 64rem) 46rem, 100vw" width="{}" height="{}" alt="{}" '
        'loading="lazy" decoding="async">{}</figure>',
        default_storage.url(src),
        ", ".join(f"{default_storage.url(name)} {w}w" for w, _h, name in renditions),
        width,
        height,
        image.alt,
        figcaption,
    )


# What the stored body may hold: what readers may get, and the figures placing images.
BODY_TAGS = ALLOWED_TAGS | {"figure"}
BODY_ATTRIBUTES = {"a": {"href", "title"}, "figure": {"data-image"}}


def clean_body(html: str) -> str:
    """The body as stored, whoever sent it (the editor, a paste, an import): the allow-list
    keeps the text's structure and drops scripts, event handlers, styles, classes and
    links other than http(s) and mailto. An empty editor's lone paragraph is no body."""
    html = nh3.clean(
        html or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return "" if re.fullmatch(r"\s*(?:<p>(?:\s|<br>)*</p>\s*)*", html) else html


def stored_body(source: str) -> str:
    """What a story keeps as its body: the editor's HTML through the allow-list, or
    Markdown (an import, an API) made that HTML."""
    return clean_body(source) if is_html(source) else markdown_to_html(source)


class _ImportTreeprocessor(_NewsroomTreeprocessor):
    """Markdown as the editor would have written it: the attribution stays a paragraph
    of the quotation ("— Name", marked at rendering as any typed in the editor), and an
    image line is the editor's figure."""

    def run(self, root):
        super().run(root)
        for quote in root.iter("blockquote"):
            for footer in quote.findall("footer"):
                footer.tag = "p"
                footer.text = f"— {footer.text or ''}"
        for paragraph in root.iter("p"):
            match = re.fullmatch(r"\[\[image (\d+)\]\]", (paragraph.text or "").strip())
            if match and not len(paragraph):
                paragraph.tag, paragraph.text = "figure", None
                paragraph.set("data-image", match[1])


class _ImportExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_ImportTreeprocessor(md), "newsroom-import", 5)


def markdown_to_html(source: str) -> str:
    """A Markdown body (an import, the demo, an older story) as the editor's HTML."""
    html = markdown.markdown(
        source or "", extensions=[_ImportExtension(), "sane_lists"], output_format="html"
    )
    return clean_body(html)


def _mark_quotes_and_figures(html: str) -> str:
    """The stored HTML as the page shows it, before typography and the allow-list: a
    quotation's last paragraph led by a dash (or its last line, after a line break) is its
    attribution, a <footer>; h1 and h4–h6 (a paste, an import) sit under the title as h2
    and h3; each figure is the line the figures are drawn from."""
    soup = BeautifulSoup(html, "html.parser")
    for heading in soup.find_all(["h1", "h4", "h5", "h6"]):
        heading.name = "h2" if heading.name == "h1" else "h3"
    for quote in soup.find_all("blockquote"):
        _mark_attribution_html(soup, quote)
    for figure in soup.find_all("figure"):
        if not figure.get("data-image", "").isdigit():  # places no image: nothing to show
            figure.decompose()
            continue
        line = soup.new_tag("p")
        line.string = f"[[image {figure.get('data-image', '')}]]"
        figure.replace_with(line)
    return str(soup)


def _mark_attribution_html(soup, quote):
    children = [c for c in quote.children if getattr(c, "name", None) or str(c).strip()]
    paragraphs = [c for c in children if getattr(c, "name", None) == "p"]
    if not paragraphs or children[-1] is not paragraphs[-1]:
        return
    last = paragraphs[-1]
    first = last.contents[0] if last.contents else None
    # The attribution as a paragraph of its own.
    if len(paragraphs) > 1 and isinstance(first, str) and "\n" not in first:
        rest = _strip_dash(first)
        if rest is not None and not last.find("br"):
            last.name = "footer"
            first.replace_with(rest)
            return
    # The attribution on the paragraph's last line, after a line break.
    breaks = last.find_all("br", recursive=False)
    if not breaks:
        return
    after = breaks[-1].next_sibling
    if not isinstance(after, str) or (rest := _strip_dash(after)) is None:
        return
    footer = soup.new_tag("footer")
    footer.append(rest)
    for sibling in list(after.next_siblings):
        footer.append(sibling.extract())
    after.extract()
    breaks[-1].extract()
    quote.append(footer)


def render_body(source: str, *, french_typography=False, images=None) -> str:
    """The stored body (or Markdown) as readers get it, in French typography if asked,
    through the allow-list: nothing else reaches a page. The images it places (a mapping of
    id to BodyImage) are put in after the allow-list, from their own fields, escaped; an
    unknown one is left out."""
    html = source if is_html(source) else markdown_to_html(source)
    return for_readers(_mark_quotes_and_figures(html), french_typography, images)


def for_readers(html: str, french_typography=False, images=None) -> str:
    """The last steps of every rendering (Markdown's before the editor too): French
    typography, the readers' allow-list, then the figures drawn from their images."""
    if french_typography:
        html = french_html(html)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    language = "fr" if french_typography else "en"

    def figure(match):
        image = (images or {}).get(int(re.sub(r"\D", "", match[1])))
        return figure_html(image, language) if image else ""

    return _IMAGE_LINE.sub(figure, html)
