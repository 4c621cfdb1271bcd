"""Moving stored bodies from Markdown to the editor's HTML (migration articles 0020) on a
large newsroom: ./.venv/bin/python bench/body_migration.py [STORIES]

On a SQLite database made for the run (or the PostgreSQL database DATABASE_URL names),
migrated up to articles 0019, STORIES stories (default 10,000) are written with the
bench's Markdown body (intertitles, a quotation with its attribution, lists, links) and
the page that Markdown rendered to, each with a revision in the history. Then the
database is migrated to the latest state, in a process of its own; the run prints the
migration's time, its peak memory, and checks that every story's body renders to the
page it had.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(stories: int):
    folder = Path(tempfile.mkdtemp(prefix="bench-body-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "CACHE_URL": f"file://{folder / 'cache'}",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "migrate", "articles", "0019", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [python, "-c", FILL, str(stories)],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=True,
    )
    started = time.perf_counter()
    migrate = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *manage, "migrate", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = int(migrate.stderr.strip().splitlines()[-1]) / 1024
    subprocess.run(
        [python, "-c", CHECK, str(stories)],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=True,
    )
    print(
        f"{stories:,} stories and their revisions migrated in {seconds:.1f} s "
        f"({stories / seconds:,.0f} stories/s), peak memory {peak_mb:.0f} MB"
    )


# Written at articles 0019 by the historical models' tables, as an older newsroom has them.
FILL = """
import json, sys
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from articles.rendering import NewsroomExtension, for_readers
from newsroom.ceiling import body_markdown
import markdown

stories = int(sys.argv[1])
body = body_markdown()
page = for_readers(markdown.markdown(body, extensions=[NewsroomExtension(), "sane_lists"]), True)
now = timezone.now().isoformat()
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT id FROM django_content_type WHERE app_label='articles' AND model='article'")
    story_type = cursor.fetchone()[0]
    for n in range(stories):
        cursor.execute(
            "INSERT INTO articles_article (title, slug, standfirst, body, body_html, body_text, "
            "search_document, status, published_at, updated_at, created_at, language, "
            "comments_open, image, image_alt, image_credit, image_renditions, image_crops, "
            "image_focus_x, image_focus_y, edit_version, deleted_at) VALUES "
            "(%s, %s, 'Chapô.', %s, %s, '', '', 'published', %s, %s, %s, 'fr', %s, '', '', '', "
            "'[]', '[]', 50, 50, 1, NULL) RETURNING id",
            [f"Article {n}", f"article-{n}", body, page, now, now, now, True],
        )
        pk = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO reversion_revision (date_created, comment, user_id) "
            "VALUES (%s, '', NULL) RETURNING id",
            [now],
        )
        revision = cursor.fetchone()[0]
        data = json.dumps([{"model": "articles.article", "pk": pk, "fields": {"body": body}}])
        cursor.execute(
            "INSERT INTO reversion_version (object_id, format, serialized_data, object_repr, "
            "content_type_id, revision_id, db) VALUES (%s, 'json', %s, %s, %s, %s, 'default')",
            [str(pk), data, f"Article {n}", story_type, revision],
        )
"""

CHECK = """
import sys
import django
django.setup()
from articles.models import Article
from articles.rendering import is_html, render_body

checked = 0
for body, page in Article.objects.values_list("body", "body_html").iterator():
    assert is_html(body) and render_body(body, french_typography=True) == page
    checked += 1
assert checked == int(sys.argv[1]), checked
print(f"every body renders to the page it had ({checked:,} checked)")
"""

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
