"""An index of the live stories alone, for counting them and finding a period's stories.

Not atomic: on PostgreSQL the index is built CONCURRENTLY, so the stories table keeps
taking reads and writes while it is built (seconds on 200,000 stories)."""

from django.db import migrations, models

from newsroom.migrations_util import add_indexes_concurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0015_title_trigrams")]

    operations = add_indexes_concurrently(
        "articles",
        "article",
        [
            models.Index(
                fields=["-published_at", "id"],
                condition=models.Q(status="published", deleted_at=None),
                name="article_live_idx",
            )
        ],
    )
