from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The site-wide pieces: the outbox, the rate limit, the job worker, backups."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.contrib import admin

        from .admin import outbox_admin, staff_accounts_admin

        staff_accounts_admin(admin.site)
        outbox_admin(admin.site)
        _measure()


def _measure():
    """The site-wide figures /metrics shows (the outbox, the job queue, logins), and the
    events logged for logins, lockouts and failed jobs."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_login_failed
    from django.db.models import Min
    from django_tasks.signals import task_finished
    from django_tasks_db.models import DBTaskResult

    from .logs import event
    from .metrics import JOB_FAILURES, LOGINS, gauge, seconds_since
    from .models import OutgoingMail

    unsent = OutgoingMail.objects.filter(sent_at=None)
    gauge("newsroom_outbox_backlog", "Mail queued and not sent yet.", unsent.count)
    gauge(
        "newsroom_outbox_failing",
        "Mail not sent yet that the mail server refused at least once.",
        lambda: unsent.filter(attempts__gt=0).count(),
    )
    ready = DBTaskResult.objects.filter(status="READY")
    gauge("newsroom_jobs_waiting", "Background jobs queued, not started.", ready.count)
    gauge(
        "newsroom_jobs_oldest_waiting_seconds",
        "How long the oldest queued job has waited.",
        lambda: seconds_since(ready.aggregate(oldest=Min("enqueued_at"))["oldest"]),
    )
    gauge(
        "newsroom_jobs_failed",
        "Failed jobs whose results are still kept (30 days).",
        lambda: DBTaskResult.objects.filter(status="FAILED").count(),
    )

    def finished(sender, task_result, **kwargs):
        if str(task_result.status) == "FAILED":
            JOB_FAILURES.labels(task_result.task.module_path).inc()
            event("job_failed", job=task_result.task.module_path, job_id=str(task_result.id))

    def logged_in(sender, request, user, **kwargs):
        LOGINS.labels("success").inc()
        event("login", user_id=user.pk)

    def login_failed(sender, credentials=None, request=None, **kwargs):
        LOGINS.labels("failure").inc()
        event("login_failed")  # the name typed may be an address: not written

    def locked_out(sender, request=None, **kwargs):
        LOGINS.labels("lockout").inc()
        event("lockout")

    task_finished.connect(finished, dispatch_uid="newsroom.metrics.jobs", weak=False)
    user_logged_in.connect(logged_in, dispatch_uid="newsroom.metrics.in", weak=False)
    user_login_failed.connect(login_failed, dispatch_uid="newsroom.metrics.failed", weak=False)
    user_locked_out.connect(locked_out, dispatch_uid="newsroom.metrics.lockout", weak=False)


class JobsConfig(TasksAppConfig):
    """django-tasks-db's jobs in the admin, under a name the newsroom reads."""

    verbose_name = _("Background jobs")


# django-tasks-db marks its admin's words for translation but ships no French: our
# catalogue carries them.
LIBRARY_WORDS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("task path"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
    gettext_noop("args kwargs"),
)
