"""A load balancer's probes: /healthz answers while the process does, /readyz names the
part that does not answer, with a 503."""

from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.test import Client

from newsroom import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client(HTTP_HOST="10.0.0.5").get("/healthz")  # a balancer asks by address
    assert response.status_code == HTTPStatus.OK and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_times_each_part_and_says_ready():
    response = Client(HTTP_HOST="10.0.0.5").get("/readyz")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["ready"] and body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "storage", "jobs"}
    assert all(check["ok"] and check["ms"] >= 0 for check in body["checks"].values())


def test_readyz_names_the_part_that_is_away(monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", refused)
    response = Client().get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["error"] == "OperationalError: connection refused"
    assert body["checks"]["cache"]["ok"] and body["checks"]["jobs"]["ok"]
    # The process itself still answers.
    assert Client().get("/healthz").status_code == HTTPStatus.OK


def test_readyz_sees_a_redis_that_the_cache_hides(monkeypatch):
    """The site's Redis cache answers misses while Redis is away: the probe asks Redis."""
    from django.core.cache.backends.redis import RedisCache

    class Away:
        def get_client(self, write=False):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    fake = RedisCache("redis://127.0.0.1:1", {})
    fake._cache = Away()
    monkeypatch.setattr(health, "cache", fake)
    body = Client().get("/readyz").json()
    assert body["failing"] == ["cache"] and "Error 111" in body["checks"]["cache"]["error"]
