"""A read replica for the reader pages (newsroom/replica.py): readers' shared pages read
there, everything else and every page just after a change read the primary."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.services import article_save
from tests.factories import make_article, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.usefixtures("replica_router"),
]


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
    settings.REPLICA_LAG_SECONDS = 5


def read(client, url):
    """The page, and how many queries each database answered for it."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        page = client.get(url).content.decode()
    return page, len(primary), len(replica)


def test_shared_reader_pages_read_from_the_replica_but_right_after_a_change():
    article = make_article(title="Le port recrute")
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        # Long after the story was saved: the story page, the home page and search.
        for url in (article.get_absolute_url(), "/", reverse("articles:search") + "?q=port"):
            page, primary, replica = read(Client(), url)
            assert "Le port recrute" in page
            assert replica >= 1 and primary == 0, url
        article.title = "Le port recrute encore"
        article_save(article=article)
        # Just after the change, from the primary: the new page is what the cache keeps.
        page, primary, replica = read(Client(), article.get_absolute_url())
        assert "Le port recrute encore" in page
        assert primary >= 1 and replica == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=20), tick=False):
        page, primary, replica = read(Client(), "/")
        assert "Le port recrute encore" in page
        assert replica >= 1 and primary == 0


def test_staff_and_readers_with_pages_of_their_own_read_the_primary():
    article = make_article(title="Le port recrute")
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        staff = Client()
        staff.force_login(make_user("redactrice", group="Editors"))
        _page, primary, replica = read(staff, article.get_absolute_url())
        assert primary >= 1 and replica == 0
        reader = Client()
        reader.cookies["messages"] = "un message à montrer"
        _page, primary, replica = read(reader, article.get_absolute_url())
        assert primary >= 1 and replica == 0
