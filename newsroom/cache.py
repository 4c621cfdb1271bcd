"""What the site caches, and the one place that says when it changed.

Everything public that is cached sits in Django's default cache (shared by every process:
Redis in production, files on disk in the embedded default) under a key that carries a
version number kept in that same cache:

- the **site version** moves whenever anything a public page may show changes: a story
  saved, published, unpublished or deleted, a tag or an author renamed, a comment
  published, withdrawn or erased. Whole anonymous pages and the shared lists (tag menu,
  most read, most commented, related stories, list counts) carry it;
- a **story's version** moves when that story or one of its comments changes. What only
  the story decides (its rendered comment list) carries it.

Writers (the services of each app) end with story_changed() or site_changed(); nothing
else deletes or overwrites a cached entry. Old entries are never read again and expire
on their own. Lists also expire after RANKING_CACHE_SECONDS, because readings and a
scheduled story going live change them without any write.
"""

import contextlib
import functools
import hashlib
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import replica
from .metrics import CACHE

_FRAGMENT_HIT, _FRAGMENT_MISS = CACHE.labels("fragment", "hit"), CACHE.labels("fragment", "miss")
_PAGE_HIT, _PAGE_MISS = CACHE.labels("page", "hit"), CACHE.labels("page", "miss")

SITE = "version:site"


def _release() -> str:
    """A digest of the code and templates this process runs: part of every key, so a deploy
    never serves what the previous code rendered."""
    digest = hashlib.blake2b(digest_size=6)
    for pattern in (
        "*/*.py",
        "*/templatetags/*.py",
        "*/formats/**/*.py",  # dates and numbers as pages print them
        "*/migrations/*.py",  # what the rows mean
        "templates/**/*.html",
        "locale/**/*.mo",
    ):
        for path in sorted(Path(settings.BASE_DIR).glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()


RELEASE = _release()


def _story(article_id) -> str:
    return f"version:story:{article_id}"


# The versions a request has read, so it asks the cache once for each (a story page reads
# the site version for every list it shows); only during a request.
_request = threading.local()


def _start_request(**kwargs):
    _request.versions = {}


def _end_request(**kwargs):
    _request.versions = None


request_started.connect(_start_request, dispatch_uid="newsroom.cache.start")
request_finished.connect(_end_request, dispatch_uid="newsroom.cache.end")


def _version(key) -> int:
    memo = getattr(_request, "versions", None)
    if memo is not None and key in memo:
        return memo[key]
    # A version starts from the clock, not from 1: if the cache ever loses it (eviction, a
    # restart), the new one cannot match entries made under the old one.
    value = cache.get_or_set(key, lambda: time.time_ns() // 1000, None)
    if memo is not None:
        memo[key] = value
    return value


def _bump(*keys):
    memo = getattr(_request, "versions", None)
    for key in keys:
        if memo is not None:
            memo.pop(key, None)
        # Not there (never read, evicted, or the cache is away): nothing was kept under it
        # that the next reader could find, since _version() starts a missing one from the
        # clock. Writing one here would only add a key per new story (an import of 10,000
        # stories made the file cache list 10,000 files at each write).
        with contextlib.suppress(ValueError):
            cache.incr(key)


def site_version() -> int:
    return _version(SITE)


def story_version(article_id) -> int:
    return _version(_story(article_id))


def _changed(*keys):
    def announce():
        _bump(*keys)
        replica.wrote()  # reader pages read from the primary for a while

    announce()
    # Again once the transaction commits: a reader who cached the old rows between the
    # first bump and the commit must not keep them.
    transaction.on_commit(announce)


def story_changed(article_id) -> None:
    """A story or its comments changed: its page, and every list that may show it."""
    _changed(_story(article_id), SITE)


def site_changed() -> None:
    """Something every page may show changed (a tag, an author, a deleted story)."""
    _changed(SITE)


def story_key(article, *state) -> str:
    """What a story's own rendered parts are kept under: the story, its version, whether it
    is live yet (which changes with time, without any write), and what else the caller's
    part depends on that time changes (whether it takes comments still)."""
    parts = "".join(str(int(part)) for part in (article.is_live, *state))
    return f"story:{article.pk}:v{story_version(article.pk)}:{parts}"


# Each process keeps a copy of what it read from the shared cache for LOCAL_SECONDS: a
# fresh story page asks for eight entries, and reading them from Redis cost it more than
# rendering the rest; a page from the cache, a third of its time (bench/run.py). The keys carry the versions,
# so a change is never served from a copy.
LOCAL_SECONDS = 10
LOCAL_COPIES = LocMemCache("newsroom.cache.copies", {"OPTIONS": {"MAX_ENTRIES": 300}})


# Held while a process recomputes a value past its time: one at a time on the whole site.
# With a lock per list, each worker took another list's refresh at the same moment and,
# for as long as the slowest took, none served anyone (200,000 stories: the cached story
# page's p99 went to 75 ms).
REFRESHING = "refreshing"


def cached(key, compute, *, timeout=None, site_wide=True, cache_only=False):
    """compute(), kept under `key`, the code's release and, unless the key carries a version
    of its own (site_wide=False), the site version; recomputed after `timeout` seconds
    (RANKING_CACHE_SECONDS by default).

    Past its time, a value is recomputed by one process (one value at a time on the whole
    site: REFRESHING) while the others keep serving it:
    when a list expired with the pages, every worker ran its query at once, and readers
    queued behind them (bench/run.py: the cached story page's p99 went from 10 to 160 ms).
    A new version is a new key: nothing stale is served after a write. With cache_only,
    what is not in the cache is not computed: the answer is None.
    """
    timeout = settings.RANKING_CACHE_SECONDS if timeout is None else timeout
    key = f"{key}:{RELEASE}" + (f":v{site_version()}" if site_wide else "")
    now = time.time()
    entry, counted = LOCAL_COPIES.get(key), _FRAGMENT_HIT
    if entry is None or entry[0] <= now:
        entry = cache.get(key)
        if entry is None and cache_only:
            return None
        stale = entry is not None and entry[0] <= now
        if entry is None or (stale and cache.add(REFRESHING, 1, 30)):
            counted = _FRAGMENT_MISS
            try:
                entry = (now + timeout, compute())
                cache.set(key, entry, timeout * 10)
            finally:
                if stale:
                    cache.delete(REFRESHING)
        if entry[0] > now:
            LOCAL_COPIES.set(key, entry, min(timeout, LOCAL_SECONDS))
    counted.inc()
    return entry[1]


def cached_render(key, template_name, get_context, **options) -> str:
    """A template rendered with get_context(), kept as cached() keeps values, per language."""
    html = cached(
        f"{key}:{get_language()}",
        lambda: render_to_string(template_name, get_context()),
        **options,
    )
    return mark_safe(html or "")  # noqa: S308 (rendered by a template)


def _personal(request) -> set:
    """What makes a request's page differ from everyone else's: the personal cookies it
    carries (staff: a session; a message to show; comments of its own waiting). An
    emptied cookie carries nothing."""
    return {name for name in settings.PERSONAL_COOKIES if request.COOKIES.get(name)}


# A query string's page is kept once it was asked this often within PAGE_CACHE_SECONDS: a
# popular search is served from the cache, a stream of one-off queries fills nothing.
POPULAR_AFTER = 2
MAX_KEPT_QUERY = 200


def _query_key(request, allowed) -> str | None:
    """The part of the cache key a query string adds: "" without one, None when its page is
    not to be kept (other parameters, repeated ones, too long)."""
    if not request.GET:
        return ""
    if not allowed or set(request.GET) - set(allowed):
        return None
    pairs = []
    for name in sorted(request.GET):
        values = request.GET.getlist(name)
        if len(values) != 1 or len(values[0]) > MAX_KEPT_QUERY:
            return None
        pairs.append(f"{name}={' '.join(values[0].split())}")
    return hashlib.sha256("&".join(pairs).encode()).hexdigest()[:32]


def _popular(key) -> bool:
    """Count one more asking of this page; True once it is asked often enough to keep."""
    counter = f"asked:{key}"
    cache.add(counter, 0, settings.PAGE_CACHE_SECONDS)
    try:
        return cache.incr(counter) >= POPULAR_AFTER
    except ValueError:  # expired in between
        return False


# The part of a shared page that is a reader's own (story pages: the comment section, with
# the reader's waiting comments), between these marks.
OWN_START, OWN_END = b"<!--own-->", b"<!--/own-->"


def _kept(key):
    """The kept page (content, content type, fresh until), this process's copy while it is
    fresh; None if there is none."""
    kept = LOCAL_COPIES.get(key)
    if kept is None or kept[2] <= time.time():
        kept = cache.get(key)
        if kept is not None and kept[2] > time.time():
            LOCAL_COPIES.set(key, kept, min(LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS))
    return kept


def _with_own_part(kept, part: str):
    """The shared page with its reader's own part in place; None if it has no place for it."""
    content, content_type, _fresh_until = kept
    start, end = content.find(OWN_START), content.find(OWN_END)
    if start < 0 or end < start:
        return None
    body = content[:start] + part.encode() + content[end + len(OWN_END) :]
    return HttpResponse(body, content_type=content_type)


def cache_anonymous_page(view=None, *, query=(), own_part=None):
    """Serve a view's page (or feed) whole from the cache to readers with nothing personal.

    The page is kept under the site version, so any public change is seen at the next
    request; past PAGE_CACHE_SECONDS (what changes with time alone: a scheduled story, the
    lists), one process renders it anew while the others serve it as it was. Pages carry
    no per-reader token (the comment form fetches its own), and a response that sets a
    cookie or is not a 200 is never kept. A page with
    a query string is kept only for the parameters named in `query` (search: the words and
    the page number), and only once it is asked again within that time.

    `own_part(request, *args, **kwargs)`, for a page with a part of its own between
    <!--own--> and <!--/own-->: a reader whose only personal thing is comments of their own
    waiting gets the shared page with that part rendered for them (None: the whole page).
    """
    if view is None:
        return functools.partial(cache_anonymous_page, query=query, own_part=own_part)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = _personal(request)
        # Personal only by the comments this browser sent: the shared page, its own part spliced.
        splice = own_part is not None and personal == {settings.COMMENT_OWN_COOKIE}
        if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0 or (personal and not splice):
            return view(request, *args, **kwargs)
        asked = _query_key(request, query)
        if asked is None or (splice and asked):
            return view(request, *args, **kwargs)
        key = f"page:{RELEASE}:{request.LANGUAGE_CODE}:{request.path}:{asked}:v{site_version()}"
        kept = _kept(key)
        fresh = kept is not None and kept[2] > time.time()
        if splice:
            part = own_part(request, *args, **kwargs) if fresh else None
            response = _with_own_part(kept, part) if part is not None else None
            return response or view(request, *args, **kwargs)
        # Past its time, the page is rendered anew by one process while the others serve it
        # as it was: when every worker rendered it at once, readers queued behind them.
        refresh = f"{key}:refreshing"
        if fresh or (kept is not None and not cache.add(refresh, 1, 30)):
            _PAGE_HIT.inc()
            return HttpResponse(kept[0], content_type=kept[1])
        _PAGE_MISS.inc()
        try:
            popular = kept is not None or not asked or _popular(key)
            with replica.reader_page():  # a shared page: it may read from a replica
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()  # its templates read too
            if popular and response.status_code == 200 and not response.cookies:
                fresh_until = time.time() + settings.PAGE_CACHE_SECONDS
                page = (response.content, response["Content-Type"], fresh_until)
                cache.set(key, page, settings.PAGE_CACHE_SECONDS * 10)
        finally:
            if kept is not None:
                cache.delete(refresh)
        return response

    return wrapper
