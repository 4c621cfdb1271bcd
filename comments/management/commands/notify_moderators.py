from datetime import timedelta

from django.core.management.base import BaseCommand

from comments.services import moderators_notify, pending_unannounced


class Command(BaseCommand):
    help = (
        "Email moderators about waiting comments whose notification failed (mail server down). "
        "Run it every few minutes; a comment is announced once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="seconds (default 60)")

    def handle(self, *args, older_than, **options):
        ids = list(
            pending_unannounced(older_than=timedelta(seconds=older_than)).values_list(
                "pk", flat=True
            )
        )
        sent = moderators_notify(comment_ids=ids)
        self.stdout.write(self.style.SUCCESS(f"{sent} of {len(ids)} waiting comment(s) announced."))
