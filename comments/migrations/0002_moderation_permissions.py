from django.db import migrations

from newsroom.roles import ensure_roles


def grant(apps, schema_editor):
    # The comments models exist now: their permissions join the groups.
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
