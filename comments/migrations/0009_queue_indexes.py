"""Indexes for the moderation queue on a large comments table.

Built CONCURRENTLY on PostgreSQL (the migration is not atomic): the comments table keeps
taking new comments and decisions while they build. Elsewhere, an ordinary index."""

import django.db.models.functions.text
from django.db import migrations, models

INDEXES = [
    models.Index(django.db.models.functions.text.Lower("email"), name="comment_email_lower_idx"),
    models.Index(
        fields=["created_at"],
        condition=models.Q(unreviewed=True),
        name="comment_unreviewed_idx",
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

    dependencies = [("comments", "0008_moderation_desk")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="comment", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(build, drop)],
        )
    ]
