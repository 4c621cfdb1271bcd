"""A reader's data: the link to their comments, access, export and erasure, and the purge
of what is kept only for a while."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import ratelimit
from newsroom.cache import story_changed
from newsroom.logs import event
from newsroom.mail import mail_queue
from newsroom.models import OutgoingMail

from ..links import mine_url
from ..models import (
    Comment,
    ErasedAddress,
    Flag,
    ModerationLogEntry,
    PrivacyRequest,
)
from ..readerdata import HOLDERS
from .rules import hash_email, hash_ip

MAIL_KEPT = timedelta(days=7)


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
    ] + [row for holder in HOLDERS for row in holder.rows(email)]


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
        # What other apps keep from that address (messages to the newsroom) goes whole.
        others = [text for holder in HOLDERS for text in holder.erase(email)]
        # Mail that quoted them (moderators' alerts, notices) goes too.
        texts = [body for _pk, _a, body in found if body] + [t for t in others if t]
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
    event("erasure", comments=len(ids), by=by)
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
    count += sum(len(holder.items(email)) for holder in HOLDERS)
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
        # What other apps keep (readers' messages) is trimmed by their own rule; reports
        # (hashes only) go.
        for holder in HOLDERS:
            holder.purge(cutoff)
        Flag.objects.filter(created_at__lt=cutoff).delete()
        # Sent mail quotes comments and addresses: kept a week, for support questions.
        OutgoingMail.objects.filter(sent_at__lt=timezone.now() - MAIL_KEPT).delete()
        # Their authors no longer see them waiting on the story page.
        for article_id in stories:
            story_changed(article_id)
    return deleted, cleared
