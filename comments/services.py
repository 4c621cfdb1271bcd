"""Every change to a comment's state goes through here: the form, the admin and commands."""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from newsroom import ratelimit
from newsroom.cache import story_changed
from newsroom.mail import mail_queue
from newsroom.models import OutgoingMail
from newsroom.text import fold_text, isolated

from .links import follow_url, mine_url
from .models import (
    BannedWord,
    BlockedSender,
    Comment,
    ErasedAddress,
    Flag,
    ModerationLogEntry,
    PrivacyRequest,
    ReaderMessage,
)

logger = logging.getLogger(__name__)

MAX_LINKS = 2
# A commenter refused in this time is not a regular, whatever the published comments.
TRUST_CLEAN_DAYS = timedelta(days=90)
DIGEST_LATE = timedelta(hours=2)
MAIL_KEPT = timedelta(days=7)
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


def held_by_rule(*, email: str, body: str, body_hash: str, among=None) -> tuple[str, str]:
    """Which rule holds a new comment as spam, and why in words ("", "" when none does)."""
    address = email.strip().lower()
    domain = address.rpartition("@")[2]
    # A blocked domain blocks its subdomains too: mail.example.org with example.org.
    parts = domain.split(".")
    domains = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    blocked = BlockedSender.objects.filter(value__in=[address, *domains]).values_list(
        "value", flat=True
    )
    if blocked:
        value = blocked[0]
        what = _("address %(value)s") if "@" in value else _("domain %(value)s")
        return "blocked", _("Blocked sender: %(what)s") % {"what": what % {"value": value}}
    links = len(_LINK.findall(body))
    if links > MAX_LINKS:
        return "links", _("%(count)d links") % {"count": links}
    folded = f" {fold_text(body)} "
    for word in BannedWord.objects.values_list("word", flat=True):
        if re.search(rf"(?<!\w){re.escape(fold_text(word))}(?!\w)", folded):
            return "banned_word", _("Banned word: “%(word)s”") % {"word": word}
    if len(folded.strip()) >= DUPLICATE_MIN_LENGTH:
        earlier = (
            (Comment.objects.all() if among is None else among)
            .filter(body_hash=body_hash, created_at__gte=timezone.now() - DUPLICATE_WINDOW)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if earlier:
            when = formats.date_format(timezone.localtime(earlier), "DATETIME_FORMAT")
            return "duplicate", _("Text already sent on %(when)s") % {"when": when}
    return "", ""


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
    at once. The moderators' alert is queued with it (comments.mail).

    Refused (CommentRefused) when the story takes no more comments, when the client address
    sent COMMENT_RATE_LIMIT comments in the last COMMENT_RATE_WINDOW seconds, when the
    comment it answers is not a published comment of the story, or (AlreadySent) when the
    same email address sent the same text on this story in the last DUPLICATE_WINDOW, waiting or
    published. A command storing comments
    (the demo) passes no address, and has no limit. A submission key already stored means
    the same form was sent again (a double click, a replay): the comment stored the first
    time is returned and nothing is added.
    """
    if not article.accepts_comments:
        raise CommentsClosed
    if parent is not None and not (
        parent.article_id == article.pk
        and parent.parent_id is None
        and parent.status == Comment.Status.APPROVED
    ):
        raise NotAReply
    earlier = _sent_before(Comment, "comment", ip_address, submission_key)
    if earlier:
        return earlier
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
    try:
        with transaction.atomic():
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
            if trusted:
                story_changed(article.pk)
            elif comment.status == Comment.Status.PENDING:
                digest_soon()
    except IntegrityError:
        if submission_key is None:
            raise
        return Comment.objects.get(submission_key=submission_key)  # sent twice at once
    return comment


def is_trusted(*, article, email: str) -> bool:
    """A regular commenter, by the story's sections' policy (the strictest of them): at least
    `trusted_after` comments published after review under this address, none refused in the
    last TRUST_CLEAN_DAYS."""
    tags = list(article.tags.all())
    if not tags or any(tag.premoderation != tag.Premoderation.TRUSTED for tag in tags):
        return False
    mine = Comment.objects.by_email(email)
    if mine.filter(
        status=Comment.Status.REJECTED, moderated_at__gte=timezone.now() - TRUST_CLEAN_DAYS
    ).exists():
        return False
    reviewed = mine.filter(status=Comment.Status.APPROVED, unreviewed=False, staff_author=None)
    return reviewed.count() >= max(tag.trusted_after for tag in tags)


# Held while one process makes the digest. The workers that finish their responses at the
# same moment would each see no recent digest and, skipping each other's locked rows, each
# announce another batch: four digests at once to every moderator.
DIGEST_LOCK = "comments:digest:making"
# Comments announced in one digest, at most: the others go in the next.
DIGEST_MAX = 500


def digest_soon() -> None:
    """Have the job worker look at the moderators' digest once this transaction commits."""

    def queue():
        from .tasks import moderators_digest as job

        job.enqueue()

    transaction.on_commit(queue)


def moderators_digest() -> int:
    """Tell moderators of the comments waiting since the last digest: one mail each, at most
    every COMMENT_DIGEST_MINUTES, to those who watch the comments' sections (everyone who
    moderates, for a section that names no one). Returns how many comments were announced."""
    if not cache.add(DIGEST_LOCK, 1, timeout=60):  # another process is making it
        return 0
    try:
        return _make_digest()
    finally:
        cache.delete(DIGEST_LOCK)


def _make_digest() -> int:
    now = timezone.now()
    every = timedelta(minutes=settings.COMMENT_DIGEST_MINUTES)
    with transaction.atomic():
        last = (
            OutgoingMail.objects.filter(kind="digest")
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last and now - last < every:
            return 0
        waiting = list(
            Comment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Comment.Status.PENDING, notified_at=None)
            .select_related("article")
            # The story's title, not its text: whole rows for 500 comments took 27 MB.
            .only("article_id", "article__title", "name", "body", "created_at")
            .order_by("created_at")[:DIGEST_MAX]
        )
        if not waiting:
            return 0
        Comment.objects.filter(pk__in=[c.pk for c in waiting]).update(notified_at=now)
        _write_digest_lines(waiting)
        everyone = list(moderators())
        watchers = _section_watchers({c.article_id for c in waiting}, everyone)
        per_moderator = {}
        for comment in waiting:
            for user in watchers.get(comment.article_id) or everyone:
                per_moderator.setdefault(user, []).append(comment)
        for user, comments in per_moderator.items():
            mail_queue(to=[user.email], kind="digest", **_digest(comments, now))
        # The journalists whose stories they are hear of them too (they may answer them).
        per_author = {}
        authors = Article.authors.through.objects.filter(
            article_id__in={c.article_id for c in waiting}, user__is_active=True
        ).exclude(user__email="")
        staff_addresses = {user.email for user in everyone}
        by_story = {}
        for comment in waiting:
            by_story.setdefault(comment.article_id, []).append(comment)
        for article_id, email in authors.values_list("article_id", "user__email"):
            if email not in staff_addresses:
                per_author.setdefault(email, []).extend(by_story[article_id])
        for email, comments in per_author.items():
            mail_queue(to=[email], kind="digest-author", **_digest(comments, now))
    return len(waiting)


def _section_watchers(article_ids, everyone) -> dict:
    """For each story, the moderators its sections name (none named: everyone)."""
    allowed = {user.pk: user for user in everyone}
    named = {}
    through = Article.tags.through.objects.filter(article_id__in=article_ids)
    for article_id, user_id in through.values_list("article_id", "tag__moderators"):
        if user_id in allowed:
            named.setdefault(article_id, set()).add(allowed[user_id])
    return named


def _write_digest_lines(comments):
    """Each comment's line, once: a comment is in the digest of every moderator who
    watches its section."""

    def one_line(text):
        return " ".join(str(text).split())

    line = _("• “%(title)s” — %(name)s: %(text)s")
    for c in comments:
        c.digest_line = line % {
            "title": one_line(c.article.title),
            "name": isolated(one_line(c.name)),
            "text": isolated(Truncator(one_line(c.body)).chars(160)),
        }


def _digest(comments, now) -> dict:
    late = sum(1 for c in comments if now - c.created_at > DIGEST_LATE)
    subject = ngettext(
        "%(count)d comment to moderate", "%(count)d comments to moderate", len(comments)
    ) % {"count": len(comments)}
    if late:
        subject += ngettext(
            ", %(late)d waiting for more than 2 h", ", %(late)d waiting for more than 2 h", late
        ) % {"late": late}
    queue = settings.SITE_URL + reverse("admin:comments_comment_queue")
    body = (
        "\n".join(c.digest_line for c in comments)
        + "\n\n"
        + _("Moderation queue: %(queue)s\n") % {"queue": queue}
    )
    return {"subject": subject, "body": body}


class ModerationConflict(Exception):
    """Someone else changed the comment since the moderator saw it."""

    def __init__(self, comment):
        super().__init__(comment.status)
        self.comment = comment


def _moderate(
    comment: Comment,
    moderator,
    to_status: str,
    seen_status=None,
    reason="",
    note="",
    misfire=False,
) -> Comment:
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
            reason_text = Comment(reason=reason, reason_note=note).reason_text
            ModerationLogEntry.objects.create(
                comment=current,
                actor=moderator,
                from_status=current.status,
                to_status=to_status,
                note=reason_text,
                misfire=misfire and bool(current.rule),
            )
            current.status = to_status
            current.moderated_by, current.moderated_at = moderator, timezone.now()
            current.reason, current.reason_note = reason, note
            current.unreviewed = False
            current.save(
                update_fields=[
                    "status",
                    "moderated_by",
                    "moderated_at",
                    "reason",
                    "reason_note",
                    "unreviewed",
                ]
            )
            reported = 0
            if to_status == Comment.Status.APPROVED:
                # Readers' reports of a comment published again were answered: they count no
                # more, and its author was told of its publication the first time.
                reported = current.flags.filter(cleared=False).update(cleared=True)
            if Comment.Status.APPROVED in (seen, to_status):
                story_changed(current.article_id)
            if to_status == Comment.Status.APPROVED and current.notify_author and not reported:
                _tell_author(current, published=True)
    if conflict:  # raised after the commit, so the log keeps both decisions
        raise ModerationConflict(current)
    for field in ("status", "moderated_by", "moderated_at", "reason", "reason_note"):
        setattr(comment, field, getattr(current, field))
    return comment


def comment_approve(*, comment: Comment, moderator, seen_status=None, misfire=False) -> Comment:
    """Make a comment public and counted; misfire: a rule held it, and was wrong to."""
    return _moderate(comment, moderator, Comment.Status.APPROVED, seen_status, misfire=misfire)


def comment_review(*, comment: Comment, moderator) -> Comment:
    """A comment published at once (a regular commenter) has been looked at: it stays."""
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(unreviewed=False)
        ModerationLogEntry.objects.create(
            comment=comment,
            actor=moderator,
            from_status=comment.status,
            to_status=comment.status,
            note=_("looked at after publication"),
        )
    comment.unreviewed = False
    return comment


def comment_undo(*, comment: Comment, moderator) -> Comment:
    """Put a comment back as it was before its last decision (a click too fast)."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        last = current.log.exclude(from_status="").exclude(to_status=F("from_status")).last()
        if last is None or last.to_status != current.status:
            return current
        ModerationLogEntry.objects.create(
            comment=current,
            actor=moderator,
            from_status=current.status,
            to_status=last.from_status,
            note=_("undone"),
        )
        was_public = current.status == Comment.Status.APPROVED
        current.status = last.from_status
        if current.status == Comment.Status.PENDING:
            current.moderated_by = current.moderated_at = None
            current.reason, current.reason_note = "", ""
        current.save()
        if was_public or current.status == Comment.Status.APPROVED:
            story_changed(current.article_id)
    return current


def comment_redact(*, comment: Comment, moderator, body: str) -> Comment:
    """A moderator removes what must not be published (a phone number, a name): the text
    changes, the original stays in the log, for moderators only."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        ModerationLogEntry.objects.create(
            comment=current,
            actor=moderator,
            from_status=current.status,
            to_status=current.status,
            note=_("text redacted; it was: %(before)s") % {"before": current.body},
        )
        current.body, current.body_hash = body, _body_hash(body)
        current.save(update_fields=["body", "body_hash"])
        if current.status == Comment.Status.APPROVED:
            story_changed(current.article_id)
    return current


def sender_block(*, comment: Comment, moderator, whole_domain=False) -> Comment:
    """Block a comment's sender (its address, or its whole domain and subdomains) and file
    the comment as spam."""
    address = comment.email.strip().lower()
    value = address.rpartition("@")[2] if whole_domain else address
    BlockedSender.objects.get_or_create(
        value=value, defaults={"note": _("blocked from the moderation queue")}
    )
    return comment_mark_spam(comment=comment, moderator=moderator)


def comment_reject(*, comment: Comment, moderator, seen_status=None, reason="", note="") -> Comment:
    """Keep a comment off the site, for a reason its author will read."""
    return _moderate(comment, moderator, Comment.Status.REJECTED, seen_status, reason, note)


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


def address_may_be_written_to(email: str) -> bool:
    """Not an address its owner asked us to forget, nor one a moderator blocked."""
    address = email.strip().lower()
    if ErasedAddress.objects.filter(email_hash=hash_email(address)).exists():
        return False
    domain = address.rpartition("@")[2]
    return not BlockedSender.objects.filter(value__in=[address, domain]).exists()


def hash_email(email: str) -> str:
    return salted_hmac("newsroom.comments.email", email.strip().lower()).hexdigest()


def _tell_author(comment, *, published=False, answered_by=None):
    """Mail the author of a comment that opted in: published, or answered by the newsroom."""
    if not address_may_be_written_to(comment.email):
        return
    story = settings.SITE_URL + comment.article.get_absolute_url() + f"#comment-{comment.pk}"
    with translation.override(comment.article.language):
        if answered_by:
            subject = _("The newsroom answered your comment")
            opening = _("%(who)s answered your comment on “%(title)s”:") % {
                "who": answered_by,
                "title": comment.article.title,
            }
        else:
            subject = _("Your comment is published")
            opening = _("Your comment on “%(title)s” is published:") % {
                "title": comment.article.title
            }
        body = _(
            "Hello %(name)s,\n\n%(opening)s\n%(story)s\n\n"
            "Follow your comment (edit or withdraw it): %(follow)s\n\n— Newsroom\n"
        ) % {
            "name": " ".join(comment.name.split()),
            "opening": opening,
            "story": story,
            "follow": follow_url(comment, absolute=True),
        }
        mail_queue(to=[comment.email], subject=subject, body=body)


def comment_answer(*, parent: Comment, author, body: str) -> Comment:
    """The newsroom answers a published comment: published at once, marked as its own."""
    name = author.get_full_name() or author.get_username()
    with transaction.atomic():
        answer = Comment.objects.create(
            article=parent.article,
            parent=parent,
            staff_author=author,
            name=name,
            email=author.email or "redaction@invalid",
            body=body,
            body_hash=_body_hash(body),
            status=Comment.Status.APPROVED,
            moderated_by=author,
            moderated_at=timezone.now(),
        )
        ModerationLogEntry.objects.create(
            comment=answer,
            actor=author,
            to_status=answer.status,
            note=_("answer of the newsroom"),
        )
        story_changed(parent.article_id)
        if parent.notify_author:
            _tell_author(parent, answered_by=name)
    return answer


class NotEditable(Exception):
    """A comment already decided can only be withdrawn."""


def comment_edit(*, comment: Comment, body: str) -> Comment:
    """Its author changes a comment still waiting; the rules look at it again."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status not in (Comment.Status.PENDING, Comment.Status.SPAM):
            raise NotEditable
        body_hash = _body_hash(body)
        others = Comment.objects.exclude(pk=current.pk)
        rule, reason = held_by_rule(
            email=current.email, body=body, body_hash=body_hash, among=others
        )
        ModerationLogEntry.objects.create(
            comment=current,
            from_status=current.status,
            to_status=Comment.Status.SPAM if reason else Comment.Status.PENDING,
            note=_("edited by its author: %(before)s") % {"before": current.body[:150]},
        )
        current.body, current.body_hash = body, body_hash
        current.spam_reason, current.rule = reason, rule
        current.status = Comment.Status.SPAM if reason else Comment.Status.PENDING
        current.save(update_fields=["body", "body_hash", "spam_reason", "rule", "status"])
    return current


def comment_withdraw(*, comment: Comment) -> Comment:
    """Its author takes a comment back: off the site at once if it was on it."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status == Comment.Status.WITHDRAWN:
            return current
        ModerationLogEntry.objects.create(
            comment=current,
            from_status=current.status,
            to_status=Comment.Status.WITHDRAWN,
            note=_("withdrawn by its author"),
        )
        was_public = current.status == Comment.Status.APPROVED
        current.status = Comment.Status.WITHDRAWN
        current.save(update_fields=["status"])
        if was_public:
            story_changed(current.article_id)
    return current


# Who a privacy request from the command line is recorded as made by (not the reader).
OPERATOR = "operator, command line"


def comments_export(*, email: str, by: str = "reader") -> list[dict]:
    """Everything kept about the comments sent with an address (right of access)."""
    comments = list(Comment.objects.by_email(email).select_related("article"))
    PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.EXPORT, email_hash=hash_email(email), comments=len(comments), by=by
    )
    return [
        {
            "story": c.article.title,
            "url": settings.SITE_URL + c.article.get_absolute_url(),
            "name": c.name,
            "email": c.email,
            "comment": c.body,
            "status": c.get_status_display(),
            "sent_at": c.created_at.isoformat(),
            "in_reply_to": c.parent_id,
        }
        for c in comments
    ] + [
        {
            "story": m.article.title if m.article else "",
            "url": settings.SITE_URL + m.article.get_absolute_url() if m.article else "",
            "name": m.name,
            "email": m.email,
            "comment": m.body,
            "status": _("message to the newsroom (%(kind)s)") % {"kind": m.get_kind_display()},
            "sent_at": m.created_at.isoformat(),
            "in_reply_to": None,
        }
        for m in ReaderMessage.objects.by_email(email).select_related("article")
    ]


def comments_erase(*, email: str, by: str = "reader") -> int:
    """Erase every comment sent with an address (right to erasure): published ones keep
    their place in the conversation with no name, address or text; the others go. On
    every public page at once; the address is sent nothing more. Returns how many."""
    with transaction.atomic():
        comments = Comment.objects.by_email(email).filter(staff_author=None)
        found = list(comments.values_list("pk", "article_id", "body"))
        ids = [pk for pk, _a, _b in found]
        ModerationLogEntry.objects.filter(comment_id__in=ids).update(note="")
        comments.filter(status=Comment.Status.APPROVED).update(
            name="",
            email="erased@invalid",
            body="",
            body_hash="",
            ip_hash="",
            notify_author=False,
            erased_at=timezone.now(),
        )
        comments.exclude(status=Comment.Status.APPROVED).delete()
        # Messages to the newsroom from that address go whole.
        letters = ReaderMessage.objects.by_email(email)
        letter_texts = list(letters.values_list("body", flat=True))
        letters.delete()
        # Mail that quoted them (moderators' alerts, notices) goes too.
        texts = [body for _pk, _a, body in found if body] + [t for t in letter_texts if t]
        doomed = [
            m.pk
            for m in OutgoingMail.objects.all()
            if email.strip().lower() in [t.lower() for t in m.to] or any(t in m.body for t in texts)
        ]
        OutgoingMail.objects.filter(pk__in=doomed).delete()
        ErasedAddress.objects.get_or_create(email_hash=hash_email(email))
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.ERASE, email_hash=hash_email(email), comments=len(ids), by=by
        )
        for article_id in {article for _pk, article, _b in found}:
            story_changed(article_id)
    return len(ids)


class TooManyRequests(Exception):
    """Too many "my comments" links asked for, from one address or for one mailbox."""


def privacy_link_request(*, email: str, ip_address: str) -> None:
    """A reader asks for the link to their comments: it is mailed if the address sent any.
    The answer does not say whether it did; asking is limited per client and per mailbox,
    so the form cannot probe addresses or flood a mailbox."""
    email = email.strip().lower()
    for key, limit in ((f"mine:ip:{hash_ip(ip_address)}", 5), (f"mine:to:{hash_email(email)}", 3)):
        if not ratelimit.allow(key, limit=limit, window=3600):
            raise TooManyRequests
    count = Comment.objects.by_email(email).exclude(erased_at__isnull=False).count()
    count += ReaderMessage.objects.by_email(email).count()
    with transaction.atomic():
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.LINK, email_hash=hash_email(email), comments=count
        )
        if count:
            link = mine_url(email, secrets.token_urlsafe(12))
            mail_queue(
                to=[email],
                subject=_("Your comments on Newsroom"),
                body=_(
                    "Hello,\n\nHere is the link to see, download or erase the comments sent "
                    "with this address. It works once, for an hour:\n%(link)s\n\n"
                    "If you did not ask for it, ignore this mail.\n\n— Newsroom\n"
                )
                % {"link": link},
            )


def privacy_access(*, email: str) -> list[Comment]:
    """The comments sent with an address, for its owner, logged."""
    comments = list(
        Comment.objects.by_email(email).select_related("article").order_by("-created_at")
    )
    PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.ACCESS, email_hash=hash_email(email), comments=len(comments)
    )
    return comments


def comments_purge(*, older_than: timedelta) -> tuple[int, int]:
    """Delete old rejected and spam comments; drop address hashes of the rest."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        expired = Comment.objects.filter(
            created_at__lt=cutoff,
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM, Comment.Status.WITHDRAWN],
        )
        stories = set(expired.values_list("article_id", flat=True))
        _total, per_model = expired.delete()
        deleted = per_model.get(Comment._meta.label, 0)
        old = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_hash="")
        cleared = old.update(ip_hash="")
        # Readers' messages: handled or spam ones go, the others lose the address hash;
        # reports (hashes only) go.
        messages = ReaderMessage.objects.filter(created_at__lt=cutoff)
        messages.filter(state__in=[ReaderMessage.State.DONE, ReaderMessage.State.SPAM]).delete()
        messages.exclude(ip_hash="").update(ip_hash="")
        Flag.objects.filter(created_at__lt=cutoff).delete()
        # Sent mail quotes comments and addresses: kept a week, for support questions.
        OutgoingMail.objects.filter(sent_at__lt=timezone.now() - MAIL_KEPT).delete()
        # Their authors no longer see them waiting on the story page.
        for article_id in stories:
            story_changed(article_id)
    return deleted, cleared


class NotFlaggable(Exception):
    """The comment is not (or no longer) published: nothing to report."""


class AlreadyFlagged(Exception):
    """This reader (this browser) already reported this comment."""


FLAGS_PER_HOUR = 30


def reader_hash(reader_id: str) -> str:
    """A keyed hash of the random id a reader's browser keeps: one report per reader."""
    return salted_hmac("newsroom.comments.reader", reader_id or "").hexdigest()


def comment_flag(*, comment: Comment, reason: str, reader_id: str, ip_address: str) -> bool:
    """A reader reports a published comment. Once COMMENT_FLAG_THRESHOLD different readers,
    from two addresses at least (when the threshold is two or more), have, it goes back to
    the queue, off the page until a
    moderator decides; returns whether it did. Refused: NotFlaggable, AlreadyFlagged (this
    browser reported it), TooManyComments (an address reporting FLAGS_PER_HOUR comments in
    an hour)."""
    if reason not in Flag.Reason.values:
        raise ValueError(reason)
    if not ratelimit.allow(f"flag:{hash_ip(ip_address)}", limit=FLAGS_PER_HOUR, window=3600):
        raise TooManyComments
    reader, address = reader_hash(reader_id), hash_ip(ip_address)
    try:
        with transaction.atomic():
            current = Comment.objects.select_for_update().get(pk=comment.pk)
            if (
                current.status != Comment.Status.APPROVED
                or current.erased_at
                or current.staff_author_id
            ):
                raise NotFlaggable
            if current.flags.filter(reader_hash=reader).exists():
                raise AlreadyFlagged
            Flag.objects.create(comment=current, reason=reason, reader_hash=reader, ip_hash=address)
            open_flags = list(current.flags.filter(cleared=False).values_list("reason", "ip_hash"))
            # Readers behind one address (an office, a mobile carrier) each report, and the
            # moderators see every report; but one address alone (a reader clearing their
            # cookies) does not take a comment off the page, unless one report is enough.
            threshold = settings.COMMENT_FLAG_THRESHOLD
            addresses = len({ip for _reason, ip in open_flags})
            if len(open_flags) < threshold or addresses < min(2, threshold):
                return False
            open_flags = [reason for reason, _ip in open_flags]
            reasons = ", ".join(sorted({str(Flag.Reason(value).label) for value in open_flags}))
            ModerationLogEntry.objects.create(
                comment=current,
                from_status=current.status,
                to_status=Comment.Status.PENDING,
                note=ngettext(
                    "back to the queue: reported by %(count)d reader (%(reasons)s)",
                    "back to the queue: reported by %(count)d readers (%(reasons)s)",
                    len(open_flags),
                )
                % {"count": len(open_flags), "reasons": reasons},
            )
            current.status = Comment.Status.PENDING
            current.unreviewed = False
            current.notified_at = None  # in the moderators' next digest
            current.save(update_fields=["status", "unreviewed", "notified_at"])
            story_changed(current.article_id)
            digest_soon()
    except IntegrityError:  # the same reader's report, sent twice at once
        raise AlreadyFlagged from None
    return True


def message_send(
    *,
    article,
    kind: str,
    name: str,
    email: str,
    body: str,
    ip_address: str,
    submission_key: str | None = None,
) -> ReaderMessage:
    """A reader writes to the newsroom about a story: stored (never published) and mailed
    to the story's journalists, or to the editors when it names none. The comments' rules
    hold it as spam (then nobody is mailed) and their rate limit applies, counted apart."""
    earlier = _sent_before(ReaderMessage, "message", ip_address, submission_key)
    if earlier:
        return earlier
    body_hash = _body_hash(body)
    _rule, reason = held_by_rule(
        email=email, body=body, body_hash=body_hash, among=ReaderMessage.objects.all()
    )
    try:
        with transaction.atomic():
            message = ReaderMessage.objects.create(
                article=article,
                kind=kind,
                name=name,
                email=email,
                body=body,
                body_hash=body_hash,
                ip_hash=hash_ip(ip_address),
                state=ReaderMessage.State.SPAM if reason else ReaderMessage.State.NEW,
                spam_reason=reason,
                submission_key=submission_key,
            )
            if not reason:
                _tell_newsroom(message)
    except IntegrityError:
        if submission_key is None:
            raise
        return ReaderMessage.objects.get(submission_key=submission_key)
    return message


def sees_reader_addresses(user) -> bool:
    """Whether a member of staff sees the address of a reader who wrote to the newsroom:
    editors do (they answer); journalists read the message without it (data minimisation)."""
    return user.has_perm("articles.see_all_drafts")


def message_recipients(article) -> list:
    """Who reads a message about a story: its journalists with an address; else the
    editors (those who handle readers' messages and see every draft)."""
    authors = [user for user in article.authors.filter(is_active=True) if user.email]
    if authors:
        return authors
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(
        (
            user
            for user in staff
            if user.has_perm("comments.change_readermessage") and sees_reader_addresses(user)
        ),
        key=lambda user: user.email,
    )


def _tell_newsroom(message: ReaderMessage) -> None:
    """The message by mail to its recipients: the reader's address to those who see it."""
    recipients = message_recipients(message.article)
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("admin:comments_readermessage_change", args=[message.pk])
        values = {
            "name": isolated(message.name),
            "email": message.email,
            "story": message.article.title,
            "kind": message.get_kind_display().lower(),
            "body": isolated(message.body),
            "link": link,
        }
        subject = _("%(kind)s about “%(story)s”") % {
            "kind": message.get_kind_display(),
            "story": message.article.title,
        }
        with_address = [u.email for u in recipients if sees_reader_addresses(u)]
        without = [u.email for u in recipients if not sees_reader_addresses(u)]
        if with_address:
            body = _(
                "%(name)s <%(email)s> wrote about “%(story)s” (%(kind)s):\n\n%(body)s\n\n"
                "Say who handles it, then answer by mail: %(link)s\n"
            )
            mail_queue(to=with_address, kind="message", subject=subject, body=body % values)
        if without:
            body = _(
                "%(name)s wrote about “%(story)s” (%(kind)s):\n\n%(body)s\n\n"
                "Say who handles it: %(link)s (an editor answers the reader, whose address "
                "the editors see).\n"
            )
            mail_queue(to=without, kind="message", subject=subject, body=body % values)


def message_set_state(*, message: ReaderMessage, state: str, by) -> ReaderMessage:
    """Where a reader's message stands (new, in progress, handled), and who said so."""
    if state not in ReaderMessage.State.values:
        raise ValueError(state)
    message.state, message.handled_by, message.handled_at = state, by, timezone.now()
    message.save(update_fields=["state", "handled_by", "handled_at"])
    return message
