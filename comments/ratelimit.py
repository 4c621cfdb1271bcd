"""A fixed-window counter in Django's cache: shared by every process when the cache is Redis."""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)
# Used only while the shared cache is unavailable: the limit then holds per process.
_fallback = LocMemCache("newsroom-ratelimit-fallback", {"MAX_ENTRIES": 10_000})


def _count(store, bucket: str, window: int) -> int:
    try:
        return store.incr(bucket)  # atomic in Redis: no count lost between processes
    except ValueError:  # no such key yet, or the cache is unavailable
        if store.add(bucket, 1, timeout=window):
            return 1
        return store.incr(bucket)  # another process made it meanwhile


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one more event for a key; False once the window holds more than the limit."""
    bucket = f"ratelimit:{key}:{int(time.time()) // window}"
    try:
        count = _count(cache, bucket, window)
    except ValueError:
        logger.warning("Shared cache unavailable: rate limit %s counted in this process only", key)
        count = _count(_fallback, bucket, window)
    return count <= limit
