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


def _convert(rows, field, convert):
    """Every row's `field` through `convert`, 500 rows to a transaction: a large archive's
    stories are never all locked at once, and a run cut short resumes (converted rows are
    HTML and left alone)."""
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            batch = rows.filter(pk__in=pks[start : start + BATCH])
            for pk, value in batch.values_list("pk", field):
                if (new := convert(value)) != value:
                    rows.filter(pk=pk).update(**{field: new})


def _version_bodies(serialized):
    """A revision's serialized story with its body as HTML (unchanged if it was already)."""
    data = json.loads(serialized)
    changed = False
    for item in data:
        fields = item.get("fields", {})
        if isinstance(body := fields.get("body"), str) and (html := _to_html(body)) != body:
            fields["body"], changed = html, True
    return json.dumps(data) if changed else serialized


def forwards(apps, schema_editor):
    _convert(apps.get_model("articles", "Article")._base_manager.all(), "body", _to_html)
    _convert(apps.get_model("articles", "Autosave")._base_manager.all(), "body", _to_html)
    # The history: "Compare revisions" and "Restore" read the body of older revisions.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    story_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if story_type is not None:
        versions = Version.objects.filter(content_type=story_type, format="json")
        _convert(versions, "serialized_data", _version_bodies)


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
