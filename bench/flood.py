"""Flood the comment form and watch readers: ./.venv/bin/python bench/flood.py

Starts newsroom under gunicorn on loopback with production settings, PostgreSQL and Redis
(database newsroom_flood, Redis db 2, both wiped first), then:

1. readers alone: a few clients load story pages for a while;
2. the same readers while one client floods the comment endpoint (bounded in count and
   time), sending valid forms the way a script that studied the page would;
3. many addresses (through a trusted proxy's X-Forwarded-For) sending the same text.

It prints what the flooder got stored and the readers' latency with and without the flood.
"""

import argparse
import multiprocessing
import re
import sys
import threading
import time
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    PG,
    Server,
    comment_form,
    create_database,
    flush_redis,
    manage,
    percentile,
    production_env,
    request,
)

DATABASE = "newsroom_flood"
PORT = 8765


def story_paths(port):
    _status, body, _h = request(port, "GET", "/")
    return sorted(set(re.findall(r'href="(/articles/[^"/]+/)"', body.decode())))


def readers(port, paths, seconds, clients, results):
    stop = time.monotonic() + seconds

    def read(n):
        latencies, errors, i = [], 0, n
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                status, _body, _h = request(port, "GET", path, keep=True)
                if status != 200:
                    errors += 1
            except OSError:
                errors += 1
            latencies.append(time.perf_counter() - started)
        results.append((latencies, errors))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def flood(port, path, max_posts, seconds, forwarded_for=None, body=None):
    """Harvest forms, wait out the 3-second minimum, then post them as fast as possible."""
    statuses = {}
    forms = []
    harvest_until = time.monotonic() + min(seconds / 2, 10)
    while len(forms) < max_posts and time.monotonic() < harvest_until:
        forms.append(comment_form(port, path))
    time.sleep(3.2)
    stop = time.monotonic() + seconds
    for n, (issued, csrf, cookie) in enumerate(forms):
        if time.monotonic() > stop:
            break
        headers = {"Cookie": f"csrftoken={cookie}", "Referer": f"http://127.0.0.1:{port}{path}"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for(n)
        data = {
            "name": f"Robot {n}",
            "email": f"robot{n}@flood.example",
            "body": body or f"Achetez maintenant, offre numéro {n} !",
            "website": "",
            "issued": issued,
            "csrfmiddlewaretoken": csrf,
        }
        try:
            status, _body, _h = request(
                port, "POST", path + "commentaires/", body=data, headers=headers
            )
        except OSError:
            status = "error"
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def comment_counts():
    with psycopg2.connect(PG + DATABASE) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM comments_comment GROUP BY status")
        return dict(cursor.fetchall())


def summary(results):
    latencies = [x for lat, _e in results for x in lat]
    errors = sum(e for _lat, e in results)
    return (
        len(latencies),
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
        errors,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each phase")
    parser.add_argument("--readers", type=int, default=4, help="concurrent reading clients")
    parser.add_argument("--posts", type=int, default=300, help="most comments the flooder sends")
    parser.add_argument("--addresses", type=int, default=100, help="senders in the same-text flood")
    args = parser.parse_args()

    env = production_env(DATABASE, port=PORT, TRUSTED_PROXIES="127.0.0.1")
    print("Preparing a database and starting gunicorn…", flush=True)
    create_database(DATABASE)
    flush_redis(2)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_demo")
    baseline_comments = comment_counts()
    server = Server(env, PORT)
    try:
        paths = story_paths(PORT)
        target = paths[0]

        results = []
        for thread in readers(PORT, paths, args.seconds, args.readers, results):
            thread.join()
        alone = summary(results)

        # The flooder in a process of its own: in the readers' process, its tight loop
        # would hold the interpreter's lock and slow the readers' client, not the server.
        results = []
        with multiprocessing.Pool(1) as pool:
            flooding = pool.apply_async(flood, (PORT, target, args.posts, args.seconds))
            threads = readers(PORT, paths, args.seconds, args.readers, results)
            statuses = flooding.get()
            for thread in threads:
                thread.join()
        flooded = summary(results)
        after_flood = comment_counts()
        stored = sum(after_flood.values()) - sum(baseline_comments.values())

        flush_redis(2)
        same_text = (
            "Ce texte identique arrive de partout à la fois, signé par cent robots différents."
        )
        spread = flood(
            PORT,
            paths[1],
            args.addresses,
            args.seconds,
            forwarded_for=lambda n: f"198.51.{n // 250}.{n % 250 + 1}",
            body=same_text,
        )
        after_spread = comment_counts()
    finally:
        server.stop()

    print()
    print(f"Flood from one address: {sum(statuses.values())} POSTs sent, answers {statuses}")
    print(f"  rows stored by the flooder: {stored} (rate limit: 5 per 10 minutes per address)")
    print()
    print(
        f"Readers ({args.readers} clients, {args.seconds} s)   requests   p50 ms   p99 ms   errors"
    )
    for label, (count, p50, p99, errors) in (("alone", alone), ("during the flood", flooded)):
        print(f"  {label:<28}{count:>8}   {p50:6.1f}   {p99:6.1f}   {errors:>6}")
    print(f"  readers kept {flooded[0] / alone[0]:.0%} of their throughput (goal: 80 % or more)")
    print()
    new = {
        k: after_spread.get(k, 0) - after_flood.get(k, 0) for k in ("pending", "spam", "approved")
    }
    print(f"Same text from {args.addresses} addresses: answers {spread}")
    print(
        f"  new rows: {new['pending']} pending, {new['spam']} spam (duplicate rule), "
        f"{new['approved']} public"
    )


if __name__ == "__main__":
    main()
