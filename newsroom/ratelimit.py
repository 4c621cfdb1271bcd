"""How often one client may do something (send a comment, report one, fail a login, ask
for a link): a sliding window counted in Django's cache (shared by every process with
Redis), and in the database while the cache is away.

The window slides: the count is this window's events plus the last window's, weighted by
how much of it still lies within the last `window` seconds. Five comments at 20:09:58 and
five more at 20:10:01 are ten in three seconds, not two windows of five.
"""

import logging
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .metrics import RATE_LIMITED

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    pass


def _count(bucket: str, window: int) -> int:
    try:
        return cache.incr(bucket)  # atomic in Redis: no count lost between processes
    except ValueError:  # no such key yet, or the cache is unavailable
        if cache.add(bucket, 1, timeout=window * 2):
            return 1
        try:
            return cache.incr(bucket)  # another process made it meanwhile
        except ValueError:
            raise CacheUnavailable from None


def _buckets(key: str, window: int) -> tuple[str, str, float]:
    """This window's bucket, the last one's, and how much of the last one still counts."""
    number, into = divmod(time.time(), window)
    return (
        f"ratelimit:{key}:{int(number)}",
        f"ratelimit:{key}:{int(number) - 1}",
        1 - into / window,
    )


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one more event for a key; False once the last `window` seconds hold more than
    `limit` of them."""
    current, last, weight = _buckets(key, window)
    try:
        count = _count(current, window)
    except CacheUnavailable:
        logger.warning("Shared cache unavailable: rate limit %s counted in the database", key)
        allowed = _allow_in_database(key, limit=limit, window=window)
    else:
        allowed = (cache.get(last) or 0) * weight + count <= limit
    if not allowed:
        RATE_LIMITED.labels(key.split(":", 1)[0]).inc()
    return allowed


def exhausted(key: str, *, limit: int, window: int) -> bool:
    """Whether the last `window` seconds already hold `limit` events for a key, so that the
    next would be refused; counts nothing, and costs one cache read. False when the cache
    is away (allow() then counts in the database)."""
    current, last, weight = _buckets(key, window)
    try:
        counts = cache.get_many([current, last])
    except Exception:  # the cache away: the full check decides
        return False
    full = counts.get(last, 0) * weight + counts.get(current, 0) >= limit
    if full:
        RATE_LIMITED.labels(key.split(":", 1)[0]).inc()
    return full


def _allow_in_database(key: str, *, limit: int, window: int) -> bool:
    """The same limit, exact, in a table every process shares: while Redis is away."""
    from .models import RateLimitEvent  # the site-wide pieces' own table

    now = timezone.now()
    with transaction.atomic():
        RateLimitEvent.objects.filter(key=key, at__lt=now - timedelta(seconds=window)).delete()
        RateLimitEvent.objects.create(key=key, at=now)
        return RateLimitEvent.objects.filter(key=key).count() <= limit
