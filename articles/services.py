import random

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Article, DailyReadings

# How long a reader is remembered as having read a story: the rest of the day at most.
READING_MEMORY = 24 * 3600


def article_publish(*, article: Article) -> Article:
    """Put a story on the site now; a story already live keeps its publication time."""
    if article.is_live:
        return article
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take a story off the site: it becomes a draft again."""
    if article.status == Article.Status.DRAFT:
        return article
    article.status = Article.Status.DRAFT
    article.save()
    return article


def article_record_reading(*, article: Article, reader: str) -> bool:
    """Count one reading, at most once per reader, story and day; True when it counted."""
    day = timezone.localdate()
    seen_key = (
        "reading:" + salted_hmac("newsroom.reading", f"{reader}|{article.pk}|{day}").hexdigest()
    )
    if not cache.add(seen_key, 1, timeout=READING_MEMORY):
        return False
    shard = random.randrange(DailyReadings.SHARDS)
    rows = DailyReadings.objects.filter(article=article, day=day, shard=shard)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                DailyReadings.objects.create(article=article, day=day, shard=shard, count=1)
        except IntegrityError:  # another process made the row first
            rows.update(count=F("count") + 1)
    return True


def readings_compact(*, before) -> int:
    """Fold each past day's reading shards into one row per story; return rows removed."""
    removed = 0
    days = (
        DailyReadings.objects.filter(day__lt=before, shard__gt=0)
        .values_list("article_id", "day")
        .distinct()
    )
    for article_id, day in days.iterator():
        with transaction.atomic():
            rows = DailyReadings.objects.select_for_update().filter(article_id=article_id, day=day)
            total = sum(row.count for row in rows)
            removed += rows.exclude(shard=0).delete()[0]
            DailyReadings.objects.update_or_create(
                article_id=article_id, day=day, shard=0, defaults={"count": total}
            )
    return removed
