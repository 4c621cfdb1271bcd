"""The outbox: every mail the site sends (moderators' alerts, authors' notices, readers'
access links) is queued here in the transaction that causes it, and sent by the job worker
(`send_mail` below), never by a web worker: a reader's or a moderator's click never waits
on a mail server, even one that hangs.

Each mail is claimed for CLAIM_SECONDS before it is sent and marked sent only once the
server accepted it: two senders never send it twice, and a sender that died (SIGKILL, a
timeout) only delays it. A mail the server refused waits longer before each new try (1,
2, 4 … minutes, an hour at most), while the others go in their turn; none is given up.
One that still fails after ALERT_AFTER tries is logged as an error, shown as failing in
the admin (**Outgoing mail**), and can be sent again from there.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import OutgoingMail

logger = logging.getLogger(__name__)
CLAIM_SECONDS = 120
ALERT_AFTER = 6  # tries, about an hour of failures
LONGEST_WAIT = timedelta(hours=1)


def mail_queue(*, to: list[str], subject: str, body: str, kind: str = "") -> OutgoingMail | None:
    """Queue a mail, sent by the job worker once the current transaction commits."""
    to = [address for address in to if address]
    if not to:
        return None
    # Mail headers: no line break may survive in a subject.
    subject = re.sub(r"[\r\n\t ]+", " ", subject).strip()[:200]
    mail = OutgoingMail.objects.create(to=to, subject=subject, body=body, kind=kind)
    transaction.on_commit(send_mail.enqueue)
    return mail


@task()
def send_mail() -> int:
    """The job worker's: send the mail that is due; how many went."""
    sent = 0
    while True:  # in batches, until nothing is left that can go now
        batch = outbox_send(limit=100)
        sent += batch
        if batch < 100:
            return sent


def due():
    """The mail to send now: not sent, not claimed by a live sender, its wait over."""
    now = timezone.now()
    return (
        OutgoingMail.objects.filter(sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
    )


def outbox_send(*, limit: int = 100) -> int:
    """Send the mail that is due, longest waiting first; return how many were sent. A mail
    the server refuses waits before its next try, and this run stops there: the server is
    likely down for the others too, and they go first next time (none is starved)."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            due()
            .select_for_update(skip_locked=True)
            .order_by(F("next_attempt_at").asc(nulls_first=True), "created_at", "pk")[:limit]
        )
        OutgoingMail.objects.filter(pk__in=[m.pk for m in batch]).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    for sent, mail in enumerate(batch):
        try:
            _message(mail).send()
        except Exception as error:  # the mail server is down, slow, or refused it
            _failed(mail, error)
            # What this run claimed and did not try is free again at once.
            untried = [m.pk for m in batch[sent + 1 :]]
            OutgoingMail.objects.filter(pk__in=untried).update(claimed_until=None)
            return sent
        OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), claimed_until=None)
    return len(batch)


def _failed(mail: OutgoingMail, error: Exception) -> None:
    attempts = mail.attempts + 1
    wait = min(timedelta(minutes=2 ** (attempts - 1)), LONGEST_WAIT)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        claimed_until=None,
        attempts=attempts,
        next_attempt_at=timezone.now() + wait,
        last_error=str(error)[:300],
    )
    if attempts >= ALERT_AFTER:
        logger.error(
            "Mail %s not sent after %d tries since %s (next try in %s): %s",
            mail.pk,
            attempts,
            mail.created_at.isoformat(timespec="minutes"),
            wait,
            error,
        )
    else:
        logger.warning("Could not send mail %s (try %d): %s", mail.pk, attempts, error)


def failing():
    """Mail tried ALERT_AFTER times or more and still not sent: for the admin's alert."""
    return OutgoingMail.objects.filter(sent_at=None, attempts__gte=ALERT_AFTER)


def send_again(mails) -> int:
    """Try these mails again at the next run, as if new; return how many."""
    count = mails.filter(sent_at=None).update(next_attempt_at=None, claimed_until=None)
    if count:
        transaction.on_commit(send_mail.enqueue)
    return count


def _message(mail: OutgoingMail) -> EmailMessage:
    # The same Message-ID each time a mail is tried: if a sender was killed after the
    # server took the mail but before it was marked sent, the mail goes again, and mail
    # systems see it is the one they already have.
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    message_id = f"<outbox.{mail.pk}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"
    return EmailMessage(mail.subject, mail.body, None, mail.to, headers={"Message-ID": message_id})
