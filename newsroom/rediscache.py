"""Django's Redis cache, made to degrade instead of failing when Redis is away or hangs.

A Redis that refuses connections fails fast; one that accepts them and never answers
(paused, overloaded, a half-open connection) costs each call its socket timeout. So the
first failure opens a circuit breaker (pybreaker) shared by the whole process: for
REDIS_RETRY_SECONDS every cache call is a miss at once, without touching the network; then
one call tries Redis again, and its answer closes the breaker. A stalled Redis costs a
reader one timeout (half a second), once per process and period, not one per cache call.

Django's own backend rather than django-redis: with IGNORE_EXCEPTIONS, django-redis turns
each failure into a miss, but still waits out the timeout on every call (and its misses
answer incr() with None, which the rate limit would count as a number).
"""

import functools
import logging
import time

import pybreaker
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)
# A failure is a Redis error; a missing key (incr's ValueError) is an answer.
BREAKER = pybreaker.CircuitBreaker(
    fail_max=1,
    reset_timeout=getattr(settings, "REDIS_RETRY_SECONDS", 10),
    exclude=[lambda error: not isinstance(error, RedisError)],
    name="redis",
)
# No retry inside a call: the breaker is the retry, a few seconds later.
NO_RETRY = Retry(NoBackoff(), 0)
_LOG_EVERY = 60  # seconds between two "Redis is down" log lines
_last_logged = 0.0


def _log_outage(operation, error):
    global _last_logged
    now = time.monotonic()
    if now - _last_logged > _LOG_EVERY:
        _last_logged = now
        logger.error("Redis cache unavailable (%s): %s", operation, error)


def _degrades(on_error):
    """Run the RedisCache method; when Redis fails, log and answer on_error(*args) instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return BREAKER.call(getattr(RedisCache, method.__name__), self, *args, **kwargs)
            except (RedisError, pybreaker.CircuitBreakerError) as error:
                _log_outage(method.__name__, error)
                return on_error(*args, **kwargs)

        return wrapper

    return decorate


def _missing_key(*args, **kwargs):
    raise ValueError("cache unavailable")


class _ReusedClient(RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, which builds its table of
    response callbacks each time (a tenth of a millisecond, more than a GET on loopback).
    One per connection pool does: a client is thread-safe over its pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """A cache miss instead of an error: pages render from the database while Redis is down.

    Reads return the default, writes report failure (add() returns False, so nothing that
    relies on add() as a "first time" test counts a duplicate), incr() raises ValueError as
    for a missing key. Callers that must keep a limit during an outage handle that
    themselves (see newsroom.ratelimit).
    """

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {"retry": NO_RETRY, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _ReusedClient

    @_degrades(lambda key, default=None, version=None: default)
    def get(self): ...

    @_degrades(lambda *args, **kwargs: {})
    def get_many(self): ...

    @_degrades(lambda *args, **kwargs: None)
    def set(self): ...

    @_degrades(lambda data, *args, **kwargs: list(data))
    def set_many(self): ...

    @_degrades(lambda *args, **kwargs: False)
    def add(self): ...

    @_degrades(_missing_key)
    def incr(self): ...

    @_degrades(lambda *args, **kwargs: False)
    def delete(self): ...

    @_degrades(lambda *args, **kwargs: None)
    def delete_many(self): ...

    @_degrades(lambda *args, **kwargs: False)
    def touch(self): ...

    @_degrades(lambda *args, **kwargs: False)
    def has_key(self): ...

    @_degrades(lambda *args, **kwargs: False)
    def clear(self): ...
