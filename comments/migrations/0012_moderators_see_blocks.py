"""Moderators block senders from a comment's card: they now see the block list and can
undo a block."""

from django.db import migrations

from newsroom.roles import ensure_roles


def grant_roles(apps, schema_editor):
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("comments", "0011_dashboard_and_queue_indexes")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
