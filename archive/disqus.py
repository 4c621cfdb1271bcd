"""A Disqus export (disqus.com → Admin → Export), read as a stream: ("thread", Thread) and
("post", Post) in the file's order, each forgotten once read. Parsed by defusedxml: a file
that declares entities is refused, never expanded."""

from dataclasses import dataclass
from datetime import datetime

from .errors import NotAnExport, xml_events
from .wxr import MAX_TEXT

DSQ = "{http://disqus.com/disqus-internals}id"


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _child(el, name):
    for child in el:
        if _local(child.tag) == name:
            return child
    return None


def _text(el, name):
    child = _child(el, name)
    return (child.text or "").strip() if child is not None else ""


def _flag(el, name, default=False):
    value = _text(el, name).lower()
    return default if not value else value == "true"


def _ref(el, name):
    child = _child(el, name)
    return child.get(DSQ, "") if child is not None else ""


@dataclass
class Thread:
    id: str
    identifier: str
    forum: str
    link: str
    title: str


@dataclass
class Post:
    id: str
    thread: str
    parent: str
    message: str
    created_at: datetime | None
    deleted: bool
    spam: bool
    approved: bool
    name: str
    email: str


def _when(value):
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def read(path):
    depth, root, seen = 0, None, False
    for event, el in xml_events(path):
        if event == "start":
            depth += 1
            if depth == 1:
                if _local(el.tag) != "disqus":
                    raise NotAnExport("not a Disqus export (no <disqus> root)")
                root = el
            continue
        depth -= 1
        if depth != 1:
            continue
        name = _local(el.tag)
        if name == "thread":
            seen = True
            yield (
                "thread",
                Thread(
                    id=el.get(DSQ, ""),
                    identifier=_text(el, "id"),
                    forum=_text(el, "forum"),
                    link=_text(el, "link"),
                    title=_text(el, "title"),
                ),
            )
        elif name == "post":
            seen = True
            author = _child(el, "author")
            yield (
                "post",
                Post(
                    id=el.get(DSQ, ""),
                    thread=_ref(el, "thread"),
                    parent=_ref(el, "parent"),
                    message=_text(el, "message")[:MAX_TEXT],
                    created_at=_when(_text(el, "createdAt")),
                    deleted=_flag(el, "isDeleted"),
                    spam=_flag(el, "isSpam"),
                    approved=_flag(el, "isApproved", default=True),
                    name=_text(author, "name") if author is not None else "",
                    email=_text(author, "email") if author is not None else "",
                ),
            )
        root.remove(el)  # read: forgotten
    if root is None or not seen:
        raise NotAnExport("not a Disqus export (no thread and no post)")
