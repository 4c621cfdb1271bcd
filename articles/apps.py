from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _


def _byline_may_change(sender, instance, update_fields=None, **kwargs):
    # A user saved (perhaps renamed: a former journalist too, no longer staff but still
    # signing) or about to be deleted (before the byline rows go: their stories are found
    # through them). A login only records its time.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    from .services import author_renamed

    author_renamed(user=instance)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # Users belong to django.contrib.auth, whose admin saves and deletes them: receivers
        # are the one place that hears a journalist renamed or gone.
        post_save.connect(
            _byline_may_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="byline"
        )
        pre_delete.connect(
            _byline_may_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="byline-gone"
        )
