"""What migrations share: indexes built without locking a large table's writes."""

from django.db import migrations


def add_indexes_concurrently(app_label: str, model_name: str, indexes) -> list:
    """Operations adding `indexes` to a model: CONCURRENTLY (and IF NOT EXISTS) on
    PostgreSQL, so the table keeps taking writes while they build; an ordinary index
    elsewhere. The migration using them must say `atomic = False`."""

    def build(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for index in indexes:
            if schema_editor.connection.vendor == "postgresql":
                sql = str(index.create_sql(model, schema_editor, concurrently=True))
                schema_editor.execute(sql.replace("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS", 1))
            else:
                schema_editor.add_index(model, index)

    def drop(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for index in indexes:
            schema_editor.remove_index(model, index)

    return [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name=model_name, index=index) for index in indexes
            ],
            database_operations=[migrations.RunPython(build, drop)],
        )
    ]
