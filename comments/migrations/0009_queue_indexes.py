"""Indexes for the moderation queue on a large comments table.

Built CONCURRENTLY on PostgreSQL (the migration is not atomic): the comments table keeps
taking new comments and decisions while they build. Elsewhere, an ordinary index."""

import django.db.models.functions.text
from django.db import migrations, models

from newsroom.migrations_util import add_indexes_concurrently

INDEXES = [
    models.Index(django.db.models.functions.text.Lower("email"), name="comment_email_lower_idx"),
    models.Index(
        fields=["created_at"],
        condition=models.Q(unreviewed=True),
        name="comment_unreviewed_idx",
    ),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("comments", "0008_moderation_desk")]

    operations = add_indexes_concurrently("comments", "comment", INDEXES)
