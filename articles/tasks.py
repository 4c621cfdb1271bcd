"""The stories' periodic jobs (run by `manage.py worker`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .services import articles_purge_bin, body_images_purge_unplaced, readings_compact


@task()
def purge_bin() -> int:
    """Stories in the bin for more than STORY_BIN_DAYS deleted for good; images dropped into
    a new story never saved, after two days."""
    body_images_purge_unplaced(older_than=timedelta(days=2))
    return articles_purge_bin(older_than=timedelta(days=settings.STORY_BIN_DAYS))


@task()
def fold_readings() -> int:
    """Past days' reading shards folded into one row per story and day."""
    return readings_compact(before=timezone.localdate())
