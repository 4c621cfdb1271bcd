"""Readers' messages live in letters now (letters 0001): the model leaves comments' state;
the table stays, under its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0016_section_policies"), ("letters", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReaderMessage")],
            database_operations=[],
        )
    ]
