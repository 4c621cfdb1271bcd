from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.rankings import forget_rankings, rankings, tag_menu
from articles.services import readings_compact


class Command(BaseCommand):
    help = (
        "Recompute the 'most read' and 'most commented' lists and the tag menu from the "
        "database now, instead of waiting for their cache to expire, and fold past days' "
        "reading shards into one row per story and day."
    )

    def handle(self, *args, **options):
        removed = readings_compact(before=timezone.localdate())
        forget_rankings()
        lists = rankings()
        tag_menu()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rankings rebuilt: {len(lists['most_read'])} most read, "
                f"{len(lists['most_commented'])} most commented; {removed} reading rows folded."
            )
        )
