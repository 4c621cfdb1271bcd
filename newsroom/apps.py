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
