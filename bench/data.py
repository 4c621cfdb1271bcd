"""A newsroom database of realistic size, generated in PostgreSQL (nothing downloaded)."""

import psycopg2
from common import PG

from newsroom.ceiling import body_markdown

BENCH_SLUG = "bench-story"
BENCH_COMMENTS = 50

CITIES = [
    "Marseille",
    "Aix",
    "Toulon",
    "Nice",
    "Avignon",
    "Arles",
    "Gap",
    "Fos",
    "La Ciotat",
    "Vitrolles",
]
THEMES = [
    "l'export vers l'Asie",
    "l'hydrogène vert",
    "les start-up de la French Tech",
    "le tourisme d'affaires",
    "les chantiers navals",
    "l'aéronautique",
    "l'attractivité du territoire",
    "les investissements étrangers",
    "la logistique portuaire",
    "l'innovation industrielle",
]


def populate(database, stories, approved, pending, years=1):
    """Add generated stories, comments and daily readings to a migrated database. The
    stories are spread over that many years. Over one year, every story has a reading row
    for every day since its publication; over more (an archive), the stories of the last
    three years have one for each of their first 30 days, as readings fade."""
    import django

    django.setup()
    from django.utils.html import strip_tags

    from articles.rendering import markdown_to_html, render_body

    body = markdown_to_html(body_markdown())  # stored as the editor's HTML
    body_html = render_body(body)
    body_text = " ".join(strip_tags(body_html).split())
    with psycopg2.connect(PG + database) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM articles_tag ORDER BY id")
        tags = [row[0] for row in cur.fetchall()]
        cur.execute(
            "SELECT u.id FROM auth_user u JOIN auth_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE g.name = 'Journalists' ORDER BY u.id"
        )
        authors = [row[0] for row in cur.fetchall()]
        renditions = (
            '[[480, 270, "renditions/bench-480.webp"], [960, 540, "renditions/bench-960.webp"],'
            ' [1600, 900, "renditions/bench-1600.webp"]]'
        )
        cur.execute(
            """
            INSERT INTO articles_article (title, slug, standfirst, body, body_html, body_text,
                search_document, image, image_alt, image_credit, image_renditions, status,
                published_at, comments_open, created_at, updated_at, language, edit_version,
                image_crops, image_focus_x, image_focus_y)
            SELECT
                initcap((%(themes)s::text[])[1 + i %% 10]) || ' : ' || (%(cities)s::text[])[1 + (i / 10) %% 10]
                    || ' avance, épisode ' || i,
                'histoire-' || i,
                'À ' || (%(cities)s::text[])[1 + (i / 10) %% 10] || ', ' || (%(themes)s::text[])[1 + i %% 10]
                    || ' mobilise élus et entreprises : chiffres, acteurs et calendrier du projet.',
                %(body)s, %(body_html)s, %(body_text)s, '',
                'articles/bench.jpg', 'Illustration', 'Newsroom', %(renditions)s::jsonb,
                'published',
                now() - (i * interval '365 days' * %(years)s / %(n)s) - interval '1 hour',
                true, now(),
                now() - (i * interval '365 days' * %(years)s / %(n)s) - interval '1 hour',
                'fr', 1, '[]'::jsonb, 50, 50
            FROM generate_series(1, %(n)s) AS i
            """,
            {
                "themes": THEMES,
                "cities": CITIES,
                "body": body,
                "body_html": body_html,
                "body_text": body_text,
                "renditions": renditions,
                "n": stories,
                "years": years,
            },
        )
        cur.execute(
            "UPDATE articles_article SET search_document = lower(unaccent(title || ' ' || standfirst"
            " || ' ' || body_text)), search_vector ="
            " setweight(to_tsvector('french_unaccent', title), 'A')"
            " || setweight(to_tsvector('french_unaccent', standfirst), 'B')"
            " || setweight(to_tsvector('french_unaccent', body_text), 'C')"
            " WHERE slug LIKE 'histoire-%%'"
        )
        # The story the benchmark reads: the newest, with exactly 50 approved comments.
        cur.execute(
            "UPDATE articles_article SET slug = %s, published_at = now() - interval '10 minutes'"
            " WHERE slug = 'histoire-1'",
            [BENCH_SLUG],
        )
        cur.execute(
            "INSERT INTO articles_article_tags (article_id, tag_id)"
            " SELECT a.id, t.tag FROM articles_article a,"
            " LATERAL (VALUES ((%(tags)s::bigint[])[1 + a.id %% %(k)s]),"
            " ((%(tags)s::bigint[])[1 + (a.id * 3 + 1) %% %(k)s])) AS t(tag)"
            " WHERE a.slug LIKE 'histoire-%%' OR a.slug = %(bench)s ON CONFLICT DO NOTHING",
            {"tags": tags, "k": len(tags), "bench": BENCH_SLUG},
        )
        cur.execute(
            "INSERT INTO articles_article_authors (article_id, user_id)"
            " SELECT a.id, (%(authors)s::int[])[1 + a.id %% %(k)s] FROM articles_article a"
            " WHERE a.slug LIKE 'histoire-%%' OR a.slug = %(bench)s",
            {"authors": authors, "k": len(authors), "bench": BENCH_SLUG},
        )
        cur.execute("SELECT id FROM articles_article WHERE slug = %s", [BENCH_SLUG])
        bench_id = cur.fetchone()[0]
        cur.execute("SELECT min(id), max(id) FROM articles_article WHERE slug LIKE 'histoire-%%'")
        low, high = cur.fetchone()
        comment = (
            "INSERT INTO comments_comment (article_id, name, email, body, status, spam_reason,"
            " ip_hash, body_hash, created_at, notify_author, reason, reason_note, rule,"
            " unreviewed)"
            " SELECT {article}, 'Lecteur ' || i, 'lecteur' || i || '@example.org',"
            " 'Un avis argumenté sur ce sujet, numéro ' || i || '. Les chiffres annoncés"
            " méritent d''être suivis de près dans les prochains mois.', %(status)s, '', '',"
            " md5(i::text || %(status)s), now() - (random() * interval '365 days'),"
            " false, '', '', '', false"
            " FROM generate_series(1, %(n)s) AS i"
        )
        spread = f"{low} + floor(random() * ({high} - {low} + 1))::bigint"
        cur.execute(comment.format(article=bench_id), {"status": "approved", "n": BENCH_COMMENTS})
        cur.execute(
            comment.format(article=spread), {"status": "approved", "n": approved - BENCH_COMMENTS}
        )
        cur.execute(comment.format(article=spread), {"status": "pending", "n": pending})
        if years == 1:
            # A year of daily readings: one row per story and day since its publication.
            cur.execute(
                "INSERT INTO articles_dailyreadings (article_id, day, shard, count)"
                " SELECT a.id, d::date, 0, 1 + floor(random() * 200)::int"
                " FROM articles_article a,"
                " generate_series(a.published_at::date, current_date, interval '1 day') AS d"
                " ON CONFLICT DO NOTHING"  # the demo's stories have readings of their own
            )
        else:
            # Three years of readings: each story's first 30 days.
            cur.execute(
                "INSERT INTO articles_dailyreadings (article_id, day, shard, count)"
                " SELECT a.id, d::date, 0, 1 + floor(random() * 200)::int"
                " FROM articles_article a,"
                " generate_series(a.published_at::date,"
                " least(a.published_at::date + 29, current_date), interval '1 day') AS d"
                " WHERE a.published_at > now() - interval '3 years'"
                " ON CONFLICT DO NOTHING"
            )
    # What autovacuum would have done by now: visibility maps for index-only scans.
    conn = psycopg2.connect(PG + database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()


if __name__ == "__main__":
    import sys

    database, stories, approved, pending, *years = sys.argv[1], *map(int, sys.argv[2:])
    populate(database, stories, approved, pending, *years)
