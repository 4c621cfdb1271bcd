"""Two app servers behind nginx, on loopback: what must hold across servers, then the
benchmark through the proxy. ./.venv/bin/python bench/cluster.py [--bench]

Starts nginx (Debian's package) on 127.0.0.1:8780 in front of two gunicorn instances
(127.0.0.1:8781 and :8782) that share one PostgreSQL database, one Redis database and one
media folder, with the deployment kit's own site file (deploy/nginx/newsroom.conf, its
server-only lines replaced): nginx serves /static/ and /media/ from disk and passes the
client's address, scheme and a request id (TRUSTED_PROXIES, X-Forwarded-For,
X-Forwarded-Proto, X-Request-ID, BEHIND_TLS_PROXY). Each reader is a different loopback address
(127.0.0.x), so nginx sees as many clients as the checks need.

Then, printing each result:
- the comment rate limit counts across both servers (5 accepted, not 10);
- an admin login locked out through one server is locked out on the other;
- a moderator's approval on server A is on server B's next page at once;
- a story taken off the site and put back on A shows on B at once;
- a reader's readings are not counted twice when the beacons reach both servers;
- a session opened on A is valid on B.
With --bench (on the benchmark's 20,000-story database, built by bench/run.py): the
same pages through nginx and two servers, against one server alone, with wrk.
Exits non-zero if a check fails.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PYTHON,
    ROOT,
    Server,
    create_database,
    flush_redis,
    manage,
    production_env,
    request,
    wrk,
)

PROXY, PORT_A, PORT_B = 8780, 8781, 8782
HOST = "newsroom.test"
DATABASE = "newsroom_cluster"
REDIS_DB = 5
PASSWORD = "cluster-Pa55word-newsroom"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# nginx's main file; the site inside it is the deployment kit's own (deploy/nginx/
# newsroom.conf), with what only a real server has replaced (site_from_deploy).
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""
DEPLOY_SITE = ROOT / "deploy" / "nginx" / "newsroom.conf"


def site_from_deploy(tmp, proxy, cached):
    """deploy/nginx/newsroom.conf as the checks run it: plain HTTP on a loopback port (the
    app told the scheme was https, as behind TLS), the two servers as its upstream, this
    checkout's static files, and the micro-cache only when `cached`. A line it no longer
    finds stops the run: the kit and the checks must not drift apart."""
    site = DEPLOY_SITE.read_text()

    def swap(pattern, replacement, flags=0):
        nonlocal site
        site, found = re.subn(pattern, lambda _m: replacement, site, flags=flags)
        if not found:
            sys.exit(f"{DEPLOY_SITE}: no {pattern!r} any more; update bench/cluster.py")

    swap(r"proxy_cache_path \S+", f"proxy_cache_path {tmp}/cache")
    swap(
        r"server unix:[^;]+;",
        f"server 127.0.0.1:{PORT_A} fail_timeout=5s;\n    server 127.0.0.1:{PORT_B} fail_timeout=5s;",
    )
    swap(r"server \{\s*listen 80;.*?\n\}\n", "", re.S)  # the redirect to https
    swap(r"listen 443 ssl http2;", f"listen 127.0.0.1:{proxy};")
    swap(r"\n\s*listen \[::\]:443 ssl http2;", "")
    swap(r"\n\s*ssl_[a-z_]+ [^;]+;", "")
    swap(r"server_name \S+;", f"server_name {HOST};")
    swap(r"alias /srv/newsroom/app/staticfiles/;", f"alias {ROOT / 'staticfiles'}/;")
    swap(r"alias /srv/newsroom/media/;", f"alias {ROOT / 'bench' / '.media'}/;")
    swap(r"\$scheme", "https")
    # Which server answered: the checks see both at work.
    swap(
        r"proxy_pass http://newsroom;",
        "proxy_pass http://newsroom;\n        add_header X-Upstream $upstream_addr always;",
    )
    if not cached:
        swap(r"\n\s*proxy_cache(?:_valid|_lock|_use_stale|_bypass)?\s[^;]*;", "")
        swap(r"\n\s*proxy_no_cache[^;]*;", "")
    path = tmp / "site.conf"
    path.write_text(site)
    return path


class Client:
    """One reader: its own loopback address, cookies, and the port it talks to."""

    def __init__(self, source, port=PROXY):
        self.source, self.port, self.cookies = source, port, {}

    def send(self, method, path, data=None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {
            "Host": HOST,
            "User-Agent": "newsroom-cluster-check",
            "Referer": f"https://{HOST}{path}",
            **(headers or {}),
        }
        if self.port != PROXY:  # straight to an app server, as nginx would pass it on
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "Max-Age=0" not in value:
                    self.cookies[name] = cookie_value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response.status, content, dict(response.getheaders())

    def get(self, path, **kwargs):
        return self.send("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.send("POST", path, data=data, **kwargs)

    def csrf(self, path):
        _status, page, _h = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1), page

    def log_in(self, username, password):
        token, _page = self.csrf("/admin/login/")
        return self.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )


def shell(env, code):
    """Run Python in the project (the app's settings and database); its printed output."""
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def sql(query):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-tAc", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


RESULTS = []


def check(name, ok, detail):
    RESULTS.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def upstreams(headers_list):
    return sorted({h.get("X-Upstream", "?") for h in headers_list})


def check_rate_limit(story):
    """Ten comments from one address, through nginx to both servers: five accepted."""
    reader = Client("127.0.0.21")
    forms = []
    for _ in range(10):
        reader.cookies.clear()
        _status, page, _h = reader.get(f"{story}?formulaire")
        issued = re.search(r'name="issued" value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        forms.append((issued, token, reader.cookies.get("csrftoken")))
    time.sleep(3.5)  # the form's minimum time before sending (COMMENT_MIN_SECONDS)
    statuses, seen = [], []
    for n, (issued, token, cookie) in enumerate(forms):
        reader.cookies = {"csrftoken": cookie}
        status, _page, headers = reader.post(
            f"{story}commentaires/",
            {
                "csrfmiddlewaretoken": token,
                "issued": issued,
                "name": "Lectrice du test",
                "email": "lectrice@example.org",
                "body": f"Un avis numéro {n} sur ce sujet, posté pour vérifier la limite.",
            },
        )
        statuses.append(status)
        seen.append(headers)
    accepted = sum(1 for s in statuses if s in (302, 303))
    refused = statuses.count(429)
    check(
        "comment rate limit across servers",
        accepted == 5 and refused == 5 and len(upstreams(seen)) == 2,
        f"{accepted} accepted, {refused} refused (429), served by {', '.join(upstreams(seen))}",
    )


def check_lockout():
    """Five wrong passwords through nginx, spread over both servers; then the right one,
    through nginx to each server in turn: refused on both."""
    attacker = Client("127.0.0.22")
    seen = []
    for attempt in range(5):
        if attempt % 2:  # the form's GET and the POST alternate servers: shift them
            attacker.get("/robots.txt")
        seen.append(attacker.log_in("redacteur", "wrong-password")[2])
    answers = []
    for attempt in range(2):
        if attempt:
            attacker.get("/robots.txt")
        status, _page, headers = attacker.log_in("redacteur", PASSWORD)
        answers.append((status, headers.get("X-Upstream"), "sessionid" in attacker.cookies))
    elsewhere = Client("127.0.0.30")
    elsewhere.log_in("redacteur", PASSWORD)
    locked = all(status in (403, 429) and not logged for status, _u, logged in answers)
    check(
        "admin lockout holds on both servers",
        locked
        and len(upstreams(seen)) == 2
        and len({u for _s, u, _l in answers}) == 2
        and "sessionid" in elsewhere.cookies,
        f"5 failures over {', '.join(upstreams(seen))}; the right password then gets "
        + ", ".join(f"{status} from {u}" for status, u, _l in answers)
        + "; the same account from another address logs in",
    )


def check_approval(env, story, story_id):
    """A waiting comment approved through server A is on server B's next page."""
    comment_id = shell(
        env,
        "from comments.models import Comment; from articles.models import Article;"
        f"c = Comment.objects.create(article=Article.objects.get(pk={story_id}),"
        " name='Témoin', email='temoin@example.org', status='pending',"
        " body='Un commentaire qui attend la modération du test.');"
        "print(c.pk)",
    )
    reader_b = Client("127.0.0.23", PORT_B)
    before = "attend la modération du test" in reader_b.get(story)[1]
    moderator = Client("127.0.0.24", PORT_A)
    moderator.log_in("moderatrice", PASSWORD)
    token, _page = moderator.csrf("/admin/comments/comment/")
    status, _p, _h = moderator.post(
        "/admin/comments/comment/",
        {"csrfmiddlewaretoken": token, "action": "approve", "_selected_action": comment_id},
    )
    after = "attend la modération du test" in reader_b.get(story)[1]
    check(
        "approval on A shows on B at once",
        not before and after,
        f"on B before: {before}, approval on A: {status}, on B right after: {after}",
    )


def check_story_edit(story, story_id):
    """A story unpublished then published again through A: B follows at once."""
    reader_b = Client("127.0.0.25", PORT_B)
    before = reader_b.get(story)[0]
    editor = Client("127.0.0.26", PORT_A)
    editor.log_in("redactrice", PASSWORD)
    token, _page = editor.csrf("/admin/articles/article/")
    editor.post(
        "/admin/articles/article/",
        {"csrfmiddlewaretoken": token, "action": "unpublish", "_selected_action": story_id},
    )
    gone = reader_b.get(story)[0]
    token, _page = editor.csrf("/admin/articles/article/")
    editor.post(
        "/admin/articles/article/",
        {"csrfmiddlewaretoken": token, "action": "publish_now", "_selected_action": story_id},
    )
    back = reader_b.get(story)[0]
    check(
        "story edit on A shows on B at once",
        (before, gone, back) == (200, 404, 200),
        f"B answers {before}, then {gone} after unpublishing on A, then {back} after publishing",
    )


def check_readings(story_id):
    """One reader's beacons reach both servers: one reading; another reader: one more."""

    def total():
        return int(
            sql(
                f"SELECT coalesce(sum(count), 0) FROM articles_dailyreadings WHERE article_id = {story_id}"
            )
        )

    start = total()
    reader = Client("127.0.0.27")
    seen = [reader.post(f"/lectures/{story_id}/", {})[2] for _ in range(4)]
    once = total() - start
    Client("127.0.0.28").post(f"/lectures/{story_id}/", {})
    twice = total() - start
    check(
        "readings not doubled across servers",
        once == 1 and twice == 2 and len(upstreams(seen)) == 2,
        f"4 beacons from one reader over {', '.join(upstreams(seen))} counted {once};"
        f" a second reader brings it to {twice}",
    )


def check_session():
    """Logged in on A, the same cookie opens the admin on B."""
    editor = Client("127.0.0.29", PORT_A)
    editor.log_in("redactrice", PASSWORD)
    on_b = Client("127.0.0.29", PORT_B)
    on_b.cookies = dict(editor.cookies)
    status, page, _h = on_b.get("/admin/")
    ok = status == 200 and "logout" in page.lower()
    check("session from A valid on B", ok, f"B answers the admin home with {status}")


METRICS_TOKEN = "cluster-metrics-token"


def metric(port, line_start):
    """A figure of a server's /metrics (summed over its workers), 0 when absent."""
    status, body, _h = request(
        port, "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert status == 200, status
    for line in body.decode().splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def check_metrics(story):
    """Twelve pages asked of server A: its /metrics counts twelve, whichever of its two
    workers served each (prometheus_client's multiprocess mode), and shows the queue."""
    served = 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="articles:detail"}'
    before = metric(PORT_A, served)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": "own_comments=x"}
    for _ in range(12):
        request(PORT_A, "GET", story, headers=headers)
    after = metric(PORT_A, served)
    queue = metric(PORT_A, "newsroom_moderation_queue")
    _s, body, _h = request(
        PORT_A, "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    shown = all(
        name in body.decode()
        for name in (
            "newsroom_outbox_backlog",
            "newsroom_jobs_waiting",
            "django_http_requests_latency_seconds_by_view_method_bucket",
        )
    )
    check(
        "metrics summed across a server's workers",
        after - before == 12 and shown,
        f"12 pages asked of A, its /metrics counts {after - before:.0f}; queue {queue:.0f}, "
        "backlog, jobs and the latency histogram shown",
    )


def check_rolling_restart(env, servers, story):
    """Under load through nginx, A then B restarted as a deploy does: no request fails."""
    result = {}
    load = threading.Thread(
        target=lambda: result.update(
            wrk(
                f"http://127.0.0.1:{PROXY}{story}",
                16,
                8,
                headers=(f"Host: {HOST}", "Cookie: own_comments=x"),
            )
        )
    )
    load.start()
    time.sleep(2)
    for index, port in enumerate((PORT_A, PORT_B)):
        servers[index].stop()
        servers[index] = Server(env, port)
        # nginx tries a server it saw fail again after fail_timeout (5 s): the next one is
        # restarted only once this one takes requests again, as a deploy script waits.
        time.sleep(6)
    load.join()
    check(
        "a rolling restart under load loses no request",
        result.get("errors", 1) == 0 and result.get("rps", 0) > 0,
        f"{result.get('rps', 0):.0f} req/s through nginx while A then B restarted; "
        f"{result.get('errors', '?')} failed",
    )


def _pg(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
    )


def _ready(port):
    status, body, _h = request(port, "GET", "/readyz")
    return status, json.loads(body or b"{}")


def check_readiness_outage():
    """PostgreSQL stopped: /readyz says 503 naming the database on both servers within 5 s,
    /healthz stays 200; started again, both are ready again."""
    if not shutil.which("pg_ctlcluster") or not os.path.isdir("/etc/postgresql"):
        check(
            "readiness follows the database", False, "pg_ctlcluster is not here to stop PostgreSQL"
        )
        return
    _pg("stop")
    started, seen = time.monotonic(), {}
    try:
        while time.monotonic() - started < 10 and len(seen) < 2:
            for port in (PORT_A, PORT_B):
                if port not in seen:
                    status, body = _ready(port)
                    if status == 503 and "database" in body.get("failing", []):
                        seen[port] = time.monotonic() - started
            time.sleep(0.2)
        alive = all(request(port, "GET", "/healthz")[0] == 200 for port in (PORT_A, PORT_B))
    finally:
        _pg("start")
    deadline = time.monotonic() + 30
    back = False
    while time.monotonic() < deadline and not back:
        back = all(_ready(port)[0] == 200 for port in (PORT_A, PORT_B))
        time.sleep(0.5)
    slowest = max(seen.values()) if len(seen) == 2 else None
    check(
        "readiness follows the database",
        slowest is not None and slowest <= 5 and alive and back,
        f"PostgreSQL stopped: /readyz 503 naming the database on both servers after "
        f"{slowest if slowest is None else round(slowest, 1)} s, /healthz 200 meanwhile; "
        f"ready again once started: {back}",
    )


def set_up(env):
    """A small database of its own: the demo stories, and staff with known passwords."""
    create_database(DATABASE)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    shell(
        env,
        "from django.contrib.auth.models import Group, User\n"
        "for name, group in (('redacteur', 'Journalists'), ('redactrice', 'Editors'),"
        " ('moderatrice', 'Moderators')):\n"
        "    u, _ = User.objects.get_or_create(username=name,"
        " defaults={'is_staff': True, 'email': name + '@example.org'})\n"
        f"    u.set_password('{PASSWORD}'); u.save(); u.groups.add(Group.objects.get(name=group))\n",
    )


def run_checks(env, servers):
    story_id, slug = sql(
        "SELECT id, slug FROM articles_article WHERE status = 'published'"
        " AND published_at < now() ORDER BY published_at DESC LIMIT 1"
    ).split("|")
    story = f"/articles/{slug}/"
    check_rate_limit(story)
    check_lockout()
    check_approval(env, story, story_id)
    check_story_edit(story, story_id)
    check_readings(story_id)
    check_session()
    check_metrics(story)
    check_rolling_restart(env, servers, story)
    check_readiness_outage()  # last: it stops PostgreSQL for a moment


def write_conf(tmp, cached):
    if cached:  # a second nginx beside the first: its own folder and port
        tmp = tmp / "cached"
        tmp.mkdir(exist_ok=True)
    site = site_from_deploy(tmp, PROXY + 10 if cached else PROXY, cached)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, site=site))
    return conf


def run_bench(tmp):
    """The benchmark's pages: one server alone, nginx in front of two, and nginx with a
    five-second cache of anonymous pages."""
    story = "/articles/bench-story/"
    pages = [
        ("story, page cache", story, ()),
        ("story, fresh", story, ("Cookie: own_comments=bench",)),
        ("home", "/", ()),
        ("tag page", "/tags/export/", ()),
        ("RSS feed", "/flux/rss/", ()),
        ("static file", "/static/css/site.css", ()),
    ]
    results = {}
    host = (f"Host: {HOST}", "X-Forwarded-Proto: https")
    for name, path, headers in pages:
        for _ in range(20):
            subprocess.run(
                [
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "-H",
                    host[0],
                    "-H",
                    host[1],
                    f"http://127.0.0.1:{PORT_A}{path}",
                ],
                check=False,
            )
        one = wrk(f"http://127.0.0.1:{PORT_A}{path}", 10, 16, headers=(*host, *headers))
        both = wrk(f"http://127.0.0.1:{PROXY}{path}", 10, 16, headers=(host[0], *headers))
        results[name] = [one, both]
    cached = subprocess.Popen([NGINX, "-c", str(write_conf(tmp, True)), "-g", "daemon off;"])
    try:
        time.sleep(1)
        for name, path, headers in pages:
            results[name].append(
                wrk(f"http://127.0.0.1:{PROXY + 10}{path}", 10, 16, headers=(host[0], *headers))
            )
    finally:
        cached.terminate()
        cached.wait(timeout=10)
    print()
    print(
        f"{'page':<20}{'one server':>11}{'p50':>7}{'nginx+2':>10}{'p50':>7}{'ratio':>7}"
        f"{'+cache':>10}{'p50':>7}{'ratio':>7}   (req/s, p50 ms, ratio to one server)"
    )
    for name, (one, both, cached) in results.items():
        (r1, p1), (r2, p2), (r3, p3) = ((r["rps"], r["p50"]) for r in (one, both, cached))
        print(
            f"{name:<20}{r1:>11.0f}{p1:>7.1f}{r2:>10.0f}{p2:>7.1f}{r2 / r1:>7.2f}"
            f"{r3:>10.0f}{p3:>7.1f}{r3 / r1:>7.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", action="store_true", help="also run wrk through nginx")
    args = parser.parse_args()
    if not os.path.exists(NGINX):
        sys.exit("nginx is needed: apt-get install nginx")
    media = ROOT / "bench" / ".media"
    media.mkdir(exist_ok=True)
    extra = {
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "STAFF_2FA_REQUIRED": "0",  # the checks log in with a password alone
        "WEB_CONCURRENCY": "2",
        "MEDIA_ROOT": str(media),
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    manage(production_env(DATABASE, port=PORT_A, **extra), "collectstatic", "--no-input")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-nginx-"))
    flush_redis(REDIS_DB)
    conf = write_conf(tmp, False)
    database = "newsroom_bench_20k" if args.bench else DATABASE
    env = production_env(database, port=PORT_A, redis_db=REDIS_DB, **extra)
    if not args.bench:
        print("Setting up the cluster's database…", flush=True)
        set_up(env)
    servers, nginx = [], None
    try:
        servers = [Server(env, PORT_A), Server(env, PORT_B)]
        nginx = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"])
        time.sleep(1)
        if args.bench:
            run_bench(tmp)
        else:
            run_checks(env, servers)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if RESULTS and not all(RESULTS):
        sys.exit(f"{RESULTS.count(False)} check(s) failed")
    print(f"\n{database}: all {len(RESULTS)} checks passed" if RESULTS else "")


if __name__ == "__main__":
    main()
