"""Whole story pages for anonymous readers, kept in the shared cache for a short while.

A page is served from the cache only to a request that carries nothing personal: no
session (staff), no flash message, no comment of its own waiting. The page itself holds
nothing personal either: the comment form's CSRF and timing tokens are fetched by a
script (comments/form.js). A story's pages are dropped when the story is saved or one of
its comments is moderated, so readers see a change at once, not after the cache expires.
"""

from django.conf import settings
from django.core.cache import cache

PERSONAL_COOKIES = {"own_comments", "messages", settings.SESSION_COOKIE_NAME}


def _key(slug, language):
    return f"page:story:{language}:{slug}"


def cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and not PERSONAL_COOKIES.intersection(request.COOKIES)
    )


def get(slug, language):
    return cache.get(_key(slug, language))


def put(slug, language, content: bytes):
    cache.set(_key(slug, language), content, settings.PAGE_CACHE_SECONDS)


def comments_key(slug, language):
    return f"page:comments:{language}:{slug}"


def forget(slug):
    """Drop a story's cached page and its rendered comment list, in every language."""
    keys = []
    for code, _name in settings.LANGUAGES:
        keys += [_key(slug, code), comments_key(slug, code)]
    cache.delete_many(keys)
