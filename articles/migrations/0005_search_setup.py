from django.db import migrations
from django.utils.html import strip_tags

from newsroom.text import fold_text

POSTGRES_SETUP = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent ( COPY = french );
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS article_search_vector_idx ON articles_article USING gin (search_vector);
"""
POSTGRES_TEARDOWN = """
DROP INDEX IF EXISTS article_search_vector_idx;
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
"""


def setup(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    is_postgres = schema_editor.connection.vendor == "postgresql"
    if is_postgres:
        schema_editor.execute(POSTGRES_SETUP)
    for article in Article.objects.all():
        article.body_text = " ".join(strip_tags(article.body_html).split())
        article.search_document = fold_text(f"{article.title} {article.standfirst} {article.body_text}")
        article.save(update_fields=["body_text", "search_document"])
    if is_postgres:
        schema_editor.execute(
            "UPDATE articles_article SET search_vector ="
            " setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A')"
            " || setweight(to_tsvector('french_unaccent', coalesce(standfirst, '')), 'B')"
            " || setweight(to_tsvector('french_unaccent', coalesce(body_text, '')), 'C')"
        )


def teardown(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TEARDOWN)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_fields")]

    operations = [migrations.RunPython(setup, teardown)]
