from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("Editors' dashboard")

    def ready(self):
        from django.contrib import admin
        from django.urls import path

        from .views import dashboard_view

        # /admin/tableau-de-bord/, inside the admin (its login, its 2FA, its layout).
        admin.site.extra_urls.append(
            path("tableau-de-bord/", admin.site.admin_view(dashboard_view), name="dashboard")
        )
