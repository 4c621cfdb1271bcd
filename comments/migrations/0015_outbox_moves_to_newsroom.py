"""The outbox belongs to the site-wide pieces (newsroom.OutgoingMail) now: the model leaves
comments' state; the table stays, under its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0014_rate_limit_moves_to_newsroom")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingMail")],
            database_operations=[],
        )
    ]
