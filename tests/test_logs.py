"""Logs as an operator's tools read them: one JSON line per request and per business
event, the request id passed through, no email or IP address anywhere."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_approve, comments_erase
from newsroom.logs import JsonFormatter, RequestIdFilter, scrub
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def lines(caplog):
    """The records as the production handler writes them."""
    formatter, ids = JsonFormatter(), RequestIdFilter()
    out = []
    for record in caplog.records:
        if not hasattr(record, "request_id"):
            ids.filter(record)
        out.append(json.loads(formatter.format(record)))
    return out


def test_one_line_per_request_with_the_proxys_request_id(caplog):
    article = make_article()
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        response = Client(REMOTE_ADDR="203.0.113.9").get(
            "/recherche/",
            {"q": "jean.dupont@example.org", "page": "1"},
            HTTP_X_REQUEST_ID="lb-7f3a9c",
        )
        Client().get(article.get_absolute_url())
        Client().get("/healthz")  # probes are not logged
    assert response["X-Request-ID"] == "lb-7f3a9c"
    logged = [line for line in lines(caplog) if line["logger"] == "newsroom.requests"]
    assert len(logged) == 2
    search = logged[0]
    assert search["request_id"] == "lb-7f3a9c"
    assert (search["method"], search["status"], search["user_id"]) == ("GET", 200, None)
    assert (
        search["path"] == reverse("articles:search") + "?q=…&page=1"
    )  # a search's words may name someone
    assert search["duration_ms"] >= 0
    text = json.dumps(logged)
    assert "jean.dupont" not in text and "203.0.113.9" not in text


def test_a_request_id_that_is_not_one_is_replaced():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="x" * 200)
    assert "X-Request-ID" not in response  # probes answer before the log's middleware
    response = Client().get("/", HTTP_X_REQUEST_ID="bad id; rm -rf")
    assert len(response["X-Request-ID"]) == 32 and " " not in response["X-Request-ID"]


def test_business_events_are_lines_of_their_own_without_addresses(caplog, moderator):
    comment = make_comment(status=Comment.Status.PENDING, email="lecteur@example.org")
    with caplog.at_level(logging.INFO, logger="newsroom.events"):
        comment_approve(comment=comment, moderator=moderator)
        comments_erase(email="lecteur@example.org")
    events = {line["event"]: line for line in lines(caplog) if line["logger"] == "newsroom.events"}
    assert events["comment_decision"]["comment_id"] == comment.pk
    assert events["comment_decision"]["decision"] == "approved"
    assert events["comment_decision"]["moderator_id"] == moderator.pk
    assert events["erasure"]["comments"] == 1
    assert "lecteur@example.org" not in json.dumps(list(events.values()))


def test_any_line_is_scrubbed_of_addresses(caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.mail"):
        logging.getLogger("newsroom.mail").warning(
            "Could not send mail to %s from 192.0.2.44 (2001:db8::1)", "jeanne@example.org"
        )
    line = lines(caplog)[-1]
    assert line["message"] == "Could not send mail to [email] from [ip] ([ip])"
    assert scrub("Envoyé à 12:30:45") == "Envoyé à 12:30:45"  # a time is not an address
