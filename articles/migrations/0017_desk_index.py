"""An index of the stories not in the bin, in the admin's order (newest first), for the
journalists' list of stories, its count and its date links.

Not atomic: on PostgreSQL the index is built CONCURRENTLY, so the stories table keeps
taking reads and writes while it is built (under a second on 200,000 stories)."""

from django.db import migrations, models

from newsroom.migrations_util import add_indexes_concurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0016_live_stories_index")]

    operations = add_indexes_concurrently(
        "articles",
        "article",
        [
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(deleted_at=None),
                name="article_desk_idx",
            )
        ],
    )
