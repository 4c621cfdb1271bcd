"""The site-wide background jobs (Django's Tasks API, through the django-tasks backport; run
by `manage.py worker`): sending the outbox, and the nightly backup. Each is idempotent: run
twice, it does its work once."""

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django_tasks import task


@task()
def send_mail() -> int:
    """Send the outbox's mail that is due (newsroom/mail.py); how many went."""
    from .mail import outbox_send

    sent = 0
    while True:  # in batches, until nothing is left that can go now
        batch = outbox_send(limit=100)
        sent += batch
        if batch < 100:
            return sent


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
