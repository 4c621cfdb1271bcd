"""The "most read" and "most commented" blocks, and the tag menu: small lists, cached briefly."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from .models import Article, Tag

RANKING_SIZE = 5


def _entries(queryset):
    return [
        {"title": a.title, "url": a.get_absolute_url(), "count": a.score}
        for a in queryset[:RANKING_SIZE]
    ]


def rankings() -> dict:
    """Both sidebar lists, from one aggregate query each, cached for NEWSROOM_RANKING_CACHE s."""

    def compute():
        now = timezone.now()
        read_since = timezone.localdate() - timedelta(days=settings.NEWSROOM_MOST_READ_DAYS - 1)
        commented_since = now - timedelta(days=settings.NEWSROOM_MOST_COMMENTED_DAYS)
        return {
            "most_read": _entries(Article.objects.most_read(read_since)),
            "most_commented": _entries(Article.objects.most_commented(commented_since)),
        }

    return cache.get_or_set("rankings:v1", compute, settings.NEWSROOM_RANKING_CACHE)


def tag_menu() -> list[dict]:
    """Tags that have live stories, with how many, for the header."""

    def compute():
        live = Q(
            articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now()
        )
        tags = Tag.objects.annotate(count=Count("articles", filter=live)).filter(count__gt=0)
        return [{"name": t.name, "url": t.get_absolute_url(), "count": t.count} for t in tags]

    return cache.get_or_set("tag-menu:v1", compute, settings.NEWSROOM_RANKING_CACHE)


def forget_rankings():
    """Drop the cached lists, so the next page computes them afresh."""
    cache.delete_many(["rankings:v1", "tag-menu:v1"])
