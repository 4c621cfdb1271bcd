"""Every change to a comment's state goes through here: the form, the admin and commands."""

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from newsroom.cache import story_changed
from newsroom.text import fold_text

from . import ratelimit
from .models import BannedWord, BlockedSender, Comment, ModerationLogEntry

logger = logging.getLogger(__name__)

MAX_LINKS = 2
DUPLICATE_WINDOW = timedelta(days=7)
# Shorter texts ("Bravo !", "Merci") are too often sent alike by different readers.
DUPLICATE_MIN_LENGTH = 20
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


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


def hash_ip(ip_address: str) -> str:
    """A keyed hash of a client address: stable enough to spot abuse, useless without the key."""
    return salted_hmac("newsroom.comments.ip", ip_address or "").hexdigest()


def _body_hash(body: str) -> str:
    return hashlib.sha256(fold_text(body).encode()).hexdigest()


def spam_reason(*, email: str, body: str, body_hash: str) -> str:
    """Why a new comment looks like spam, or "" when it does not."""
    address = email.strip().lower()
    domain = address.rpartition("@")[2]
    if BlockedSender.objects.filter(value__in=[address, domain]).exists():
        return _("blocked sender")
    if len(_LINK.findall(body)) > MAX_LINKS:
        return _("too many links")
    folded = f" {fold_text(body)} "
    for word in BannedWord.objects.values_list("word", flat=True):
        if re.search(rf"(?<!\w){re.escape(fold_text(word))}(?!\w)", folded):
            return _("banned word: %(word)s") % {"word": word}
    if (
        len(folded.strip()) >= DUPLICATE_MIN_LENGTH
        and Comment.objects.filter(
            body_hash=body_hash, created_at__gte=timezone.now() - DUPLICATE_WINDOW
        ).exists()
    ):
        return _("same text already sent")
    return ""


def submission_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def comment_submit(
    *,
    article,
    name: str,
    email: str,
    body: str,
    ip_address: str,
    submission_key: str | None = None,
) -> Comment:
    """Store a reader's comment, pending or (by the heuristics) spam; never public at once.

    Refused (CommentRefused) when the story takes no more comments, or when the client
    address sent COMMENT_RATE_LIMIT comments in the last COMMENT_RATE_WINDOW seconds. A
    command storing comments (the demo) passes no address, and has no limit. A
    submission key already stored means the same form was sent again (a double click, a
    replay): the comment stored the first time is returned and nothing is added.
    """
    if not article.comments_open:
        raise CommentsClosed
    limited = ip_address and ip_address not in settings.COMMENT_RATE_LIMIT_EXEMPT
    if limited and not ratelimit.allow(
        f"comment:{hash_ip(ip_address)}",
        limit=settings.COMMENT_RATE_LIMIT,
        window=settings.COMMENT_RATE_WINDOW,
    ):
        raise TooManyComments
    if submission_key:
        earlier = Comment.objects.filter(submission_key=submission_key).first()
        if earlier:
            return earlier
    body_hash = _body_hash(body)
    reason = spam_reason(email=email, body=body, body_hash=body_hash)
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                article=article,
                name=name,
                email=email,
                body=body,
                body_hash=body_hash,
                ip_hash=hash_ip(ip_address),
                status=Comment.Status.SPAM if reason else Comment.Status.PENDING,
                spam_reason=reason,
                submission_key=submission_key,
            )
            ModerationLogEntry.objects.create(
                comment=comment, to_status=comment.status, note=reason or _("sent by the reader")
            )
            if comment.status == Comment.Status.PENDING:
                transaction.on_commit(lambda: moderators_notify(comment_ids=[comment.pk]))
    except IntegrityError:
        if submission_key is None:
            raise
        return Comment.objects.get(submission_key=submission_key)  # sent twice at once
    return comment


class ModerationConflict(Exception):
    """Someone else changed the comment since the moderator saw it."""

    def __init__(self, comment):
        super().__init__(comment.status)
        self.comment = comment


def _moderate(comment: Comment, moderator, to_status: str, seen_status=None) -> Comment:
    """Apply a decision if the comment is still in the state the moderator saw
    (`seen_status`, by default the comment's as it was loaded)."""
    seen = seen_status or comment.status
    with transaction.atomic():
        # Locking the row makes two moderators acting at once take turns; the second finds
        # the comment changed, and its decision is logged but not applied.
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        conflict = current.status != seen
        if conflict:
            ModerationLogEntry.objects.create(
                comment=current,
                actor=moderator,
                from_status=current.status,
                to_status=current.status,
                note=_("not applied: %(decision)s, the comment had just changed")
                % {"decision": to_status},
            )
        else:
            ModerationLogEntry.objects.create(
                comment=current, actor=moderator, from_status=current.status, to_status=to_status
            )
            current.status = to_status
            current.moderated_by, current.moderated_at = moderator, timezone.now()
            current.save(update_fields=["status", "moderated_by", "moderated_at"])
            if Comment.Status.APPROVED in (seen, to_status):
                story_changed(current.article_id)
    if conflict:  # raised after the commit, so the log keeps both decisions
        raise ModerationConflict(current)
    comment.status, comment.moderated_by, comment.moderated_at = (
        current.status,
        current.moderated_by,
        current.moderated_at,
    )
    return comment


def comment_approve(*, comment: Comment, moderator, seen_status=None) -> Comment:
    """Make a comment public and counted."""
    return _moderate(comment, moderator, Comment.Status.APPROVED, seen_status)


def comment_reject(*, comment: Comment, moderator, seen_status=None) -> Comment:
    """Keep a comment off the site."""
    return _moderate(comment, moderator, Comment.Status.REJECTED, seen_status)


def comment_mark_spam(*, comment: Comment, moderator, seen_status=None) -> Comment:
    """Keep a comment off the site as spam, so the duplicate rule and the logs know it."""
    return _moderate(comment, moderator, Comment.Status.SPAM, seen_status)


def moderators():
    """Active accounts that may moderate and have an address to write to."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="moderate_comment")
            | Q(user_permissions__codename="moderate_comment")
        )
        .exclude(email="")
        .distinct()
    )


def moderators_notify(*, comment_ids) -> int:
    """Email moderators about waiting comments not announced yet; return how many were.

    Comments are claimed (notified_at set) before the mail goes, so two senders never
    announce the same one; a failed mail is logged and the claim released for a retry.
    """
    recipients = list(moderators().values_list("email", flat=True))
    if not recipients:
        return 0
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            # Only the comment rows are locked: a story row busy with another comment must
            # not make its waiting comments look taken.
            Comment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=comment_ids, notified_at__isnull=True, status=Comment.Status.PENDING)
            .select_related("article")
            .order_by("created_at")
        )
        Comment.objects.filter(pk__in=[c.pk for c in batch]).update(notified_at=now)
    if not batch:
        return 0
    subject, message = _notification(batch)
    try:
        send_mail(subject, message, None, recipients)
    except Exception:
        logger.exception("Could not notify moderators of comments %s", [c.pk for c in batch])
        Comment.objects.filter(pk__in=[c.pk for c in batch], notified_at=now).update(
            notified_at=None
        )
        return 0
    return len(batch)


def _notification(comments):
    # Reader text goes into a header: no line break may survive there.
    def one_line(text):
        return " ".join(str(text).split())

    queue = settings.SITE_URL + reverse("admin:comments_comment_queue")
    if len(comments) == 1:
        subject = _("Comment to moderate: %(title)s") % {
            "title": one_line(comments[0].article.title)
        }
    else:
        subject = _("%(count)d comments to moderate") % {"count": len(comments)}
    parts = [
        _("%(name)s commented on “%(title)s”:\n\n%(body)s\n")
        % {"name": one_line(c.name), "title": one_line(c.article.title), "body": c.body}
        for c in comments
    ]
    parts.append(_("Moderation queue: %(queue)s\n") % {"queue": queue})
    return one_line(subject)[:200], "\n".join(parts)


def pending_unannounced(*, older_than: timedelta):
    """Waiting comments whose mail never went (a mail server was down), oldest first."""
    return Comment.objects.pending().filter(
        notified_at__isnull=True, created_at__lt=timezone.now() - older_than
    )


def comments_export(*, email: str) -> list[dict]:
    """Everything kept about the comments sent with an address (right of access)."""
    return [
        {
            "story": c.article.title,
            "name": c.name,
            "email": c.email,
            "comment": c.body,
            "status": c.status,
            "sent_at": c.created_at.isoformat(),
        }
        for c in Comment.objects.by_email(email).select_related("article")
    ]


def comments_erase(*, email: str) -> int:
    """Anonymise every comment sent with an address (right to erasure): on every public page
    at once; return how many."""
    with transaction.atomic():
        comments = Comment.objects.by_email(email)
        stories = set(comments.values_list("article_id", flat=True))
        count = comments.update(name=_("Anonymous"), email="erased@invalid", ip_hash="")
        for article_id in stories:
            story_changed(article_id)
    return count


def comments_purge(*, older_than: timedelta) -> tuple[int, int]:
    """Delete old rejected and spam comments; drop address hashes of the rest."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        expired = Comment.objects.filter(
            created_at__lt=cutoff, status__in=[Comment.Status.REJECTED, Comment.Status.SPAM]
        )
        stories = set(expired.values_list("article_id", flat=True))
        _total, per_model = expired.delete()
        deleted = per_model.get(Comment._meta.label, 0)
        old = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_hash="")
        cleared = old.update(ip_hash="")
        # Their authors no longer see them waiting on the story page.
        for article_id in stories:
            story_changed(article_id)
    return deleted, cleared
