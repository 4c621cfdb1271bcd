from http import HTTPStatus

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from newsroom import ratelimit
from tests.factories import comment_data, make_article

pytestmark = pytest.mark.django_db


def test_rate_limit_counts_within_a_window(settings):
    assert all(ratelimit.allow("k", limit=3, window=60) for _ in range(3))
    assert not ratelimit.allow("k", limit=3, window=60)
    assert ratelimit.allow("other", limit=3, window=60)


def _redis_or_skip():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "newsroom-test"})
    try:
        cache.clear()
    except Exception:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    return cache


def test_rate_limit_is_shared_by_processes_through_redis(monkeypatch):
    # Two cache clients stand for two server processes: neither may count alone.
    first, second = _redis_or_skip(), _redis_or_skip()
    allowed = []
    for client in (first, second, first, second, first, second):
        monkeypatch.setattr(ratelimit, "cache", client)
        allowed.append(ratelimit.allow("ip", limit=4, window=600))
    assert allowed == [True, True, True, True, False, False]
    first.clear()


def test_rate_limit_exemption_is_by_address(settings):
    settings.COMMENT_RATE_LIMIT = 1
    settings.COMMENT_RATE_LIMIT_EXEMPT = ["127.0.0.9"]
    article = make_article()
    url = reverse("comments:post", args=[article.slug])
    bench = Client(REMOTE_ADDR="127.0.0.9")
    assert [
        bench.post(url, comment_data(article, body=f"Texte numéro {n}.")).status_code
        for n in range(3)
    ] == [HTTPStatus.FOUND] * 3
    other = Client(REMOTE_ADDR="127.0.0.10")
    assert [
        other.post(url, comment_data(article, body=f"Autre {n}.")).status_code for n in range(2)
    ] == [HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
