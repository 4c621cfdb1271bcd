"""The editors' dashboard: charts drawn on the server, their figures in tables."""

import re
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import DailyReadings
from comments.models import Comment
from comments.services import comment_approve, comment_reject
from dashboard.views import DASHBOARD_KEY
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("admin:dashboard")


def page_for(user):
    client = Client()
    client.force_login(user)
    return client.get(DASHBOARD)


def figures_of(page, chart_id):
    """The rows of one chart's table, as text cells."""
    section = page.split(f'id="{chart_id}-heading"')[1].split("</section>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1])
    ]


def test_the_dashboard_is_for_editors(editor, journalist, moderator):
    assert page_for(journalist).status_code == HTTPStatus.FORBIDDEN
    assert page_for(moderator).status_code == HTTPStatus.FORBIDDEN
    assert page_for(editor).status_code == HTTPStatus.OK
    home = Client()
    home.force_login(editor)
    assert DASHBOARD in home.get(reverse("admin:index")).content.decode()


def test_on_an_empty_site_every_chart_says_there_is_nothing_yet(editor):
    page = page_for(editor).content.decode()
    assert page.count('class="dashboard__chart"') == 8
    # Days, hours and moderators' charts have rows even when empty; lists of stories do not.
    assert "Rien à montrer pour cette période pour l’instant." in page
    assert page.count('<svg class="chart"') >= 4


# Comments sent three hours ago count for today: at noon in Paris, whatever the hour the
# suite runs (between midnight and 3 a.m. they were yesterday's).
@time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris")))
def test_the_figures_are_those_of_the_database(editor, moderator):
    article = make_article(title="Le port s’agrandit")
    now = timezone.now()
    waiting = make_comment(article, status=Comment.Status.PENDING)
    decided = make_comment(article, status=Comment.Status.PENDING)
    refused = make_comment(article, status=Comment.Status.PENDING)
    Comment.objects.filter(pk__in=[decided.pk, refused.pk]).update(
        created_at=now - timedelta(hours=3)
    )
    decided.refresh_from_db()
    refused.refresh_from_db()
    comment_approve(comment=decided, moderator=moderator)
    comment_reject(comment=refused, moderator=moderator, reason="off_topic")
    make_comment(article, status=Comment.Status.SPAM)
    DailyReadings.objects.create(article=article, day=timezone.localdate(), count=42)
    cache.clear()
    page = page_for(editor).content.decode()
    today = figures_of(page, "chart-comments")[-1]
    assert today[1:] == ["1", "1", "1", "1"]  # published, refused, spam, waiting
    assert figures_of(page, "chart-moderation")[-1][1:] == ["3", "3"]
    assert figures_of(page, "chart-queue")[-1][1] == "1"
    assert figures_of(page, "chart-readings")[-1][1] == "42"
    assert figures_of(page, "chart-most-read") == [["Le port s’agrandit", "42"]]
    assert figures_of(page, "chart-most-commented") == [["Le port s’agrandit", "1"]]
    assert figures_of(page, "chart-moderators")[0][1:] == ["1", "1", "0", "0"]
    assert '<title id="chart-comments-title">Commentaires envoyés par jour</title>' in page
    assert waiting.status == Comment.Status.PENDING


def test_readings_of_past_days_and_today_add_up(editor):
    article = make_article(title="Le port s’agrandit")
    other = make_article(title="Une usine rouvre")
    today = timezone.localdate()
    DailyReadings.objects.create(article=article, day=today - timedelta(days=1), count=10)
    DailyReadings.objects.create(article=other, day=today - timedelta(days=1), count=12)
    DailyReadings.objects.create(article=other, day=today - timedelta(days=40), count=900)
    DailyReadings.objects.create(article=article, day=today, count=5)
    page = page_for(editor).content.decode()
    assert [row[1] for row in figures_of(page, "chart-readings")[-2:]] == ["22", "5"]
    assert figures_of(page, "chart-most-read") == [
        ["Le port s’agrandit", "15"],
        ["Une usine rouvre", "12"],
    ]
    # Today's readings move at once; past days' totals are kept for the day.
    DailyReadings.objects.create(article=other, day=today, count=7, shard=1)
    cache.delete(DASHBOARD_KEY)
    page = page_for(editor).content.decode()
    assert figures_of(page, "chart-most-read")[0] == ["Une usine rouvre", "19"]
