"""/metrics for the operator's Prometheus: off without a token, and with it the requests,
the queue, the outbox, the jobs and the business counters, summed across workers."""

import os
import re
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsroom.mail import mail_queue
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db
TOKEN = "un-jeton-de-supervision-assez-long"


@pytest.fixture(autouse=True)
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client=None):
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def value(page, name, **labels):
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = (
        rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\S+)$"
        if labels
        else rf"^{re.escape(name)} (\S+)$"
    )
    found = re.search(pattern, page, re.M)
    return float(found.group(1)) if found else 0.0


def test_the_metrics_are_off_without_the_token(settings):
    assert Client().get("/metrics").status_code == HTTPStatus.NOT_FOUND
    assert (
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer faux").status_code
        == HTTPStatus.NOT_FOUND
    )
    settings.METRICS_TOKEN = ""
    assert (
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == HTTPStatus.NOT_FOUND
    )


def test_the_queue_the_outbox_and_requests_are_measured():
    make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.PENDING)
    mail_queue(to=["a@example.org"], subject="Sujet", body="Texte")
    article = make_article()
    Client().get(article.get_absolute_url())
    page = scrape()
    assert value(page, "newsroom_moderation_queue") == 2
    assert value(page, "newsroom_moderation_oldest_waiting_seconds") >= 0
    assert value(page, "newsroom_outbox_backlog") >= 1
    assert "newsroom_jobs_waiting" in page and "newsroom_jobs_failed" in page
    # Requests by view and status, with their latency; queries per request; cache layers.
    assert (
        'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="articles:detail"}'
        in page
    )
    assert (
        'django_http_requests_latency_seconds_by_view_method_bucket{le="0.1",method="GET",view="articles:detail"}'
        in page
    )
    assert "newsroom_db_queries_per_request_bucket" in page
    assert 'newsroom_cache_requests_total{layer="fragment",result="miss"}' in page


def test_a_comment_sent_and_decided_is_counted(moderator):
    article = make_article()
    before = scrape()
    from comments.services import comment_approve, comment_submit

    comment = comment_submit(
        article=article, name="Léa", email="lea@example.org", body="Un avis utile.", ip_address=""
    )
    comment_approve(comment=comment, moderator=moderator)
    after = scrape()
    for event in ("submitted", "published"):
        assert (
            value(after, "newsroom_comments_total", event=event)
            == value(before, "newsroom_comments_total", event=event) + 1
        )


def test_a_failed_login_and_a_rate_limit_refusal_are_counted(settings):
    before = scrape()
    Client().post(reverse("admin:login"), {"username": "personne", "password": "faux"})
    after = scrape()
    assert (
        value(after, "newsroom_logins_total", result="failure")
        == value(before, "newsroom_logins_total", result="failure") + 1
    )


COUNT_IN_A_WORKER = """
import os, sys
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ["DJANGO_DEBUG"] = "1"
from newsroom.metrics import COMMENTS
COMMENTS.labels("submitted").inc({n})
"""


def test_workers_counters_are_summed(tmp_path, monkeypatch, settings):
    """As gunicorn's workers do: each process writes its counters to the shared folder, and
    /metrics, asked of any of them, says their sum."""
    root = str(settings.BASE_DIR)
    for n in (3, 4):
        subprocess.run(
            [sys.executable, "-c", COUNT_IN_A_WORKER.format(root=root, n=n)],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
            check=True,
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert value(scrape(), "newsroom_comments_total", event="submitted") == 7
