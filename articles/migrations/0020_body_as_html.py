"""Story bodies were Markdown; the writing screen is now a rich-text editor whose HTML is
stored. Every story's body, every journalist's autosave and every revision in the history
is turned into the HTML the editor writes (articles.rendering.markdown_to_html), which
renders to the very page the Markdown did (tests/articles/test_body_migration.py compares
them). body_html, what readers get, is left as it is."""

import json

from django.db import migrations, models


def _to_html(body):
    from articles.rendering import is_html, markdown_to_html

    return body if not body or is_html(body) else markdown_to_html(body)


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Autosave = apps.get_model("articles", "Autosave")
    for model in (Article, Autosave):
        for pk, body in model._base_manager.values_list("pk", "body").iterator(chunk_size=500):
            html = _to_html(body)
            if html != body:
                model._base_manager.filter(pk=pk).update(body=html)
    # The history: "Compare revisions" and "Restore" read the body of older revisions.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    story_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if story_type is None:
        return
    versions = Version.objects.filter(content_type=story_type, format="json")
    for version in versions.iterator(chunk_size=500):
        data = json.loads(version.serialized_data)
        changed = False
        for item in data:
            fields = item.get("fields", {})
            body = fields.get("body")
            if isinstance(body, str) and (html := _to_html(body)) != body:
                fields["body"], changed = html, True
        if changed:
            Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))


class Migration(migrations.Migration):
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
