"""Readers' messages to the newsroom: sent with the comments' checks, told to the story's
journalists (or the editors), and handled in the admin."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments.submission import body_hash, hash_ip, held_by_rule, store_submission
from newsroom.mail import mail_queue
from newsroom.text import isolated

from .models import ReaderMessage, sees_reader_addresses


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

    def store():
        hashed = body_hash(body)
        _rule, reason = held_by_rule(
            email=email, body=body, body_hash=hashed, among=ReaderMessage.objects.all()
        )
        message = ReaderMessage.objects.create(
            article=article,
            kind=kind,
            name=name,
            email=email,
            body=body,
            body_hash=hashed,
            ip_hash=hash_ip(ip_address),
            state=ReaderMessage.State.SPAM if reason else ReaderMessage.State.NEW,
            spam_reason=reason,
            submission_key=submission_key,
        )
        if not reason:
            _tell_newsroom(message)
        return message

    return store_submission(
        ReaderMessage,
        kind="message",
        ip_address=ip_address,
        submission_key=submission_key,
        store=store,
    )


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
            if user.has_perm("letters.change_readermessage") and sees_reader_addresses(user)
        ),
        key=lambda user: user.email,
    )


def _tell_newsroom(message: ReaderMessage) -> None:
    """The message by mail to its recipients: the reader's address to those who see it."""
    recipients = message_recipients(message.article)
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("admin:letters_readermessage_change", args=[message.pk])
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
