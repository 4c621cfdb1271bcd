"""The comments' background jobs (run by `manage.py worker`): the moderators' digest, and
the purge of what is kept only for a while."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task


@task()
def moderators_digest() -> int:
    """Announce the waiting comments not yet announced, at most every COMMENT_DIGEST_MINUTES."""
    from .services import moderators_digest as digest

    return digest()


@task()
def purge() -> list[int]:
    """Old rejected and spam comments deleted, old address hashes dropped."""
    from .services import comments_purge

    return list(comments_purge(older_than=timedelta(days=settings.COMMENT_RETENTION_DAYS)))
