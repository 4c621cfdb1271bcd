from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "letters"
    verbose_name = _("Readers' messages")

    def ready(self):
        from comments.submission import register

        from .privacy import LETTERS

        register(LETTERS)  # a reader's rights reach their letters
