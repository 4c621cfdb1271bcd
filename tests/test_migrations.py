"""Rows that moved between apps stay: the outbox and the rate limit (comments → newsroom),
the sections' comment policies (the tags → comments), readers' messages (comments →
letters, with their permissions). A database as it stood before the moves migrates
forward with its rows in place, and back: one walk, since each walk costs seconds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

BEFORE = [
    ("articles", "0017_desk_index"),
    ("comments", "0013_readers_behind_one_address"),
    ("newsroom", None),
    ("letters", None),
    ("dashboard", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    ours = {"articles", "comments", "letters", "dashboard", "newsroom"}
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in ours]


def fill_before_the_moves(old):
    old.get_model("comments", "OutgoingMail").objects.create(
        to=["moderatrice@example.org"], subject="2 commentaires à modérer", body="…"
    )
    old.get_model("comments", "RateLimitEvent").objects.create(key="comment:x", at=timezone.now())
    old.get_model("comments", "ReaderMessage").objects.create(
        kind="question", name="Léa", email="lea@example.org", body="Une question."
    )
    Tag = old.get_model("articles", "Tag")
    sailor = old.get_model("auth", "User").objects.create(username="marin")
    port = Tag.objects.create(name="Port", slug="port", comments_close_days=7)
    port.moderators.add(sailor)
    Tag.objects.create(name="Start-up", slug="start-up", premoderation="trusted")
    Tag.objects.create(name="Export", slug="export")  # the default: no policy
    story = old.get_model("articles", "Article").objects.create(
        title="Le port en travaux",
        slug="le-port-en-travaux",
        status="published",
        published_at=timezone.now() - timedelta(days=8),
        comments_close_at=timezone.now() - timedelta(days=1),
    )
    story.tags.add(port)
    return story


@pytest.mark.django_db(transaction=True)
def test_rows_keep_their_place_across_the_moves_between_apps_and_back():
    head = latest()
    try:
        story = fill_before_the_moves(migrate(BEFORE))
        new = migrate(head)

        # The outbox and the rate limit: newsroom's now.
        mail = new.get_model("newsroom", "OutgoingMail").objects.get()
        assert (mail.subject, mail.sent_at, mail.next_attempt_at) == (
            "2 commentaires à modérer",
            None,
            None,
        )
        assert new.get_model("newsroom", "RateLimitEvent").objects.get().key == "comment:x"

        # The comment policies: comments', one per tag that differed from the default.
        policies = new.get_model("comments", "SectionPolicy").objects.order_by("tag__name")
        assert [(p.tag.name, p.premoderation, p.close_after_days) for p in policies] == [
            ("Port", "all", 7),
            ("Start-up", "trusted", None),
        ]
        assert [u.username for u in policies[0].moderators.all()] == ["marin"]
        page = Client().get("/articles/le-port-en-travaux/").content.decode()
        assert "Les commentaires sont fermés" in page

        # Readers' messages: letters', and the journalists keep their permissions on them.
        assert new.get_model("letters", "ReaderMessage").objects.get().name == "Léa"
        journalists = new.get_model("auth", "Group").objects.get(name="Journalists")
        granted = journalists.permissions.filter(content_type__model="readermessage")
        assert sorted(granted.values_list("content_type__app_label", "codename")) == [
            ("letters", "change_readermessage"),
            ("letters", "view_readermessage"),
        ]
        editors = new.get_model("auth", "Group").objects.get(name="Editors")
        assert editors.permissions.filter(
            content_type__app_label="dashboard", codename="view_dashboard"
        ).exists()

        back = migrate(BEFORE)
        assert back.get_model("comments", "OutgoingMail").objects.count() == 1
        assert back.get_model("comments", "ReaderMessage").objects.count() == 1
        port = back.get_model("articles", "Tag").objects.get(slug="port")
        assert (port.comments_close_days, list(port.moderators.values_list("username"))) == (
            7,
            [("marin",)],
        )
        closing = back.get_model("articles", "Article").objects.get().comments_close_at
        assert closing == story.published_at + timedelta(days=7)
    finally:
        migrate(head)
