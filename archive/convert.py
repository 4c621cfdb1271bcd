"""WordPress's HTML as the site writes it: post bodies to the site's Markdown (shortcodes
and blocks turned into figures, links or nothing), readers' comments to plain text."""

import html
import re
from dataclasses import dataclass, field

import nh3
from markdownify import MarkdownConverter

# Tags WordPress leaves as blocks: wpautop does not wrap them in a paragraph.
_BLOCKS = (
    "address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|form|h[1-6]"
    "|header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_START = re.compile(rf"^\s*<(?:{_BLOCKS})\b", re.I)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
_MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b[^>]*-->", re.I)
_SHORTCODE = re.compile(
    r"\[(?P<name>[a-zA-Z_][\w-]*)(?P<attrs>[^\]]*)\](?:(?P<inner>.*?)\[/(?P=name)\])?", re.S
)
_ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_BARE_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$", re.M)


@dataclass
class Figure:
    """An image the body shows: where from, what it shows, its caption."""

    url: str
    alt: str = ""
    caption: str = ""
    title: str = ""


@dataclass
class Body:
    markdown: str
    figures: list[Figure] = field(default_factory=list)
    # Shortcodes that had no counterpart and were dropped (their text kept): for the report.
    dropped: list[str] = field(default_factory=list)


def _attrs(text: str) -> dict:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(text or "")}


def _img_attrs(tag: str) -> dict:
    return _attrs(tag[4:-1])


def figure_marker(index: int) -> str:
    """Where a figure goes in the body until its image is stored: a paragraph of its own."""
    return f"\n\n⟦figure {index}⟧\n\n"


_FIGURE_LINE = re.compile(r"^⟦figure (\d+)⟧$", re.M)


def place_figures(markdown: str, placed: dict[int, str]) -> str:
    """Each figure marker (⟦figure 0⟧, which no shortcode or Markdown reads) replaced by its
    image's figure (<figure data-image="12"></figure>, a block of its own), or removed when
    its image could not be stored."""
    text = _FIGURE_LINE.sub(lambda m: f"\n\n{placed.get(int(m[1]), '')}\n\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _autop(text: str) -> str:
    """WordPress's wpautop, simplified: text between blank lines is a paragraph (its line
    breaks kept), unless it is already a block of HTML."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or _FIGURE_LINE.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


class _Converter(MarkdownConverter):
    """markdownify, with what the site's body has: ## intertitles, "> " quotations."""

    def convert_img(self, el, text, parent_tags):
        return ""  # images were taken out as figures before

    def convert_table(self, el, text, parent_tags):
        """The site's body has no tables: each row becomes a line of a list, its cells
        separated by " · " (a table of figures stays readable)."""
        rows = []
        for row in el.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
            cells = [c for c in cells if c]
            if cells:
                rows.append("- " + " · ".join(cells))
        return "\n\n" + "\n".join(rows) + "\n\n" if rows else ""


def to_markdown(content: str) -> Body:
    """A post's content (classic editor or blocks, shortcodes included) as the site's body."""
    body = Body(markdown="")
    text = _MORE.sub("", _BLOCK_COMMENT.sub("", content or ""))

    def figure(url, alt="", caption="", title=""):
        if not url:
            return ""
        body.figures.append(Figure(url=url, alt=alt.strip(), caption=caption.strip(), title=title))
        return figure_marker(len(body.figures) - 1)

    def shortcode(match):
        name, attrs, inner = match["name"].lower(), _attrs(match["attrs"]), match["inner"] or ""
        if name in {"caption", "wp_caption"}:
            img = _IMG.search(inner)
            caption = attrs.get("caption") or nh3.clean(_IMG.sub("", inner), tags=set())
            if img:
                found = _img_attrs(img[0])
                return figure(found.get("src", ""), found.get("alt", ""), html.unescape(caption))
            return inner
        if name == "gallery":
            # The gallery's images are attachments named by id: each becomes a figure
            # (resolved by the importer, which knows the attachments).
            ids = [i for i in re.split(r"[,\s]+", attrs.get("ids", "")) if i.isdigit()]
            return "".join(figure(f"attachment:{i}") for i in ids)
        if name in {"embed", "video", "audio", "playlist"}:
            url = (
                inner.strip()
                or attrs.get("src", "")
                or attrs.get("mp4", "")
                or attrs.get("mp3", "")
            )
            return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>' if url else ""
        body.dropped.append(name)
        return inner

    # Shortcodes may nest one level (a caption in a column): twice is enough.
    for _ in range(2):
        text = _SHORTCODE.sub(shortcode, text)
    # Images left in the text (linked or not) become figures of their own.
    text = _IMG.sub(
        lambda m: figure(
            _img_attrs(m[0]).get("src", ""),
            html.unescape(_img_attrs(m[0]).get("alt", "")),
            title=html.unescape(_img_attrs(m[0]).get("title", "")),
        ),
        text,
    )
    # A URL alone on its line is an embed in WordPress (a video, a post): a link here.
    text = _BARE_URL_LINE.sub(lambda m: f'<p><a href="{m[1]}">{m[1]}</a></p>', text)
    # Scripts and styles go with their content, whatever converts the rest.
    text = nh3.clean(
        _autop(text),
        tags=nh3.ALLOWED_TAGS
        | {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "hr"},
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    markdown = _Converter(heading_style="ATX", bullets="-", strip=["span", "div"]).convert(text)
    # Links left empty by a removed image ("[](…)") say nothing: dropped.
    markdown = re.sub(r"\[\s*\]\([^)]*\)", "", markdown)
    body.markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return body


def comment_text(content: str, limit: int) -> tuple[str, bool]:
    """A reader's comment as the site keeps them: plain text (tags gone, scripts and styles
    with their content, entities read), at most `limit` characters; and whether it was cut."""
    text = content or ""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.I)
    text = html.unescape(nh3.clean(text, tags=set()))
    text = re.sub(r"[ \t]+\n", "\n", text.replace("\r\n", "\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if len(text) > limit:
        return text[: limit - 1].rstrip() + "…", True
    return text, False
