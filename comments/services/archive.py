"""Comments from another system's archive (a WordPress or Disqus export), stored as they
stood there: their state kept, no rule, no rate limit, no mail to their authors and no
digest to moderators; replies under the thread they answer (the site has one level of
replies: a reply to a reply goes under its thread's first comment)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from newsroom.cache import story_changed

from ..models import Comment
from .rules import _body_hash


@dataclass
class ArchivedComment:
    source_id: str
    parent_source_id: str  # "" when it answers nothing
    name: str
    email: str
    body: str
    created_at: datetime
    status: str  # a Comment.Status


def _address(email: str) -> str:
    email = (email or "").strip()[:254]
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def comments_import(*, article, comments: list[ArchivedComment], known: dict) -> dict:
    """Store `comments` on `article`; `known` maps source ids already stored (an earlier
    run, another story's file) to their Comment. Returns {source id: Comment} of those
    stored now. A reply whose thread is not published becomes a thread of its own."""
    batch = {c.source_id: c for c in comments}

    def root(item):
        """The published top comment a reply goes under, as ("new", id) or ("known", Comment)."""
        seen, parent = set(), item.parent_source_id
        while parent and parent not in seen:
            seen.add(parent)
            if parent in known:
                top = known[parent]
                top = top.parent if top.parent_id else top
                return ("known", top) if top.status == Comment.Status.APPROVED else None
            if parent not in batch:
                return None
            above = batch[parent]
            if not above.parent_source_id or above.parent_source_id not in (
                batch.keys() | known.keys()
            ):
                return ("new", parent) if above.status == Comment.Status.APPROVED else None
            parent = above.parent_source_id
        return None

    def row(item, parent=None):
        decided = item.status != Comment.Status.PENDING
        return Comment(
            article=article,
            parent=parent,
            name=(item.name or _("Anonymous")).strip()[:80],
            email=_address(item.email),
            body=item.body,
            body_hash=_body_hash(item.body),
            status=item.status,
            moderated_at=item.created_at if decided else None,
        )

    roots = {item.source_id: root(item) for item in comments}
    firsts = [
        item
        for item in comments
        if roots[item.source_id] is None or roots[item.source_id][0] == "known"
    ]
    replies = [item for item in comments if item not in firsts]
    stored = {}
    with transaction.atomic():
        made = Comment.objects.bulk_create(
            row(item, roots[item.source_id][1] if roots[item.source_id] else None)
            for item in firsts
        )
        stored.update(zip((item.source_id for item in firsts), made, strict=True))
        made = Comment.objects.bulk_create(
            row(item, stored[roots[item.source_id][1]]) for item in replies
        )
        stored.update(zip((item.source_id for item in replies), made, strict=True))
        # auto_now_add gave every row the time of the import: each gets its own again.
        times = {item.source_id: item.created_at for item in comments}
        for source_id, comment in stored.items():
            comment.created_at = times[source_id]
        Comment.objects.bulk_update(stored.values(), ["created_at"], batch_size=500)
        if stored:
            story_changed(article.pk)
    return stored
