"""Metrics in Prometheus's format, at /metrics for whoever holds METRICS_TOKEN (off
without it): django-prometheus's requests by view and status with their latency, and the
newsroom's own below. Under gunicorn, each worker writes its counters to
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets it and forgets a dead worker's gauges), and
the page sums them across workers (prometheus_client's multiprocess mode).

Counters are counted where things happen (the apps import them from here); the figures
that are states (the moderation queue, the outbox, the job queue) are read from the
database when the page is asked for, by the functions the apps register with gauge()."""

import hmac
import os
import time

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

COMMENTS = Counter(
    "newsroom_comments_total",
    "Comments by what happened to them: submitted, published, refused (rejected or spam).",
    ["event"],
)
CACHE = Counter(
    "newsroom_cache_requests_total",
    "Cache reads by layer (page: whole anonymous pages; fragment: kept parts) and result.",
    ["layer", "result"],
)
LOGINS = Counter(
    "newsroom_logins_total", "Staff logins by result: success, failure, lockout.", ["result"]
)
RATE_LIMITED = Counter(
    "newsroom_rate_limit_refusals_total", "Requests refused by a rate limit, by kind.", ["kind"]
)
JOB_FAILURES = Counter("newsroom_job_failures_total", "Background jobs that raised.", ["job"])
QUERIES = Histogram(
    "newsroom_db_queries_per_request",
    "Database queries a request made.",
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89),
)

_GAUGES = []  # (name, help, function returning a number or {label value: number}, label)


def gauge(name, documentation, read, label=None):
    """Register a figure read from the database when /metrics is asked for."""
    _GAUGES.append((name, documentation, read, label))


class _StateCollector:
    def collect(self):
        for name, documentation, read, label in _GAUGES:
            value = read()
            if label:
                family = GaugeMetricFamily(name, documentation, labels=[label])
                for key, number in value.items():
                    family.add_metric([str(key)], number)
            else:
                family = GaugeMetricFamily(name, documentation, value=value)
            yield family


def _registry():
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=folder)
    else:
        from prometheus_client import REGISTRY as registry
    states = CollectorRegistry(auto_describe=False)
    states.register(_StateCollector())
    return registry, states


def metrics_view(request):
    """The metrics, for a bearer of METRICS_TOKEN; a 404 for anyone else (it is off
    without a token)."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    registry, states = _registry()
    body = generate_latest(registry) + generate_latest(states)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class QueryCountMiddleware:
    """Counts each request's database queries (newsroom_db_queries_per_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        QUERIES.observe(count[0])
        return response


def seconds_since(moment) -> float:
    return max(0.0, time.time() - moment.timestamp()) if moment else 0.0
