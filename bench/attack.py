"""Replay the trust round's attacks on a production-like set-up: ./.venv/bin/python bench/attack.py

Starts newsroom under gunicorn on loopback with production settings (DEBUG off, staff
second factor on), PostgreSQL (database newsroom_attack, rebuilt), a Redis server of its
own (so that it can be paused), a mail server that accepts connections and never answers,
and the job worker; then replays each case and prints PASS or FAIL with what it measured:

- a journalist past the password step only opens her draft's public address;
- Redis paused (SIGSTOP): what a story page and a comment cost, first and after;
- the mail server hanging: what a comment costs, and what the worker does with the mail;
- password spraying from one address: four guesses on each of five accounts, then the
  right password;
- a multipart comment with a 30 MB file part;
- a commenter named with "&", "<" and a right-to-left override: the feed and the page.

Flooding the comment form is bench/flood.py's; a backup taken while the site writes is
the restore drill's (.ci/restore_drill.sh). Exit status 1 when a case fails.
"""

import http.cookiejar
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import PYTHON, ROOT, Server, create_database, manage, production_env  # noqa: E402

from tests.servers import HangingServer  # noqa: E402

DATABASE = "newsroom_attack"
PORT = 8768
REDIS_PORT = 6391
PASSWORD = "attaque-correcte-cheval-agrafe"
results = []


def case(name, passed, measured):
    results.append(passed)
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {measured}", flush=True)


class Browser:
    """Cookies kept, redirects not followed, every answer returned (4xx and 5xx too)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, address="127.0.0.1"):
        # Production's cookies are Secure; this loopback replay speaks plain HTTP, as the
        # proxy behind TLS would to the app.
        self.jar = http.cookiejar.CookieJar(
            http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect
        )
        self.address = address

    def open(self, method, path, data=None, headers=None, content_type=None):
        body = urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=body, method=method)
        request.add_header("User-Agent", "Mozilla/5.0 (attack replay)")
        request.add_header("X-Forwarded-For", self.address)
        request.add_header("Referer", f"http://127.0.0.1:{PORT}{path}")
        if content_type:
            request.add_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except urllib.error.URLError as error:  # answered and closed before the body was sent
            status, text = f"closed ({error.reason})", ""
        return status, text, time.perf_counter() - started

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def login(self, username, password):
        self.open("GET", "/admin/login/")
        data = {
            "username": username,
            "password": password,
            "next": "/admin/",
            "csrfmiddlewaretoken": self.csrf(),
        }
        return self.open("POST", "/admin/login/?next=/admin/", data)[0]

    def comment_form(self, story):
        status, html, _t = self.open("GET", story + "?formulaire")
        issued = re.search(r'name="issued" value="([^"]+)"', html).group(1)
        return {"issued": issued, "csrfmiddlewaretoken": self.csrf(), "website": ""}


def shell(env, code):
    return (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def main():
    redis = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    smtp = HangingServer()
    env = production_env(
        DATABASE,
        port=PORT,
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        TRUSTED_PROXIES="127.0.0.1",
        STAFF_2FA_REQUIRED="1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp.port,
        EMAIL_TIMEOUT=2,
        COMMENT_RATE_LIMIT=1000,
    )
    print("Preparing a database and starting gunicorn and the worker…", flush=True)
    create_database(DATABASE)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_demo")
    author, draft, story = shell(
        env,
        "from articles.models import Article as A; from django.contrib.auth.models import User\n"
        f"for u in User.objects.filter(is_staff=True): u.set_password('{PASSWORD}'); u.save()\n"
        "d = A.objects.filter(status='draft').first(); s = A.objects.published().first()\n"
        "print(d.authors.first().username, d.get_absolute_url(), s.get_absolute_url())",
    ).split()[-3:]
    server = Server(env, PORT)
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    try:
        # 1. The password alone opens no preview.
        journalist = Browser("203.0.113.10")
        logged = journalist.login(author, PASSWORD)
        status, html, _t = journalist.open("GET", draft)
        case(
            "draft behind the password step only",
            logged == 302 and status == 404,
            f"login {logged}, then the draft's address: HTTP {status}",
        )

        # 6. Spraying: four guesses on each of five accounts, then the right password.
        sprayer = Browser("203.0.113.66")
        names = ["camille", "julien", "sophie", "redaction", "moderation"]
        answers = [sprayer.login(name, f"essai{n}") for n in range(4) for name in names]
        right = sprayer.login("camille", PASSWORD)
        elsewhere = Browser("198.51.100.30").login("julien", PASSWORD)
        case(
            "password spraying from one address",
            right == 429 and elsewhere == 302,
            f"guesses {answers.count(200)}×200 then {answers.count(429)}×429; the right "
            f"password there: {right}; a colleague elsewhere: {elsewhere}",
        )

        # 8. A file part on a public form.
        reader = Browser("198.51.100.40")
        form = reader.comment_form(story)
        time.sleep(3.2)  # the form's minimum time
        boundary = "attackboundary"
        fields = {**form, "name": "Fichier", "email": "f@example.org", "body": "Avec pièce."}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="x"; filename="x.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + b"\0" * (30 * 1024 * 1024)
            + f"\r\n--{boundary}--\r\n".encode()
        )
        before = shell(env, "from comments.models import Comment; print(Comment.objects.count())")
        status, _html, took = reader.open(
            "POST",
            story + "commentaires/",
            b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        after = shell(env, "from comments.models import Comment; print(Comment.objects.count())")
        case(
            "30 MB file part on the comment form",
            (status == 400 or str(status).startswith("closed")) and before == after,
            f"HTTP {status} in {took:.2f} s, comments {before} → {after}",
        )

        # 3-4. The mail server hangs: a comment does not wait for it; the worker does.
        reader = Browser("198.51.100.41")
        form = reader.comment_form(story)
        time.sleep(3.2)
        data = {**form, "name": "Zoé", "email": "zoe@example.org", "body": "Pendant la panne."}
        status, _html, took = reader.open("POST", story + "commentaires/", data)
        time.sleep(4)  # the worker picks the digest and its mail up, and waits out the server
        mail = shell(
            env,
            "from newsroom.models import OutgoingMail as M\n"
            "print(M.objects.filter(sent_at=None, attempts__gte=1).count())",
        )
        case(
            "comment while the mail server hangs",
            status == 302 and took < 1.0,
            f"HTTP {status} in {took * 1000:.0f} ms; mails waiting after a failed try: {mail}",
        )

        # 9 and the bidirectional override: a name escaped once in the feed, isolated on the page.
        name = "Zoé & Léa <3 \u202eevil"
        shell(
            env,
            "from articles.models import Article; from comments.models import Comment\n"
            f"s = Article.objects.published().first(); Comment.objects.create(article=s, "
            f"name={name!r}, email='z@example.org', body='Un avis.', status='approved')\n"
            "from newsroom.cache import story_changed; story_changed(s.pk)",
        )
        slug = story.strip("/").split("/")[-1]
        status, feed, _t = Browser().open("GET", f"/articles/{slug}/commentaires/rss/")
        import feedparser

        titles = [entry.title for entry in feedparser.parse(feed.encode()).entries]
        status, page, _t = Browser().open("GET", story)
        shown = name.replace("&", "&amp;").replace("<", "&lt;")
        case(
            "feed titles and isolated names",
            f"Commentaire de {name}" in titles and f"<bdi>{shown}</bdi>" in page,
            f"feed title as read: {titles[:1]}; isolated on the page: {shown in page}",
        )

        # 2. Redis paused, not stopped.
        Browser().open("GET", story)
        os.kill(redis.pid, signal.SIGSTOP)
        try:
            pages = [Browser().open("GET", story)[2] for _ in range(12)]
            reader = Browser("198.51.100.42")
            form = reader.comment_form(story)
            time.sleep(3.2)
            data = {**form, "name": "Paul", "email": "p@example.org", "body": "Redis en pause."}
            status, _html, took = reader.open("POST", story + "commentaires/", data)
        finally:
            os.kill(redis.pid, signal.SIGCONT)
        later = statistics.median(pages[4:])
        case(
            "Redis paused",
            max(pages) < 1.5 and later < 0.2 and status == 302 and took < 1.5,
            f"story pages: first {pages[0] * 1000:.0f} ms, slowest {max(pages) * 1000:.0f} ms,"
            f" median after {later * 1000:.0f} ms; a comment: HTTP {status} in"
            f" {took * 1000:.0f} ms",
        )
    finally:
        worker.terminate()
        server.stop()
        smtp.close()
        redis.terminate()
    print(f"\n{results.count(True)} passed, {results.count(False)} failed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
