from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _staff_saved(sender, instance, update_fields=None, **kwargs):
    # A login only records its time; any other save may rename a byline.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if instance.is_staff:
        from .services import author_renamed

        author_renamed(user=instance)


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        # Users belong to django.contrib.auth, whose admin saves them: a receiver is the one
        # place that hears a journalist's name change.
        post_save.connect(_staff_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="byline")
