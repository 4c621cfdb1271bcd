"""Readers' reports of a published comment: one per reader, and back to the queue past
COMMENT_FLAG_THRESHOLD."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from newsroom import ratelimit
from newsroom.cache import story_changed

from ..models import (
    Comment,
    Flag,
    ModerationLogEntry,
)
from .digest import digest_soon
from .rules import hash_ip
from .submit import TooManyComments


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
            open_flags = current.flags.filter(cleared=False).values_list("reason", "ip_hash")
            reasons_given = [reason for reason, _ip in open_flags]
            # Readers behind one address (an office, a mobile carrier) each report, and the
            # moderators see every report; but one address alone (a reader clearing their
            # cookies) does not take a comment off the page, unless one report is enough.
            threshold = settings.COMMENT_FLAG_THRESHOLD
            addresses = len({ip for _reason, ip in open_flags})
            if len(reasons_given) < threshold or addresses < min(2, threshold):
                return False
            reasons = ", ".join(sorted({str(Flag.Reason(v).label) for v in reasons_given}))
            ModerationLogEntry.objects.create(
                comment=current,
                from_status=current.status,
                to_status=Comment.Status.PENDING,
                note=ngettext(
                    "back to the queue: reported by %(count)d reader (%(reasons)s)",
                    "back to the queue: reported by %(count)d readers (%(reasons)s)",
                    len(reasons_given),
                )
                % {"count": len(reasons_given), "reasons": reasons},
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
