from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


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
