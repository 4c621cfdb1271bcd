from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    """No table: what the editors' dashboard's permission hangs on."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Can see the editors' dashboard"))]
        verbose_name = _("editors' dashboard")

    def __str__(self):
        return str(self._meta.verbose_name)
