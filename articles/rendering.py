"""Story bodies: Markdown written in the admin, rendered once on save, sanitised."""

import re
import xml.etree.ElementTree as etree
from html import unescape

import markdown
import nh3
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


# A paragraph of its own "[[image 12]]" places an image of the story (BodyImage); French
# typography may have put a thin space in a long number.
_IMAGE_LINE = re.compile(r"<p>\[\[image ([\d\u202f\u00a0 ]+)\]\]</p>")
_IMAGE_SOURCE_LINE = re.compile(r"^[ \t]*\[\[image (\d+)\]\][ \t\r]*$", re.M)


def image_ids(source: str) -> list[int]:
    """The images a body places, in order."""
    return [int(n) for n in _IMAGE_SOURCE_LINE.findall(source or "")]


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


def render_body(source: str, *, french_typography=False, images=None) -> str:
    """Markdown to HTML (in French typography if asked), then through an allow-list:
    nothing else reaches a page. The images it places (a mapping of id to BodyImage) are
    put in after the allow-list, from their own fields, escaped; an unknown one is left out."""
    html = markdown.markdown(
        source or "",
        extensions=[NewsroomExtension(), "sane_lists"],
        output_format="html",
    )
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
    return _IMAGE_LINE.sub(
        lambda m: (
            figure_html(image, language)
            if (image := (images or {}).get(int(re.sub(r"\D", "", m[1]))))
            else ""
        ),
        html,
    )
