"""Limits an attacker cannot sidestep (rate limits, IPv6 networks, readings), and what a
refused request leaves in the logs."""

import logging
from datetime import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from articles.models import DailyReadings
from comments.models import Comment
from newsroom import ratelimit
from newsroom.models import RateLimitEvent
from newsroom.typography import french
from tests.factories import comment_data, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


def test_the_rate_limit_window_slides_over_a_window_boundary():
    at = datetime(2026, 11, 28, 20, 9, 58)
    with time_machine.travel(at, tick=False):
        assert [ratelimit.allow("k", limit=5, window=600) for _ in range(5)] == [True] * 5
    with time_machine.travel(at.replace(minute=10, second=1), tick=False):
        assert not ratelimit.allow("k", limit=5, window=600)
    with time_machine.travel(at.replace(minute=20, second=1), tick=False):
        assert ratelimit.allow("k", limit=5, window=600)


def test_while_the_cache_is_away_the_limit_is_kept_in_the_database(monkeypatch):
    def away(*args, **kwargs):
        raise ValueError("cache unavailable")

    monkeypatch.setattr(ratelimit.cache, "incr", away)
    monkeypatch.setattr(ratelimit.cache, "add", lambda *args, **kwargs: False)
    assert [ratelimit.allow("ip", limit=3, window=60) for _ in range(5)] == [True] * 3 + [False] * 2
    assert RateLimitEvent.objects.filter(key="ip").count() == 5


def test_two_addresses_of_one_ipv6_network_share_the_comment_limit(settings):
    settings.COMMENT_RATE_LIMIT = 2
    article = make_article()
    url = reverse("comments:post", args=[article.slug])
    codes = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n}")
        .post(url, comment_data(article, body=f"Avis {n}."))
        .status_code
        for n in range(1, 4)
    ]
    assert codes == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert other_network.post(url, comment_data(article, body="Un autre.")).status_code == 302


def test_most_read_cannot_be_bought_with_user_agents():
    story = make_article()
    for n in range(30):
        Client(REMOTE_ADDR="198.51.100.50", HTTP_USER_AGENT=f"{BROWSER} build/{n}").post(
            reverse("articles:reading", args=[story.pk])
        )
    assert DailyReadings.objects.aggregate(total=Sum("count"))["total"] == 3


def test_readings_from_one_ipv6_network_are_capped_together():
    story = make_article()
    for n in range(10):
        Client(REMOTE_ADDR=f"2001:db8:aa:bb::{n + 1}", HTTP_USER_AGENT=BROWSER).post(
            reverse("articles:reading", args=[story.pk])
        )
    assert DailyReadings.objects.aggregate(total=Sum("count"))["total"] == 3


def test_a_honeypot_filled_in_any_copy_is_refused(client):
    article = make_article()
    data = comment_data(article)
    data["website"] = ["spam", ""]  # the last value would win
    response = client.post(reverse("comments:post", args=[article.slug]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Comment.objects.exists()


def test_moderators_cannot_look_readers_up_by_address_hash(client):
    moderator = make_user(group="Moderators")
    comment = make_comment(ip_hash="abc")
    client.force_login(moderator)
    url = reverse("admin:comments_comment_changelist")
    assert client.get(url, {"ip_hash": comment.ip_hash}).status_code == HTTPStatus.BAD_REQUEST
    assert client.get(url, {"status__exact": "approved"}).status_code == HTTPStatus.OK


def test_feed_titles_reach_a_feed_reader_as_typed_escaped_once(client):
    import feedparser

    name = "</textarea><script>alert(1)</script> & Zoé"
    article = make_article(title="Recherche & <b>développement</b>")
    make_comment(article, name=name)
    comments = feedparser.parse(client.get(reverse("comments:feed", args=[article.slug])).content)
    assert comments.entries[0].title == f"Commentaire de {name}"
    assert comments.entries[0].title_detail.type == "text/plain"  # never read as markup
    for feed in ("articles:feed_rss", "articles:feed_atom"):
        stories = feedparser.parse(client.get(reverse(feed)).content)
        assert stories.entries[0].title == french("Recherche & <b>développement</b>")


def test_a_refused_request_is_one_line_in_the_log(client, caplog):
    journalist = make_user(group="Journalists")
    client.force_login(journalist)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("admin:comments_comment_queue")).status_code == 403
    handler = logging.getLogger().handlers[0]
    formatted = [handler.format(r) for r in caplog.records if r.name == "django.request"]
    assert formatted and all("Traceback" not in line for line in formatted)


def test_security_txt_and_csp_reports(client):
    text = client.get("/.well-known/security.txt").content.decode()
    assert text.startswith("Contact: mailto:")
    assert "Expires: " in text
    response = client.post(
        "/csp-report/", b'{"csp-report": {}}', content_type="application/csp-report"
    )
    assert response.status_code == HTTPStatus.NO_CONTENT


def test_the_lockout_page_says_the_actual_wait(client, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=42)
    user = make_user("verrou", is_staff=True)
    for _ in range(6):
        response = client.post(
            reverse("admin:login"), {"username": user.username, "password": "faux"}
        )
    assert response.status_code == 429
    assert "42" in response.content.decode()


def test_after_login_an_unsafe_next_lands_on_the_admin(client):
    make_user("retour", is_staff=True)
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "retour", "password": "correct horse battery staple"},
    )
    assert response["Location"] == "/admin/"


def test_the_icon_browsers_ask_for_unasked_is_there(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/img/logo.png")
    assert finders.find("img/logo.png")
