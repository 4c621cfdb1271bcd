"""A fixed-window counter in Django's cache: shared by every process when the cache is Redis."""

import time

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one more event for a key; False once the window holds more than the limit."""
    bucket = f"ratelimit:{key}:{int(time.time()) // window}"
    # add() only sets a missing key, and incr() is atomic in Redis, so concurrent
    # processes never lose a count between reading and writing it.
    cache.add(bucket, 0, timeout=window)
    try:
        count = cache.incr(bucket)
    except ValueError:  # the bucket expired between add() and incr()
        cache.add(bucket, 1, timeout=window)
        count = 1
    return count <= limit
