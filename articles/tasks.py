"""The stories' background jobs (run by `manage.py worker`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def purge_bin() -> int:
    """Stories in the bin for more than STORY_BIN_DAYS deleted for good."""
    from .services import articles_purge_bin

    return articles_purge_bin(older_than=timedelta(days=settings.STORY_BIN_DAYS))


@task()
def fold_readings() -> int:
    """Past days' reading shards folded into one row per story and day."""
    from .services import readings_compact

    return readings_compact(before=timezone.localdate())
