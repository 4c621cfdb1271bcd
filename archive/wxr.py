"""A WordPress export (WXR 1.0 to 1.2, as Tools → Export writes it), read as a stream:
authors, terms and items one at a time, each forgotten once read, whatever the file's size.
Parsed by defusedxml: a file that declares entities (billion laughs, external files) is
refused, never expanded."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from .errors import NotAnExport, xml_events

# The largest text one element may hold: a post's body beyond it is skipped, reported.
MAX_TEXT = 2_000_000


def _prefix(uri: str) -> str:
    if "excerpt" in uri:  # before "wp": its address is WordPress's export one + "excerpt/"
        return "excerpt"
    if "wordpress.org/export" in uri:
        return "wp"
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content"
    if "purl.org/dc/elements" in uri:
        return "dc"
    return ""


def _name(tag: str) -> str:
    """ "{https://wordpress.org/export/1.2/}post_id" → "wp:post_id"."""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        prefix = _prefix(uri)
        return f"{prefix}:{local}" if prefix else local
    return tag


def _text(element, name, default=""):
    for child in element:
        if _name(child.tag) == name:
            return (child.text or "").strip() if name not in TEXT_KEPT else (child.text or "")
    return default


TEXT_KEPT = {"content:encoded", "excerpt:encoded", "wp:comment_content"}


def parse_date(gmt: str, local: str, zone) -> datetime | None:
    """The GMT date when WordPress wrote one (drafts have 0000-00-00), else the local one
    in the site's time zone."""
    for value, in_utc in ((gmt, True), (local, False)):
        if value and not value.startswith("0000"):
            try:
                naive = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return naive.replace(tzinfo=UTC) if in_utc else timezone.make_aware(naive, zone)
    return None


@dataclass
class Author:
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass
class Term:
    domain: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""


@dataclass
class WPComment:
    id: str
    author: str
    email: str
    date_gmt: str
    date: str
    content: str
    approved: str
    type: str
    parent: str


@dataclass
class Item:
    id: str
    type: str
    status: str
    title: str
    link: str
    guid: str
    slug: str
    content: str
    excerpt: str
    date_gmt: str
    date: str
    creator: str
    password: str
    comment_status: str
    attachment_url: str
    terms: list[Term] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)
    too_long: bool = False


def _author(el) -> Author:
    return Author(
        login=_text(el, "wp:author_login"),
        email=_text(el, "wp:author_email"),
        display_name=_text(el, "wp:author_display_name"),
        first_name=_text(el, "wp:author_first_name"),
        last_name=_text(el, "wp:author_last_name"),
    )


def _term(el, kind) -> Term:
    if kind == "wp:category":
        return Term(
            "category",
            _text(el, "wp:category_nicename"),
            _text(el, "wp:cat_name"),
            _text(el, "wp:category_parent"),
        )
    return Term("post_tag", _text(el, "wp:tag_slug"), _text(el, "wp:tag_name"))


def _item(el) -> Item:
    item = Item(
        id=_text(el, "wp:post_id"),
        type=_text(el, "wp:post_type"),
        status=_text(el, "wp:status"),
        title=_text(el, "title"),
        link=_text(el, "link"),
        guid=_text(el, "guid"),
        slug=_text(el, "wp:post_name"),
        content=_text(el, "content:encoded"),
        excerpt=_text(el, "excerpt:encoded").strip(),
        date_gmt=_text(el, "wp:post_date_gmt"),
        date=_text(el, "wp:post_date"),
        creator=_text(el, "dc:creator"),
        password=_text(el, "wp:post_password"),
        comment_status=_text(el, "wp:comment_status"),
        attachment_url=_text(el, "wp:attachment_url"),
    )
    if len(item.content) > MAX_TEXT:
        item.content, item.too_long = "", True
    for child in el:
        name = _name(child.tag)
        if name == "category":
            domain = child.get("domain", "category")
            item.terms.append(Term(domain, child.get("nicename", ""), (child.text or "").strip()))
        elif name == "wp:postmeta":
            item.meta[_text(child, "wp:meta_key")] = _text(child, "wp:meta_value")
        elif name == "wp:comment":
            item.comments.append(
                WPComment(
                    id=_text(child, "wp:comment_id"),
                    author=_text(child, "wp:comment_author"),
                    email=_text(child, "wp:comment_author_email"),
                    date_gmt=_text(child, "wp:comment_date_gmt"),
                    date=_text(child, "wp:comment_date"),
                    content=_text(child, "wp:comment_content")[:MAX_TEXT],
                    approved=_text(child, "wp:comment_approved"),
                    type=_text(child, "wp:comment_type"),
                    parent=_text(child, "wp:comment_parent", "0"),
                )
            )
    return item


def read(path):
    """Yield ("site", {...}) once, then ("author", Author), ("term", Term) and ("item", Item)
    in the file's order. NotAnExport for a file that is not a WordPress export, is cut
    short, or declares entities."""
    depth, channel, site, seen_version = 0, None, {}, False
    for event, el in xml_events(path):
        if event == "start":
            depth += 1
            if depth == 1 and _name(el.tag) != "rss":
                raise NotAnExport("not a WordPress export (no <rss> root)")
            if depth == 2 and _name(el.tag) == "channel":
                channel = el
            continue
        depth -= 1
        if depth != 2 or channel is None:
            continue
        name = _name(el.tag)
        if name == "wp:wxr_version":
            seen_version = True
        elif name in {"wp:base_site_url", "wp:base_blog_url", "language", "title", "link"}:
            site[name] = (el.text or "").strip()
        elif name in {"wp:author", "wp:category", "wp:tag", "item"}:
            if not seen_version:
                raise NotAnExport("not a WordPress export (no wp:wxr_version)")
            if "site" not in site:
                site["site"] = True
                yield "site", site
            if name == "wp:author":
                yield "author", _author(el)
            elif name == "item":
                yield "item", _item(el)
            else:
                yield "term", _term(el, name)
        channel.remove(el)  # read: forgotten
    if not seen_version:
        raise NotAnExport("not a WordPress export (no wp:wxr_version)")
    if "site" not in site:
        yield "site", site
