"""The site-wide periodic jobs (Django's Tasks API, through the django-tasks backport; run by
`manage.py worker`): the nightly backup and the pruning of old job results. (The outbox's
sender is `newsroom.mail.send_mail`.) Each is idempotent: run twice, it does its work once."""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django_tasks import task


@task()
def backup() -> str:
    """The nightly backup into BACKUP_DIR (manage.py backup, with its manifest for the
    restore drill); backups older than BACKUP_KEEP_DAYS go, the newest always stays."""
    call_command("backup", settings.BACKUP_DIR)
    folders = sorted(Path(settings.BACKUP_DIR).glob("newsroom-*"))
    oldest_kept = datetime.now(UTC) - timedelta(days=settings.BACKUP_KEEP_DAYS)
    for folder in folders[:-1]:
        made = datetime.strptime(folder.name, "newsroom-%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        if made < oldest_kept:
            shutil.rmtree(folder)
    return str(folders[-1])


@task()
def prune_results() -> None:
    """Finished jobs forgotten after 7 days, failed ones after 30 (their errors read in the
    admin's Tasks list until then)."""
    call_command("prune_db_task_results", "--min-age-days", "7", "--failed-min-age-days", "30")
