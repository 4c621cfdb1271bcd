"""The "most read" and "most commented" blocks, and the tag menu: small lists, cached briefly."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Rank
from django.utils import timezone

from comments.models import Comment

from .models import Article, DailyReadings, Tag

RANKING_SIZE = 5
# How many of the best scores are read before looking stories up: a margin for stories
# that went offline since they were read or commented.
CANDIDATES = 50


def reading_scores(since):
    """Readings per story since a day, busiest first: the readings index alone."""
    return (
        DailyReadings.objects.filter(day__gte=since)
        .values("article_id")
        .annotate(score=Sum("count"))
        .order_by("-score")
    )


def comment_scores(since):
    """Approved comments per story sent since a time, most first: the comments index alone."""
    return (
        Comment.objects.approved()
        .filter(created_at__gte=since)
        .values("article_id")
        .annotate(score=Count("*"))
        .order_by("-score")
    )


def best_scores(scores):
    """The best CANDIDATES scores and every one tied with the last, in one query: a rank
    gives equal scores the same rank."""
    ranked = scores.annotate(rank=Window(Rank(), order_by=F("score").desc()))
    return ranked.filter(rank__lte=CANDIDATES)


def top_live(scores, size=RANKING_SIZE) -> list[Article]:
    """The live stories with the best scores (ties: the newest first), each with .score.

    Joining scores to all 20,000 stories before sorting makes PostgreSQL read the whole
    story table. Instead: the best CANDIDATES scores, and every story tied with the last
    of them, then those stories by primary key. Any story left out scores below all of
    them, so when `size` of them are live the answer is exact; otherwise (most of the best
    gone offline) every score is read.
    """
    head = list(best_scores(scores))
    score, live = _live_with(head)
    if len(live) < size and len(head) >= CANDIDATES:
        score, live = _live_with(scores)
    live.sort(key=lambda a: (-score[a.pk], -a.published_at.timestamp()))
    for article in live:
        article.score = score[article.pk]
    return live[:size]


def _live_with(rows):
    score = {row["article_id"]: row["score"] for row in rows}
    stories = Article.objects.published().filter(pk__in=score)
    return score, list(stories.only("title", "slug", "published_at"))


def _entries(stories):
    return [{"title": a.title, "url": a.get_absolute_url(), "count": a.score} for a in stories]


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
            "most_read": _entries(top_live(reading_scores(read_since))),
            "most_commented": _entries(top_live(comment_scores(commented_since))),
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
