from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    # Moderators: comments, and nothing else.
    "Moderators": [
        "view_comment",
        "moderate_comment",
        "view_moderationlogentry",
    ],
    # Editors keep the spam lists: banned words and blocked senders.
    "Editors": [
        "add_bannedword",
        "change_bannedword",
        "delete_bannedword",
        "view_bannedword",
        "add_blockedsender",
        "change_blockedsender",
        "delete_blockedsender",
        "view_blockedsender",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
