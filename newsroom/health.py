"""What a load balancer asks: /healthz (the process answers: nothing else is touched) and
/readyz (the database, the cache, the file storage and the job queue answer, each timed;
503 naming the part that does not). Neither is cached, counted as a reading, or logged
when all is well (newsroom.logs skips them).

Two small views rather than django-health-check: the four checks, their times and the
job queue's table fit in these lines, with no plugin to configure per backend."""

import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from .metrics import metrics_view

PROBES = ("/healthz", "/readyz")


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    if isinstance(cache, RedisCache):
        # The site's Redis cache turns an outage into misses (newsroom.rediscache): asked
        # directly, Redis says whether it is there.
        cache._cache.get_client(write=True).ping()
        return
    cache.set("readyz", 1, 10)
    if cache.get("readyz") != 1:
        raise RuntimeError("the cache kept nothing")


def _storage():
    default_storage.exists("readyz-probe")


def _jobs():
    DBTaskResult.objects.filter(status="READY").exists()


CHECKS = {"database": _database, "cache": _cache, "storage": _storage, "jobs": _jobs}


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    checks, ready = {}, True
    for name, check in CHECKS.items():
        start = time.perf_counter()
        try:
            check()
            result = {"ok": True}
        except Exception as failed:  # noqa: BLE001 (any failure is "not ready")
            ready = False
            result = {"ok": False, "error": f"{type(failed).__name__}: {failed}"[:200]}
        result["ms"] = round((time.perf_counter() - start) * 1000, 1)
        checks[name] = result
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"ready": ready, "failing": failing, "checks": checks}
    return JsonResponse(body, status=200 if ready else 503)


class ProbeMiddleware:
    """First of the middleware: a probe (and the metrics, which Prometheus scrapes from a
    server's own address) is answered before anything else runs: no session, no host check
    (a load balancer asks by address), no HTTPS redirect, no page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        if request.path == "/readyz":
            return readyz(request)
        if request.path == "/metrics":
            return metrics_view(request)  # for a bearer of METRICS_TOKEN only
        return self.get_response(request)
