"""The background jobs' one command: django-tasks-db's worker, and the schedule that
queues the periodic jobs (settings.TASK_SCHEDULE) — no cron. `./dev serve` starts it
beside the web server; in production it is its own service (README, Production)."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def queue_what_is_due() -> list[str]:
    """Queue each scheduled job whose last run was queued longer ago than its period (or
    never); return their paths. Several workers may ask at once: a job queued twice only
    runs its idempotent work twice."""
    now = timezone.now()
    queued = []
    for path, seconds in settings.TASK_SCHEDULE.items():
        recent = DBTaskResult.objects.filter(
            task_path=path, enqueued_at__gt=now - timedelta(seconds=seconds)
        )
        if not recent.exists():
            import_string(path).enqueue()
            queued.append(path)
    return queued


class Command(BaseCommand):
    help = (
        "Run the background jobs (mail, the moderators' digest, purges, readings, backups) "
        "and queue the periodic ones on their schedule. Leave it running; --once runs what "
        "is due and queued, then exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks")
        parser.add_argument("--once", action="store_true", help="run what is due, then exit")

    def handle(self, *args, interval, once, **options):
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=once,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        queue_what_is_due()
        if not once:
            stop = threading.Event()

            def schedule():
                while not stop.wait(settings.TASK_SCHEDULE_CHECK_SECONDS):
                    try:
                        queue_what_is_due()
                    except Exception:  # the database away: the next look tries again
                        logger.exception("Could not queue the scheduled jobs")

            threading.Thread(target=schedule, daemon=True, name="schedule").start()
            worker.configure_signals()
        try:
            worker.run()
        finally:
            if not once:
                stop.set()
