"""gunicorn settings for newsroom; WEB_CONCURRENCY and GUNICORN_THREADS override the defaults."""

import gc
import multiprocessing
import os
import tempfile
from pathlib import Path

# /metrics sums the workers' counters (prometheus_client's multiprocess mode): each worker
# writes its own files here. Set before the application (and prometheus_client) is loaded;
# emptied at each start, so a restarted server does not count twice.
METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / f"newsroom-metrics-{os.getpid()}")
)
Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)
for _old in Path(METRICS_DIR).glob("*.db"):  # the folder may be systemd's: its files only
    _old.unlink(missing_ok=True)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are short and CPU-bound; the database is the only wait.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A worker is recycled now and then, so a slow leak can never grow without bound. Not too
# often: a new worker's first requests open connections and fill its caches (at 5,000, a
# busy worker restarted every 50 s and its first requests set the p99).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The application is loaded once, in the master, before the workers fork: they share its
# memory pages, and start warm.
preload_app = True


def when_ready(server):
    """Freeze what the master loaded: Python's collector then never walks those objects again.

    A full collection over a loaded Django process takes 40 to 80 ms, several times a
    minute per worker; every request queued behind it waits that long (the benchmark's
    p99). Objects frozen before the fork are also never written by the collector, so the
    workers keep sharing those pages.
    """
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module now)
    for folder in settings.TEMPLATES[0]["DIRS"]:  # compiled once, shared by the workers
        for path in Path(folder).rglob("*.html"):
            get_template(str(path.relative_to(folder)))
    gc.collect()
    gc.freeze()


def child_exit(server, worker):
    """A worker gone (recycled, restarted): its live gauges go with it; counters stay summed."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
