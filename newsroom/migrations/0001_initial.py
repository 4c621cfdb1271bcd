"""The rate limit's table, made by comments (0007) and taken over here as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("comments", "0007_rate_limit_events")]
    run_before = [("comments", "0014_rate_limit_moves_to_newsroom")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(db_index=True, max_length=200)),
                        ("at", models.DateTimeField()),
                    ],
                    options={"db_table": "comments_ratelimitevent"},
                )
            ],
            database_operations=[],
        )
    ]
