from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.services import readings_compact
from newsroom.cache import site_changed


class Command(BaseCommand):
    help = (
        "Recompute the 'most read' and 'most commented' lists and the tag menu at the next "
        "page, instead of waiting for their cache to expire, and fold past days' reading "
        "shards into one row per story and day."
    )

    def handle(self, *args, **options):
        removed = readings_compact(before=timezone.localdate())
        site_changed()
        self.stdout.write(
            self.style.SUCCESS(f"Lists will be recomputed; {removed} reading rows folded.")
        )
