"""A reader's comment, sent: stored pending (or held, or published at once for a regular),
or refused with a reason the reader is told."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from newsroom import ratelimit
from newsroom.cache import story_changed
from newsroom.metrics import COMMENTS

from ..models import (
    Comment,
    ModerationLogEntry,
)
from ..policy import accepts_comments
from .digest import digest_soon
from .rules import DUPLICATE_WINDOW, _body_hash, hash_ip, held_by_rule, is_trusted


class CommentRefused(Exception):
    """A comment that cannot be stored; `message` says why, for the reader."""

    status = 400
    message = ""


class CommentsClosed(CommentRefused):
    status = 403

    @property
    def message(self):
        return _("Comments are closed on this story: your comment was not recorded.")


class TooManyComments(CommentRefused):
    status = 429

    @property
    def message(self):
        return _(
            "You have sent several comments in a short time. Wait a few minutes, then send "
            "this one again: it is still in the form below."
        )


def _limit_key(kind: str, ip_address: str) -> str | None:
    """What the submission limit counts for a client address (None: no limit for it)."""
    if ip_address and ip_address not in settings.COMMENT_RATE_LIMIT_EXEMPT:
        return f"{kind}:{hash_ip(ip_address)}"
    return None


def submissions_exhausted(*, kind: str, ip_address: str) -> bool:
    """Whether this address already sent COMMENT_RATE_LIMIT submissions of this kind in the
    window: asked first, before the story, the form or the rules are read, so that a flood
    of refused posts costs a worker one cache read each."""
    key = _limit_key(kind, ip_address)
    return key is not None and ratelimit.exhausted(
        key, limit=settings.COMMENT_RATE_LIMIT, window=settings.COMMENT_RATE_WINDOW
    )


def _sent_before(model, kind: str, ip_address: str, submission_key: str | None):
    """What a reader's form finds before it is stored: TooManyComments past the rate limit
    (COMMENT_RATE_LIMIT per COMMENT_RATE_WINDOW and client address, counted per kind;
    no address, as from a command: no limit), or the row the same form already stored
    (a double click, a replay), else None."""
    key = _limit_key(kind, ip_address)
    if key is not None and not ratelimit.allow(
        key, limit=settings.COMMENT_RATE_LIMIT, window=settings.COMMENT_RATE_WINDOW
    ):
        raise TooManyComments
    if submission_key:
        return model.objects.filter(submission_key=submission_key).first()
    return None


def store_submission(model, *, kind: str, ip_address: str, submission_key, store):
    """The one path from a reader's form to the database, for comments and for letters to
    the newsroom alike: the rate limit (counted per kind), the same form sent again answered
    with the row it stored, then store() in a transaction, which builds the row with the
    kind's own checks (and may refuse it); two copies of one form racing get one row."""
    earlier = _sent_before(model, kind, ip_address, submission_key)
    if earlier:
        return earlier
    try:
        with transaction.atomic():
            return store()
    except IntegrityError:
        if submission_key is None:
            raise
        return model.objects.get(submission_key=submission_key)  # sent twice at once


def submission_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AlreadySent(CommentRefused):
    """The same reader sent the same text on the same story before (another device, a lost
    confirmation): the first is kept, and the reader told where it stands."""

    status = 409

    def __init__(self, comment):
        super().__init__()
        self.comment = comment

    @property
    def message(self):
        when = formats.date_format(timezone.localtime(self.comment.created_at), "DATETIME_FORMAT")
        if self.comment.status == Comment.Status.APPROVED:
            return _("You already sent this comment on %(when)s: it is published.") % {"when": when}
        return _(
            "You already sent this comment on %(when)s: it will be visible soon, once a "
            "moderator has approved it."
        ) % {"when": when}


class NotAReply(CommentRefused):
    @property
    def message(self):
        return _("The comment you are answering is no longer published: send yours as a comment.")


def comment_submit(
    *,
    article,
    name: str,
    email: str,
    body: str,
    ip_address: str,
    submission_key: str | None = None,
    parent: Comment | None = None,
    notify_author: bool = False,
) -> Comment:
    """Store a reader's comment (or reply), pending or (by the heuristics) spam; never public
    at once. The moderators hear of it in their digest (services.digest).

    Refused (CommentRefused) when the story takes no more comments, when the client address
    sent COMMENT_RATE_LIMIT comments in the last COMMENT_RATE_WINDOW seconds, when the
    comment it answers is not a published comment of the story, or (AlreadySent) when the
    same email address sent the same text on this story in the last DUPLICATE_WINDOW, waiting
    or published. A command storing comments (the demo) passes no address, and has no
    limit. The rest is store_submission's: the same form sent again returns the comment
    stored the first time, and nothing is added.
    """
    if not accepts_comments(article):
        raise CommentsClosed
    if parent is not None and not (
        parent.article_id == article.pk
        and parent.parent_id is None
        and parent.status == Comment.Status.APPROVED
    ):
        raise NotAReply

    def store():
        body_hash = _body_hash(body)
        resent = (
            article.comments.filter(
                email__iexact=email.strip(),
                body_hash=body_hash,
                erased_at=None,
                status__in=[Comment.Status.PENDING, Comment.Status.APPROVED],
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            )
            .order_by("created_at")
            .first()
        )
        if resent:
            raise AlreadySent(resent)
        rule, reason = held_by_rule(email=email, body=body, body_hash=body_hash)
        trusted = not reason and is_trusted(article=article, email=email)
        status = Comment.Status.SPAM if reason else Comment.Status.PENDING
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            name=name,
            email=email,
            body=body,
            body_hash=body_hash,
            ip_hash=hash_ip(ip_address),
            status=Comment.Status.APPROVED if trusted else status,
            unreviewed=trusted,
            moderated_at=timezone.now() if trusted else None,
            spam_reason=reason,
            rule=rule,
            submission_key=submission_key,
            notify_author=notify_author,
        )
        note = reason or _("sent by the reader")
        if trusted:
            note = _("published at once: a regular commenter, for a later look")
        ModerationLogEntry.objects.create(comment=comment, to_status=comment.status, note=note)
        COMMENTS.labels("submitted").inc()
        if comment.status != Comment.Status.PENDING:
            COMMENTS.labels("published" if trusted else "refused").inc()
        if trusted:
            story_changed(article.pk)
        elif comment.status == Comment.Status.PENDING:
            digest_soon()
        return comment

    return store_submission(
        Comment, kind="comment", ip_address=ip_address, submission_key=submission_key, store=store
    )
