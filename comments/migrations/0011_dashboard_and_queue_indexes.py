"""An index on when moderators decided, for the editors' dashboard (moderation time per
day, the queue through the day): without it, both read every comment ever moderated. And
one of the waiting comments by story, for the queue's count per section.

Built CONCURRENTLY on PostgreSQL (the migration is not atomic), as in 0009."""

from django.db import migrations, models

from newsroom.migrations_util import add_indexes_concurrently

INDEXES = [
    models.Index(
        fields=["article"],
        condition=models.Q(status="pending"),
        name="comment_waiting_story_idx",
    ),
    models.Index(
        fields=["moderated_at"],
        condition=models.Q(moderated_by__isnull=False),
        name="comment_decided_idx",
    ),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("comments", "0010_reports_and_reader_messages")]

    operations = add_indexes_concurrently("comments", "comment", INDEXES)
