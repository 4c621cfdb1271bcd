"""Story bodies were Markdown; the writing screen is now a rich-text editor whose HTML is
stored. Every story's body, every journalist's autosave and every revision in the history
is turned into the HTML the editor writes (articles.rendering.markdown_to_html), which
renders to the very page the Markdown did (tests/articles/test_body_migration.py compares
them). body_html, what readers get, is left as it is."""

import json

from django.db import migrations, models, transaction


def _to_html(body):
    from articles.rendering import is_html, markdown_to_html

    return body if not body or is_html(body) else markdown_to_html(body)


BATCH = 500


def _convert(model, field, convert):
    """Every row's `field` through `convert`, 500 rows to a transaction: a large archive's
    stories are never all locked at once, and a run cut short resumes (converted rows are
    HTML and left alone)."""
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            rows = model._base_manager.filter(pk__in=pks[start : start + BATCH])
            for pk, value in rows.values_list("pk", field):
                if (new := convert(value)) != value:
                    model._base_manager.filter(pk=pk).update(**{field: new})


def _version_bodies(serialized):
    data = json.loads(serialized)
    for item in data:
        fields = item.get("fields", {})
        if isinstance(fields.get("body"), str):
            fields["body"] = _to_html(fields["body"])
    converted = json.dumps(data)
    return converted if converted != json.dumps(json.loads(serialized)) else serialized


def forwards(apps, schema_editor):
    _convert(apps.get_model("articles", "Article"), "body", _to_html)
    _convert(apps.get_model("articles", "Autosave"), "body", _to_html)
    # The history: "Compare revisions" and "Restore" read the body of older revisions.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    story_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if story_type is not None:
        stories = Version.objects.filter(content_type=story_type, format="json")
        pks = list(stories.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                batch = Version.objects.filter(pk__in=pks[start : start + BATCH])
                for pk, data in batch.values_list("pk", "serialized_data"):
                    if (new := _version_bodies(data)) != data:
                        Version.objects.filter(pk=pk).update(serialized_data=new)


class Migration(migrations.Migration):
    # Batches of their own (see _convert), not one transaction over every story.
    atomic = False

    dependencies = [
        ("articles", "0019_autosave"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                help_text=(
                    "Write as in a word processor: the toolbar or Ctrl+B, Ctrl+I, Ctrl+K for a "
                    "link; “Intertitle” in the paragraph menu; a quotation's last paragraph "
                    "“— Name, role” is its attribution. Drop or paste an image where it goes, "
                    "or use the image button."
                ),
                verbose_name="body",
            ),
        ),
        # Backwards, the HTML stays: Markdown passes HTML through, so the page is unchanged.
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
