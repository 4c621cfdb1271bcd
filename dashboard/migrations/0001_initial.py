"""The editors' dashboard becomes its own app: its permission (view_dashboard), born on the
comment model, moves to a model of its own without a table, so the groups keep it."""

from django.db import migrations, models

from newsroom.roles import ensure_roles


def _move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    source_type = ContentType.objects.filter(app_label=source[0], model=source[1]).first()
    if source_type is None:
        return
    target_type, _ = ContentType.objects.get_or_create(app_label=target[0], model=target[1])
    if not Permission.objects.filter(content_type=target_type, codename="view_dashboard").exists():
        Permission.objects.filter(content_type=source_type, codename="view_dashboard").update(
            content_type=target_type
        )


def to_dashboard(apps, schema_editor):
    _move(apps, ("comments", "comment"), ("dashboard", "dashboard"))
    ensure_roles(apps)  # a new database: the editors get it


def to_comments(apps, schema_editor):
    _move(apps, ("dashboard", "dashboard"), ("comments", "comment"))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('comments', '0017_delete_readermessage'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]
    run_before = [('comments', '0018_dashboard_permission_leaves_comments')]

    operations = [
        migrations.CreateModel(
            name='Dashboard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': "editors' dashboard",
                'permissions': [('view_dashboard', "Can see the editors' dashboard")],
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.RunPython(to_dashboard, to_comments),
    ]
