"""The outbox's table, made by comments (0006, 0008) and taken over here as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial"), ("comments", "0008_moderation_desk")]
    run_before = [("comments", "0015_outbox_moves_to_newsroom")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMail",
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
                        ("to", models.JSONField(verbose_name="to")),
                        ("kind", models.CharField(blank=True, default="", max_length=20)),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="body")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="queued"),
                        ),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="sent"),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        "db_table": "comments_outgoingmail",
                        "verbose_name": "outgoing mail",
                        "verbose_name_plural": "outgoing mail",
                        "ordering": ["created_at", "pk"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("sent_at", None)),
                                fields=["created_at"],
                                name="outbox_unsent_idx",
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
