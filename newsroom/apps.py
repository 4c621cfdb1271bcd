from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The site-wide pieces: its management commands (backup, restore)."""

    name = "newsroom"
    verbose_name = "Newsroom"
