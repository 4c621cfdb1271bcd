"""The newsroom benchmark, in one command: ./.venv/bin/python bench/run.py

On loopback, with PostgreSQL and Redis:
1. builds two databases (generated, nothing downloaded): 20,000 stories with 200,000
   approved and 50,000 pending comments and a year of daily readings, and a 1,000-story
   one with the same proportions (skipped when they exist; --rebuild forces it);
2. starts newsroom under gunicorn (gunicorn.conf.py) with production settings, and with
   the ceiling view: the story page as just rendered, made into a template that is served
   from constants, with no query and no cache (newsroom/ceiling.py);
3. drives each page with wrk at fixed concurrency for fixed time, several rounds, and
   prints requests/s, p50 and p99 latency, errors, SQL queries per request and the ratio
   to the ceiling measured in the same run; then the story page on the 1,000-story
   database, the moderation queue's time, EXPLAIN of the list queries, and the peak memory
   of each gunicorn worker.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

LARGE, SMALL = "newsroom_bench_20k", "newsroom_bench_1k"
PORT = 8766
STORY = "/articles/bench-story/"
# A reader with comments of their own waiting (settings.COMMENT_OWN_COOKIE).
FRESH = {"own_comments": "bench"}
# A page rendered whole, none of it from the page cache (a reader with a message to show;
# staff): "story, fresh" is a reader with comments of their own waiting, whose page is the
# shared one with the comment section rendered for them (newsroom.cache).
WHOLE = {"messages": "bench"}
CSRF = "BenchCsrfSecretBenchCsrfSecret12"  # 32 characters, as Django's CSRF secrets


def database_ready(name):
    """Built to the end: the benchmark's story is there."""
    result = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            name,
            "-tAc",
            "SELECT 1 FROM articles_article WHERE slug = 'bench-story'",
        ],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and result.stdout.strip() == "1"


def build(name, stories, env, *, pending=None, years=1):
    print(f"Building {name}: {stories} stories…", flush=True)
    started = time.time()
    create_database(name)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    demo = 10
    subprocess.run(
        [
            PYTHON,
            "bench/data.py",
            name,
            str(stories - demo),
            str(stories * 10),
            str(stories * 5 // 2 if pending is None else pending),
            str(years),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"Built {name} in {time.time() - started:.0f} s.", flush=True)


def probe(env, *args):
    result = subprocess.run(
        [PYTHON, "bench/probe.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None


def worker_memory(server):
    children = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
        # Its share of pages shared with the master (preload_app) and the other workers.
        pss = int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1)) / 1024
        private = sum(
            int(n) for n in re.findall(r"^Private_(?:Clean|Dirty):\s+(\d+) kB", rollup, re.M)
        )
        peaks.append((peak, pss, private / 1024))
    return peaks


def drain(url):
    """Wait for the requests wrk sent and left behind to be served: the next page's run
    must not start behind a backlog of the last one's (16 searches queued at 0.2 s each
    showed up in the RSS feed's p99)."""
    port = int(url.split(":")[2].split("/")[0])
    for _ in range(3):
        request(port, "GET", "/robots.txt")  # goes to the back of the accept queue
    time.sleep(0.5)


def measure(targets, rounds, seconds, connections, env=None):
    """Every target once per round, rounds interleaved; each figure is the median of the
    rounds' (a stall of the machine during one round moves one round, not the result),
    and the worst round's p99 is kept beside it."""
    results = {name: [] for name, *_ in targets}
    for _ in range(rounds):
        for name, url, script, headers in targets:
            results[name].append(wrk(url, seconds, connections, script, headers, env))
            drain(url)
    return {
        name: {
            "rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["p50"] for r in runs),
            "p99": statistics.median(r["p99"] for r in runs),
            "worst p99": max(r["p99"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
        }
        for name, runs in results.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--stories",
        type=int,
        default=20_000,
        help="the large database's size; 200000 makes a fifteen-year archive (2,000,000 "
        "approved and 50,000 waiting comments, three years of readings)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    ceiling_file = ROOT / "bench" / ".ceiling.html"
    common = {
        "BENCH_CEILING_TEMPLATE": str(ceiling_file),
        "COMMENT_RATE_LIMIT_EXEMPT": "127.0.0.1",
    }
    size = args.stories
    archive = size > 20_000
    large_name = LARGE if size == 20_000 else f"newsroom_bench_{size // 1000}k"
    large = production_env(large_name, port=PORT, redis_db=4, **common)
    small = production_env(SMALL, port=PORT, redis_db=4, **common)
    manage(large, "collectstatic", "--no-input")
    for name, stories, env in ((large_name, size, large), (SMALL, 1_000, small)):
        if args.rebuild or not database_ready(name):
            if name == large_name and archive:
                build(name, stories, env, pending=50_000, years=15)
            else:
                build(name, stories, env)
        else:
            manage(env, "migrate", "--no-input")  # a database built by an older checkout

    base = f"http://127.0.0.1:{PORT}"
    fresh_cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in FRESH.items())
    whole_cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in WHOLE.items())
    bodies = Path(tempfile.mkstemp(suffix=".txt")[1])
    post_count = 3000 * args.rounds * args.seconds // 8
    probe(large, "bodies", STORY, str(bodies), str(post_count), CSRF)
    post_headers = (
        f"Cookie: csrftoken={CSRF}",
        "Content-Type: application/x-www-form-urlencoded",
    )
    targets = [
        ("ceiling view", f"{base}/bench/ceiling/", None, ()),
        ("story, page cache", f"{base}{STORY}", None, ()),
        ("story, fresh", f"{base}{STORY}", None, (fresh_cookie,)),
        ("story, whole", f"{base}{STORY}", None, (whole_cookie,)),
        ("home", f"{base}/", None, ()),
        ("tag page", f"{base}/tags/export/", None, ()),
        ("search", f"{base}/recherche/?q=export+asie", None, ()),
        ("RSS feed", f"{base}/flux/rss/", None, ()),
        # What an open story page polls for new comments (static/comments/new.js).
        ("new comments poll", f"{base}{STORY}commentaires/etat/", None, ()),
    ]

    print(f"Measuring on {size:,} stories…", flush=True)
    flush_redis(4)
    probe(large, "ceiling", STORY, str(ceiling_file))
    server = Server(large, PORT)
    try:
        for _name, url, _script, headers in targets:
            for _ in range(20):
                request(
                    PORT,
                    "GET",
                    url.removeprefix(base),
                    headers=dict(h.split(": ", 1) for h in headers),
                )
        results = measure(targets, args.rounds, args.seconds, args.connections)
        post = measure(
            [
                (
                    "comment POST",
                    f"{base}{STORY}commentaires/",
                    str(ROOT / "bench" / "post.lua"),
                    post_headers,
                )
            ],
            1,
            args.seconds,
            args.connections,
            env={**os.environ, "BENCH_BODIES": str(bodies)},  # read by post.lua
        )
        results.update(post)
        memory = worker_memory(server)
    finally:
        server.stop()
        bodies.unlink(missing_ok=True)

    paths = [
        ("ceiling view", "/bench/ceiling/", {}),
        ("story, page cache", STORY, {}),
        ("story, fresh", STORY, FRESH),
        ("story, whole", STORY, WHOLE),
        ("home", "/", {}),
        ("tag page", "/tags/export/", {}),
        ("search", "/recherche/?q=export+asie", {}),
        ("RSS feed", "/flux/rss/", {}),
        ("new comments poll", f"{STORY}commentaires/etat/", {}),
    ]
    # The POST run just added thousands of comments; autovacuum would have caught up within
    # a minute on a live site, so the index-only counts below are measured as it leaves them.
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "VACUUM ANALYZE", large_name],
        check=True,
    )
    counts = probe(large, "queries", json.dumps(paths))
    queue = probe({**large, "STAFF_2FA_REQUIRED": "0"}, "queue")  # measured logged in, no phone
    plans = probe(large, "explain")

    print("Measuring the story page on 1,000 stories…", flush=True)
    flush_redis(4)
    probe(small, "ceiling", STORY, str(ceiling_file))
    server = Server(small, PORT)
    try:
        small_results = measure(
            [
                ("ceiling view", f"{base}/bench/ceiling/", None, ()),
                ("story, page cache", f"{base}{STORY}", None, ()),
                ("story, fresh", f"{base}{STORY}", None, (fresh_cookie,)),
            ],
            args.rounds,
            args.seconds,
            args.connections,
        )
    finally:
        server.stop()

    ceiling = results["ceiling view"]["rps"]
    print()
    print(
        f"{size:,} stories, wrk -c{args.connections}, {args.rounds} rounds of {args.seconds} s "
        f"(medians of the rounds)"
    )
    print(
        f"{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'p99÷p50':>9}{'worst p99':>11}"
        f"{'errors':>8}{'queries':>9}{'bytes':>8}{'÷ ceiling':>11}"
    )
    for name, r in results.items():
        q = counts.get(name, {})
        print(
            f"{name:<20}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['p99'] / r['p50']:>9.1f}"
            f"{r['worst p99']:>11.1f}{r['errors']:>8}"
            f"{q.get('queries', 1 if name == 'comment POST' else ''):>9}{q.get('bytes', ''):>8}"
            f"{r['rps'] / ceiling:>10.0%}"
        )
    print()
    small_ceiling = small_results["ceiling view"]["rps"]
    print(f"Story page, 1,000 vs {size:,} stories (req/s as a share of each run's ceiling)")
    for name in ("story, page cache", "story, fresh"):
        a = small_results[name]["rps"] / small_ceiling
        b = results[name]["rps"] / ceiling
        print(
            f"  {name:<20} 1,000: {a:6.0%} (p50 {small_results[name]['p50']:.1f} ms)   "
            f"{size:,}: {b:6.0%} (p50 {results[name]['p50']:.1f} ms)   change {b / a - 1:+.0%}"
        )
    print()
    print(
        f"Moderation queue with {queue['pending']:,} pending: {queue['moderation queue']:.0f} ms"
        f" ({queue['moderation queue, counted anew']:.0f} ms when its counts per section are"
        " made anew, at most every 30 s); "
        f"comments list: {queue['comments list']:.0f} ms; editors' dashboard: "
        f"{queue['dashboard']:.0f} ms computed, {queue['dashboard, cached']:.0f} ms cached "
        "(medians of 7, in-process)"
    )
    print(
        "Memory per gunicorn worker (peak RSS / proportional share / its own pages): "
        + ", ".join(f"{peak:.0f} / {pss:.0f} / {own:.0f}" for peak, pss, own in memory)
        + " MB"
    )
    on_disk = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT pg_size_pretty(pg_database_size('{large_name}'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"Database {large_name} on disk: {on_disk}")
    print()
    for name, plan in plans.items():
        print(f"EXPLAIN ANALYZE {name}:\n{plan}\n")


if __name__ == "__main__":
    main()
