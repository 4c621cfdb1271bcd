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

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

SITE = "version:site"


def _story(article_id) -> str:
    return f"version:story:{article_id}"


def _version(key) -> int:
    # A version starts from the clock, not from 1: if the cache ever loses it (eviction, a
    # restart), the new one cannot match entries made under the old one.
    return cache.get_or_set(key, lambda: time.time_ns() // 1000, None)


def _bump(*keys):
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not there (or the cache is away): any new value will do
            cache.set(key, time.time_ns() // 1000, None)


def site_version() -> int:
    return _version(SITE)


def story_version(article_id) -> int:
    return _version(_story(article_id))


def _changed(*keys):
    _bump(*keys)
    # Again once the transaction commits: a reader who cached the old rows between the
    # first bump and the commit must not keep them.
    transaction.on_commit(lambda: _bump(*keys))


def story_changed(article_id) -> None:
    """A story or its comments changed: its page, and every list that may show it."""
    _changed(_story(article_id), SITE)


def site_changed() -> None:
    """Something every page may show changed (a tag, an author, a deleted story)."""
    _changed(SITE)


def cached(name, compute, *, version=None, timeout=None):
    """compute(), kept under a key carrying the site version (or the version given)."""
    key = f"{name}:v{site_version() if version is None else version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.RANKING_CACHE_SECONDS if timeout is None else timeout)
    return value


def _personal(request) -> bool:
    """A request whose page may differ from everyone else's: staff (a session), a message
    to show, a comment of its own waiting, a query string (?formulaire, ?page)."""
    return bool(request.GET) or any(name in request.COOKIES for name in settings.PERSONAL_COOKIES)


def cache_anonymous_page(view):
    """Serve a view's page whole from the cache to readers with nothing personal.

    The page is kept for PAGE_CACHE_SECONDS under the site version, so any public change
    is seen at the next request. Pages carry no per-reader token (the comment form fetches
    its own), and a response that sets a cookie or is not a 200 is never kept.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0 or _personal(request):
            return view(request, *args, **kwargs)
        key = f"page:{request.LANGUAGE_CODE}:{request.path}:v{site_version()}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)

        def keep(response):
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(keep)
        else:
            keep(response)
        return response

    return wrapper
