"""Trigrams on story titles (pg_trgm), for the spelling a search with no result suggests.

Not atomic: on PostgreSQL the index is built CONCURRENTLY, so the stories table takes no
lock that stops reads or writes while it is built (a few seconds on 200,000 stories)."""

from django.db import migrations

POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS article_title_trgm_idx"
    " ON articles_article USING gin (title gin_trgm_ops)",
]


def setup(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_SETUP:
            schema_editor.execute(statement)


def teardown(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_title_trgm_idx")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0014_body_images")]

    operations = [migrations.RunPython(setup, teardown)]
