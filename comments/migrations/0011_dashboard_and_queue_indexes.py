"""An index on when moderators decided, for the editors' dashboard (moderation time per
day, the queue through the day): without it, both read every comment ever moderated. And
one of the waiting comments by story, for the queue's count per section.

Built CONCURRENTLY on PostgreSQL (the migration is not atomic), as in 0009."""

from django.db import migrations, models

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


def build(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for index in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            sql = str(index.create_sql(Comment, schema_editor, concurrently=True))
            schema_editor.execute(sql.replace("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS", 1))
        else:
            schema_editor.add_index(Comment, index)


def drop(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for index in INDEXES:
        schema_editor.remove_index(Comment, index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("comments", "0010_reports_and_reader_messages")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="comment", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(build, drop)],
        )
    ]
