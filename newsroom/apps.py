from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The site-wide pieces: its management commands (backup, restore)."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.contrib import admin

        from .admin import staff_accounts_admin

        staff_accounts_admin(admin.site)
