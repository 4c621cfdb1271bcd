"""Shared by the benchmark scripts: a production-like server on loopback, and HTTP helpers."""

import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432/"


def production_env(database, *, port, redis_db=2, **extra):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": PG + database,
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(ROOT / "bench" / ".media"),
        "LOG_LEVEL": "WARNING",
        "BENCH_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args, quiet=True):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def create_database(name):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
        check=True,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True
    )


def flush_redis(db):
    if shutil.which("redis-cli"):
        subprocess.run(
            ["redis-cli", "-n", str(db), "flushdb"], check=True, stdout=subprocess.DEVNULL
        )


class Server:
    """gunicorn with the repository's configuration, on loopback."""

    def __init__(self, env, port, *extra_args):
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the server)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                *extra_args,
                "newsroom.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe: the server logs a line per request, and a pipe no one
            # reads fills up and stops it.
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                status, _body, _h = request(port, "GET", "/robots.txt")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        sys.exit("gunicorn did not start: " + self.log.read().decode()[-2000:])

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


_local = threading.local()  # one keep-alive connection per thread and port


def _pool():
    if not hasattr(_local, "connections"):
        _local.connections = {}
    return _local.connections


def request(port, method, path, body=None, headers=None, keep=False):
    """One HTTP request; returns (status, body bytes, headers dict)."""
    headers = {"User-Agent": "newsroom-bench", **(headers or {})}
    if isinstance(body, dict):
        body = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connections = _pool()
    conn = connections.get(port) if keep else None
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (http.client.HTTPException, OSError):
        conn.close()
        connections.pop(port, None)
        raise
    if keep:
        connections[port] = conn
    else:
        conn.close()
    return response.status, data, {k.lower(): v for k, v in response.getheaders()}


def comment_form(port, path, headers=None):
    """What a browser without scripts gets from a story page (?formulaire): the form's
    token, the CSRF token and cookie."""
    status, body, response_headers = request(port, "GET", path + "?formulaire", headers=headers)
    html = body.decode()
    issued = re.search(r'name="issued" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", response_headers.get("set-cookie", "")).group(1)
    return issued, csrf, cookie


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def wrk(url, seconds, connections, script=None, headers=(), env=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command[1] = "-t1"  # one Lua state: each prepared form is sent once
        command += ["-s", script]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(
        command + [url], capture_output=True, text=True, check=True, env=env
    ).stdout

    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|connect|read|write|timeout):? (\d+)", output
        )
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors,
    }
