"""The outbox: every mail the site sends (moderators' alerts, authors' notices, readers'
access links) is queued here in the transaction that causes it, and sent apart from it.

A request that queued mail sends it once its own response is out (request_finished), so a
reader's or a moderator's click never waits on a mail server; `manage.py send_outbox`,
run every minute, sends what is left (a mail server that was down). Each mail is claimed
for CLAIM_SECONDS before it is sent and marked sent only once the server accepted it: two
senders never send it twice, and a sender that died (SIGKILL, a timeout) only delays it.
"""

import logging
import re
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.signals import request_finished
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)
CLAIM_SECONDS = 120
MAX_ATTEMPTS = 20
_queued = threading.local()


def mail_queue(*, to: list[str], subject: str, body: str, kind: str = "") -> OutgoingMail | None:
    """Queue a mail, sent once the current transaction commits and the response is out."""
    to = [address for address in to if address]
    if not to:
        return None
    # Mail headers: no line break may survive in a subject.
    subject = re.sub(r"[\r\n\t ]+", " ", subject).strip()[:200]
    mail = OutgoingMail.objects.create(to=to, subject=subject, body=body, kind=kind)
    send_soon()
    return mail


def send_soon():
    """Look at the outbox (and the moderators' digest) once this response is out."""
    transaction.on_commit(lambda: setattr(_queued, "pending", True))


def outbox_send(*, limit: int = 100) -> int:
    """Send the mail that is due (not sent, not claimed by another sender); return how many
    were sent."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(sent_at=None, attempts__lt=MAX_ATTEMPTS)
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .order_by("created_at", "pk")[:limit]
        )
        OutgoingMail.objects.filter(pk__in=[m.pk for m in batch]).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    sent = 0
    for mail in batch:
        try:
            _message(mail).send()
        except Exception as error:  # the mail server is down, slow, or refused it
            logger.warning("Could not send mail %s (%s): %s", mail.pk, mail.subject, error)
            OutgoingMail.objects.filter(pk=mail.pk).update(
                claimed_until=None, attempts=mail.attempts + 1, last_error=str(error)[:300]
            )
            break  # the others would fail the same way: the next run tries again
        OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _message(mail: OutgoingMail) -> EmailMessage:
    # The same Message-ID each time a mail is tried: if a sender was killed after the
    # server took the mail but before it was marked sent, the mail goes again, and mail
    # systems see it is the one they already have.
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    message_id = f"<outbox.{mail.pk}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"
    return EmailMessage(mail.subject, mail.body, None, mail.to, headers={"Message-ID": message_id})


def _send_after_response(**kwargs):
    if getattr(_queued, "pending", False):
        _queued.pending = False
        try:
            from .services import moderators_digest  # the digest is mail too

            moderators_digest()
            outbox_send(limit=20)
        except Exception:  # never let mail break a request; send_outbox will retry
            logger.exception("Sending the outbox after a response failed")


request_finished.connect(_send_after_response, dispatch_uid="comments.mail.after_response")
