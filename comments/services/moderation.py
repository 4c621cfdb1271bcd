"""What moderators, the newsroom and a comment's author do to a comment: approve, reject,
spam, undo, redact, block the sender, answer, pick, edit, withdraw; each decision logged."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom.cache import story_changed
from newsroom.logs import event
from newsroom.mail import mail_queue
from newsroom.metrics import COMMENTS

from ..links import follow_url
from ..models import (
    BlockedSender,
    Comment,
    ErasedAddress,
    ModerationLogEntry,
)
from .rules import _body_hash, hash_email, held_by_rule


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
            event(
                "comment_decision",
                comment_id=current.pk,
                story_id=current.article_id,
                decision=to_status,
                moderator_id=getattr(moderator, "pk", None),
            )
            if to_status == Comment.Status.APPROVED:
                COMMENTS.labels("published").inc()
            elif to_status in (Comment.Status.REJECTED, Comment.Status.SPAM):
                COMMENTS.labels("refused").inc()
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


def address_may_be_written_to(email: str) -> bool:
    """Not an address its owner asked us to forget, nor one a moderator blocked."""
    address = email.strip().lower()
    if ErasedAddress.objects.filter(email_hash=hash_email(address)).exists():
        return False
    domain = address.rpartition("@")[2]
    return not BlockedSender.objects.filter(value__in=[address, domain]).exists()


def _tell_author(comment, *, published=False, answered_by=None):
    """Mail the author of a comment that opted in: published, or answered by the newsroom."""
    if not address_may_be_written_to(comment.email):
        return
    story = settings.SITE_URL + reverse("comments:permalink", args=[comment.pk])
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


class NotPickable(Exception):
    """Only a published comment, not erased, can be one of the newsroom's picks."""


def comment_pick(*, comment: Comment, person, picked: bool = True) -> Comment:
    """Add a published comment to the newsroom's picks ("Sélection de la rédaction"),
    shown first under the story with a badge, or take it out; logged. Doing what is already
    done changes nothing."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if picked and (current.status != Comment.Status.APPROVED or current.erased_at):
            raise NotPickable
        if current.is_pick == picked:
            return current
        ModerationLogEntry.objects.create(
            comment=current,
            actor=person,
            from_status=current.status,
            to_status=current.status,
            note=_("added to the newsroom's picks") if picked else _("taken out of the picks"),
        )
        current.picked_at = timezone.now() if picked else None
        current.picked_by = person if picked else None
        current.save(update_fields=["picked_at", "picked_by"])
        if current.status == Comment.Status.APPROVED:
            story_changed(current.article_id)
    comment.picked_at, comment.picked_by = current.picked_at, current.picked_by
    return comment


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
