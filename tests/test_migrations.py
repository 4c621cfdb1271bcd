"""The outbox and the rate limit moved from comments to newsroom without moving a row: a
database as it stood before the move (mail waiting, a limit counting) migrates forward
with its rows in place, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("comments", "0013_readers_behind_one_address"), ("newsroom", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in {"comments", "newsroom"}]


@pytest.mark.django_db(transaction=True)
def test_the_outbox_and_the_rate_limit_keep_their_rows_across_the_move():
    head = latest()
    try:
        old = migrate(BEFORE)
        old.get_model("comments", "OutgoingMail").objects.create(
            to=["moderatrice@example.org"], subject="2 commentaires à modérer", body="…"
        )
        old.get_model("comments", "RateLimitEvent").objects.create(
            key="comment:x", at=timezone.now()
        )
        new = migrate(head)
        mail = new.get_model("newsroom", "OutgoingMail").objects.get()
        assert (mail.subject, mail.sent_at, mail.next_attempt_at) == (
            "2 commentaires à modérer",
            None,
            None,
        )
        assert new.get_model("newsroom", "RateLimitEvent").objects.get().key == "comment:x"
        back = migrate(BEFORE)
        assert back.get_model("comments", "OutgoingMail").objects.count() == 1
    finally:
        migrate(head)
