"""The comments' periodic job (run by `manage.py worker`): the purge of what is kept only for
a while. (The moderators' digest job is `comments.services.digest.digest_job`.)"""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from .services.privacy import comments_purge


@task()
def purge() -> list[int]:
    """Old rejected and spam comments deleted, old address hashes dropped."""
    return list(comments_purge(older_than=timedelta(days=settings.COMMENT_RETENTION_DAYS)))
