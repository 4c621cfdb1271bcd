"""The rate limit's table belongs to the site-wide pieces (newsroom.RateLimitEvent) now:
the model leaves comments' state; the table stays, under its name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0013_readers_behind_one_address")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateLimitEvent")],
            database_operations=[],
        )
    ]
