"""A PostgreSQL read replica for the reader pages, when DATABASE_REPLICA_URL names one.

The pages the page cache shares (story, home, tag pages, feeds, search; newsroom.cache)
are the pages that may be slightly behind: they read from the replica while they render.
Everything else reads and writes on the primary: the admin, a reader's own pages (a
session, a message, their waiting comments), every POST.

A replica lags behind the primary. A page rendered from it just after a write could miss
that write, and the page cache would then keep the old page under the new version. So
every change that readers must see (newsroom.cache._changed, the one place) sends the
reader pages to the primary for REPLICA_LAG_SECONDS.
"""

import contextlib
import contextvars
import time

from django.conf import settings
from django.core.cache import cache

REPLICA = "replica"
PRIMARY_UNTIL = "replica:primary-until"

# Set while a shared reader page renders: whether the replica is fresh enough (None:
# not asked yet; asked once per page, on its first query).
_reading = contextvars.ContextVar("newsroom_replica_reading", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reader_page():
    """Reads inside this block may go to the replica."""
    token = _reading.set({"fresh": None})
    try:
        yield
    finally:
        _reading.reset(token)


def wrote() -> None:
    """Readers must see a write: their pages read from the primary for a while."""
    if configured():
        lag = settings.REPLICA_LAG_SECONDS
        cache.set(PRIMARY_UNTIL, time.time() + lag, lag + 1)


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS when a replica is configured)."""

    def db_for_read(self, model, **hints):
        state = _reading.get()
        if state is None:
            return None
        if state["fresh"] is None:
            state["fresh"] = cache.get(PRIMARY_UNTIL, 0) <= time.time()
        return REPLICA if state["fresh"] else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema
