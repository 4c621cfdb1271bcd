from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from articles.signals import demo_loaded

        from .demo import add_demo_comments

        demo_loaded.connect(add_demo_comments, dispatch_uid="comments.demo")
        _measure()


def _measure():
    """The moderation queue on /metrics (newsroom.metrics): its size, its oldest comment."""
    from django.db.models import Min

    from newsroom.metrics import gauge, seconds_since

    from .models import Comment

    gauge(
        "newsroom_moderation_queue",
        "Comments waiting for a moderator.",
        lambda: Comment.objects.pending().count(),
    )
    gauge(
        "newsroom_moderation_oldest_waiting_seconds",
        "How long the oldest comment waiting for a moderator has waited.",
        lambda: seconds_since(
            Comment.objects.pending().aggregate(oldest=Min("created_at"))["oldest"]
        ),
    )
