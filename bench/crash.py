"""Crash safety, shown: ./.venv/bin/python bench/crash.py [--seconds 40]

Starts newsroom under gunicorn (3 sync workers) on loopback with production settings,
PostgreSQL (database newsroom_crash, rebuilt) and Redis, and a small SMTP server of its
own. For --seconds, readers post comments, a moderator approves and rejects waiting ones
in the admin queue, `send_outbox` runs every second as cron would, and a killer sends
SIGKILL to a random gunicorn worker every 0.3 to 1.5 s (gunicorn starts a new one).
Then, with the workers left alone and the outbox sent, it checks and prints:

- every comment the site acknowledged (a redirect to the story) is stored exactly once;
- no decision is half-applied: each comment's state is the last state in its log, and a
  decided comment records who decided and when;
- every comment that waited was announced to the moderators exactly once (no alert lost,
  none sent twice), whatever was killed when.
"""

import argparse
import random
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PG,
    PYTHON,
    ROOT,
    Server,
    create_database,
    flush_redis,
    manage,
    production_env,
    request,
)

DATABASE = "newsroom_crash"
PORT = 8767
SMTP_PORT = 8025
MARKER = re.compile(r"crash-comment-(\d+)-(\d+)")


class Mailbox(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept mail and keep each message's text."""

    allow_reuse_address = True
    daemon_threads = True
    messages: list[str] = []


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 crash-test ESMTP")
        data, collecting = [], False
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if collecting:
                if line == ".":
                    Mailbox.messages.append("\n".join(data))
                    data, collecting = [], False
                    self.reply("250 queued")
                else:
                    data.append(line)
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 crash-test")
            elif verb == "DATA":
                collecting = True
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def workers(server):
    out = subprocess.run(["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40)
    args = parser.parse_args()

    env = production_env(
        DATABASE,
        port=PORT,
        redis_db=6,
        WEB_CONCURRENCY=3,
        STAFF_2FA_REQUIRED=0,
        COMMENT_RATE_LIMIT_EXEMPT="127.0.0.1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=SMTP_PORT,
        EMAIL_USE_TLS=0,
        PAGE_CACHE_SECONDS=0,
        COMMENT_DIGEST_MINUTES=0,  # a digest at every run: each comment in exactly one
    )
    print("Building newsroom_crash…", flush=True)
    create_database(DATABASE)
    flush_redis(6)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(
        env,
        "shell",
        "-c",
        "from newsroom.models import OutgoingMail; OutgoingMail.objects.all().delete()",
    )
    conn = psycopg2.connect(PG + DATABASE)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE auth_user SET email = 'moderation@newsroom.example' WHERE username = 'moderation'"
        )
        cur.execute(
            "SELECT id, slug FROM articles_article WHERE status = 'published' AND published_at < now()"
        )
        stories = cur.fetchall()
    tokens = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, sys, time; django.setup(); "
            "from comments.forms import issue_token; "
            "print('\\n'.join(f'{pk} ' + issue_token(pk, time.time() - 30) for pk in map(int, sys.argv[1:]) for _ in range(400)))",
            *[str(pk) for pk, _slug in stories],
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    issued = {}
    for line in filter(None, tokens):
        pk, token = line.split(" ", 1)
        issued.setdefault(int(pk), []).append(token)

    mailbox = Mailbox(("127.0.0.1", SMTP_PORT), SMTPHandler)
    threading.Thread(target=mailbox.serve_forever, daemon=True).start()
    server = Server(env, PORT)
    stop = threading.Event()
    acknowledged, refused, errors, killed, decisions = [], Counter(), Counter(), [0], Counter()
    lock = threading.Lock()

    def reader(n):
        csrf = "CrashCsrfSecretCrashCsrfSecret12"
        sequence = 0
        while not stop.is_set():
            pk, slug = random.choice(stories)
            with lock:
                if not issued[pk]:
                    continue
                token = issued[pk].pop()
            sequence += 1
            marker = f"crash-comment-{n}-{sequence}"
            body = {
                "csrfmiddlewaretoken": csrf,
                "name": f"Lecteur {n}",
                "email": f"l{n}@example.org",
                "body": f"Un avis {marker} sur ce projet.",
                "website": "",
                "issued": token,
            }
            try:
                status, _b, _h = request(
                    PORT,
                    "POST",
                    f"/articles/{slug}/commentaires/",
                    body=urlencode(body),
                    headers={
                        "Cookie": f"csrftoken={csrf}",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
            except OSError:
                errors["reader connection"] += 1  # the worker died mid-request: not acknowledged
                continue
            if status == 302:
                acknowledged.append(marker)
            else:
                refused[status] += 1

    def moderator():
        session = None
        while not stop.is_set():
            try:
                if session is None:
                    status, body, headers = request(PORT, "GET", "/admin/login/")
                    csrf = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(1)
                    form = re.search(
                        r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()
                    ).group(1)
                    status, _b, headers = request(
                        PORT,
                        "POST",
                        "/admin/login/?next=/admin/",
                        body={
                            "csrfmiddlewaretoken": form,
                            "username": "moderation",
                            "password": "crash-password",
                        },
                        headers={
                            "Cookie": f"csrftoken={csrf}",
                            "Referer": f"http://127.0.0.1:{PORT}/admin/login/",
                        },
                    )
                    sid = re.search(r"sessionid=([^;]+)", headers.get("set-cookie", "")).group(1)
                    session = f"csrftoken={csrf}; sessionid={sid}"
                status, body, _h = request(
                    PORT, "GET", "/admin/comments/comment/queue/", headers={"Cookie": session}
                )
                page = body.decode()
                form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
                ids = re.findall(r'id="queue-(\d+)"', page)
                if not ids or not form:
                    time.sleep(0.2)
                    continue
                pk = random.choice(ids)
                decision = random.choice(["approve", "approve", "reject"])
                status, _b, _h = request(
                    PORT,
                    "POST",
                    f"/admin/comments/comment/queue/{pk}/{decision}/",
                    body={"csrfmiddlewaretoken": form.group(1), "reason": "off_topic"},
                    headers={"Cookie": session, "Referer": f"http://127.0.0.1:{PORT}/admin/"},
                )
                decisions[(decision, status)] += 1
            except (OSError, AttributeError):
                errors["moderator"] += 1
                time.sleep(0.1)

    def cron():
        while not stop.is_set():
            subprocess.run(
                [PYTHON, "manage.py", "send_outbox"], cwd=ROOT, env=env, capture_output=True
            )
            time.sleep(1)

    def killer():
        while not stop.is_set():
            time.sleep(random.uniform(0.3, 1.5))
            pids = workers(server)
            if pids:
                try:
                    subprocess.run(["kill", "-KILL", str(random.choice(pids))], check=False)
                    killed[0] += 1
                except OSError:
                    pass

    try:
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model as g; u=g().objects.get(username='moderation'); u.set_password('crash-password'); u.save()",
        )
        threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        threads += [
            threading.Thread(target=moderator),
            threading.Thread(target=cron),
            threading.Thread(target=killer),
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        time.sleep(2)  # let the last responses' mail go
    finally:
        server.stop()
    # What a killed sender held is claimed for two minutes: wait it out, then send the rest.
    for _ in range(30):
        manage(env, "send_outbox")
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM comments_outgoingmail WHERE sent_at IS NULL")
            if cur.fetchone()[0] == 0:
                break
        time.sleep(5)
    mailbox.shutdown()

    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, body, status, moderated_by_id, moderated_at FROM comments_comment WHERE body LIKE 'Un avis crash-comment-%%'"
        )
        rows = cur.fetchall()
        cur.execute(
            "SELECT DISTINCT ON (comment_id) comment_id, to_status FROM comments_moderationlogentry"
            " ORDER BY comment_id, created_at DESC, id DESC"
        )
        last_logged = dict(cur.fetchall())
        cur.execute("SELECT count(*) FROM comments_outgoingmail WHERE sent_at IS NULL")
        unsent = cur.fetchone()[0]
    stored = Counter(MARKER.search(body).group(0) for _id, body, *_ in rows)
    lost = [m for m in acknowledged if stored[m] == 0]
    doubled = [m for m, n in stored.items() if n > 1]
    half = [
        pk
        for pk, _body, status, by, at in rows
        if last_logged.get(pk) != status
        or ((status in ("approved", "rejected")) != (by is not None and at is not None))
    ]
    # A mailbox keeps one message per Message-ID: what readers of the alerts see.
    by_id = {}
    for message in Mailbox.messages:
        message_id = re.search(r"^Message-ID: (.+)$", message, re.M | re.I).group(1)
        by_id.setdefault(message_id, message)
    transmitted_twice = len(Mailbox.messages) - len(by_id)
    announced = Counter(
        marker
        for message in by_id.values()
        for marker in {found.group(0) for found in MARKER.finditer(message)}
    )
    waited = {MARKER.search(body).group(0) for _id, body, *_ in rows}
    missing = sorted(waited - set(announced))
    twice = sorted(m for m, n in announced.items() if n > 1)

    print()
    print(f"{args.seconds} s with {killed[0]} workers killed (SIGKILL)")
    print(
        f"comments acknowledged: {len(acknowledged)}, stored: {sum(stored.values())}, lost: {len(lost)}, stored twice: {len(doubled)}"
    )
    print(f"refused (not acknowledged): {dict(refused)}; connections cut by a kill: {dict(errors)}")
    print(
        f"moderation decisions sent: {sum(decisions.values())} {dict(decisions)}; half-applied: {len(half)}"
    )
    print(
        f"alerts: {len(Mailbox.messages)} transmitted, {len(by_id)} distinct messages "
        f"({transmitted_twice} sent again after a kill, same Message-ID); comments announced: "
        f"{len(announced)} of {len(waited)}; missing: {len(missing)}; twice: {len(twice)}; "
        f"unsent left: {unsent}"
    )
    ok = not lost and not doubled and not half and not missing and not twice
    print("OK: nothing lost, nothing doubled, nothing half-done." if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
