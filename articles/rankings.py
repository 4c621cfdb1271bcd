"""The "most read" and "most commented" blocks, and the tag menu: small lists, cached briefly."""

import time
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


# Each process keeps what it read from the shared cache for a few seconds: these lists are
# a minute old by design, and a page then makes no round trip to Redis for them.
_LOCAL_SECONDS = 5
_local: dict = {}


def _fresh_enough(key, compute, ttl):
    """A cached value, refreshed by one process while the others keep serving the old one.

    Expiring lists would otherwise make every busy worker run the same aggregate at once.
    """
    held = _local.get(key)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    value = _shared(key, compute, ttl)
    if len(_local) > 5000:
        _local.clear()
    _local[key] = (time.monotonic() + _LOCAL_SECONDS, value)
    return value


def _shared(key, compute, ttl):
    entry = cache.get(key)
    now = time.time()
    if entry is not None:
        refresh_at, value = entry
        if refresh_at > now or not cache.add(f"{key}:refreshing", 1, timeout=30):
            return value
    value = compute()
    cache.set(key, (now + ttl, value), timeout=ttl * 10)
    cache.delete(f"{key}:refreshing")
    return value


def related(article, tag_ids) -> list:
    """Up to 3 live stories sharing the story's tags, cached for a while per story."""
    if not tag_ids:
        return []
    return _fresh_enough(
        f"related:v1:{article.pk}",
        lambda: list(Article.objects.related_to(article, tag_ids)[:3]),
        settings.NEWSROOM_RANKING_CACHE * 10,
    )


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

    return _fresh_enough("rankings:v2", compute, settings.NEWSROOM_RANKING_CACHE)


def tag_menu() -> list[dict]:
    """Tags that have live stories, with how many, for the header."""

    def compute():
        live = Q(
            articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now()
        )
        tags = Tag.objects.annotate(count=Count("articles", filter=live)).filter(count__gt=0)
        return [{"name": t.name, "url": t.get_absolute_url(), "count": t.count} for t in tags]

    return _fresh_enough("tag-menu:v2", compute, settings.NEWSROOM_RANKING_CACHE)


def forget_rankings():
    """Drop the cached lists, so the next page computes them afresh."""
    _local.clear()
    cache.delete_many(["rankings:v2", "tag-menu:v2"])
