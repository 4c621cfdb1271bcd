from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.services import articles_purge_bin


class Command(BaseCommand):
    help = "Delete for good the stories in the bin for more than STORY_BIN_DAYS. Run it daily."

    def handle(self, *args, **options):
        purged = articles_purge_bin(older_than=timedelta(days=settings.STORY_BIN_DAYS))
        self.stdout.write(self.style.SUCCESS(f"{purged} story(ies) deleted for good."))
