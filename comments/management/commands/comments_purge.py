from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import comments_purge


class Command(BaseCommand):
    help = "Delete old rejected and spam comments and drop old address hashes. Run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.COMMENT_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        deleted, cleared = comments_purge(older_than=timedelta(days=days))
        self.stdout.write(
            self.style.SUCCESS(f"{deleted} comment(s) deleted, {cleared} address hash(es) dropped.")
        )
