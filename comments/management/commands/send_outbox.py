from django.core.management.base import BaseCommand

from comments.mail import outbox_send
from comments.services import moderators_digest


class Command(BaseCommand):
    help = (
        "Queue the moderators' digest when one is due, and send the mail waiting in the outbox "
        "(after a mail server was down, say). Run it every minute; a mail is sent once."
    )

    def handle(self, *args, **options):
        moderators_digest()
        sent = 0
        while True:  # in batches, until nothing is left that can go now
            batch = outbox_send(limit=100)
            sent += batch
            if batch < 100:
                break
        self.stdout.write(self.style.SUCCESS(f"{sent} mail(s) sent."))
