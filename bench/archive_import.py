"""Importing a large WordPress archive: ./.venv/bin/python bench/archive_import.py [POSTS]

Writes a WordPress export of POSTS posts (default 10,000), each with ten comments (one in
five a reply, one in twenty waiting, one in fifty spam), in five categories and with a
few tags, then runs `manage.py import_wordpress --no-images` on it in a process of its
own, on a SQLite database and a file cache made for the run (the embedded default), or on
the PostgreSQL database DATABASE_URL names. Prints the import's time, the posts and
comments per second, and the process's peak memory; a run with a tenth of the posts
before it shows that memory does not grow with the file (the export is read as a stream).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMENTS_PER_POST = 10

PARAGRAPH = (
    "<p>Le conseil régional a présenté mardi son plan pour les zones d'activité du littoral. "
    "Les élus veulent <strong>doubler</strong> les surfaces disponibles d'ici 2030, en "
    'priorité pour l\'industrie. <a href="https://example.org/plan">Le plan complet</a>.</p>'
)


def write_export(path: Path, posts: int):
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Archive</title><link>https://archive.example</link><language>fr-FR</language>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_blog_url>https://archive.example</wp:base_blog_url>\n"
        )
        for a in range(5):
            out.write(
                f"<wp:author><wp:author_login>auteur{a}</wp:author_login>"
                f"<wp:author_display_name>Auteur {a}</wp:author_display_name></wp:author>\n"
            )
        for n in range(posts):
            day = f"20{10 + n % 14:02d}/{1 + n % 12:02d}/{1 + n % 28:02d}"
            comments = []
            for c in range(COMMENTS_PER_POST):
                cid = n * COMMENTS_PER_POST + c + 1
                parent = cid - 1 if c % 5 == 4 else 0
                state = "0" if c % 20 == 7 else ("spam" if cid % 50 == 0 else "1")
                comments.append(
                    f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                    f"<wp:comment_author>Lecteur {cid}</wp:comment_author>"
                    f"<wp:comment_author_email>lecteur{cid % 5000}@example.org</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>{day.replace('/', '-')} 12:{c:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[Un avis sur ce projet, numéro {cid}. "
                    "Les entreprises du secteur attendent des précisions sur le calendrier.]]>"
                    f"</wp:comment_content><wp:comment_approved>{state}</wp:comment_approved>"
                    f"<wp:comment_type></wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    "</wp:comment>"
                )
            out.write(
                f"<item><title>Article numéro {n}</title>"
                f"<link>https://archive.example/{day}/article-{n}/</link>"
                f"<guid>https://archive.example/?p={n + 1}</guid>"
                f"<dc:creator>auteur{n % 5}</dc:creator>"
                f"<content:encoded><![CDATA[{PARAGRAPH}\n\n<h2>La suite</h2>\n\n{PARAGRAPH}]]></content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{n + 1}</wp:post_id>"
                f"<wp:post_date_gmt>{day.replace('/', '-')} 08:00:00</wp:post_date_gmt>"
                f"<wp:post_name>article-{n}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>"
                f'<category domain="category" nicename="rubrique-{n % 5}"><![CDATA[Rubrique {n % 5}]]></category>'
                f'<category domain="post_tag" nicename="mot-{n % 40}"><![CDATA[Mot {n % 40}]]></category>'
                f"{''.join(comments)}</item>\n"
            )
        out.write("</channel></rss>\n")


def run(posts: int, work: Path) -> dict:
    export = work / f"export-{posts}.xml"
    write_export(export, posts)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "CACHE_DIR": str(work / f"cache-{posts}"),
        "MEDIA_ROOT": str(work / "media"),
        "REDIS_URL": "",
    }
    if "DATABASE_URL" not in os.environ:
        env["DATABASE_URL"] = f"sqlite:///{work / f'db-{posts}.sqlite3'}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    # The import in a process of its own, which says its own peak memory when it ends.
    script = (
        "import resource, runpy, sys\n"
        f"sys.argv = ['manage.py', 'import_wordpress', {str(export)!r}, '--no-images']\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'manage.py')!r}, run_name='__main__')\n"
        "finally:\n"
        "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak = int(done.stderr.rsplit("PEAK", 1)[1].split()[0]) / 1024
    assert f"story (published): {posts}" in done.stdout, done.stdout[-2000:]
    return {
        "posts": posts,
        "file MB": export.stat().st_size / 1e6,
        "seconds": seconds,
        "peak MB": peak,
    }


def main():
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    work = Path(tempfile.mkdtemp(prefix="newsroom-archive-bench-"))
    print(
        f"{'posts':>7} {'comments':>9} {'file MB':>8} {'time':>8} {'posts/s':>8} {'comments/s':>11} {'peak MB':>8}"
    )
    for size in (posts // 10, posts):
        row = run(size, work)
        print(
            f"{size:>7} {size * COMMENTS_PER_POST:>9} {row['file MB']:>8.1f} {row['seconds']:>6.0f} s"
            f" {size / row['seconds']:>8.0f} {size * COMMENTS_PER_POST / row['seconds']:>11.0f}"
            f" {row['peak MB']:>8.0f}"
        )


if __name__ == "__main__":
    main()
