from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyReadings
from articles.templatetags.articles_tags import most_read, most_read_entries
from comments.models import Comment
from comments.templatetags.comments_tags import most_commented_entries
from newsroom.typography import french
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


def reader(address="198.51.100.10", agent=BROWSER):
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def read(article, client=None, **headers):
    client = client or reader()
    return client.post(reverse("articles:reading", args=[article.pk]), **headers)


def readings(article):
    return DailyReadings.objects.filter(article=article).aggregate(n=Sum("count"))["n"] or 0


def add_readings(article, count, days_ago=0):
    DailyReadings.objects.create(
        article=article, day=timezone.localdate() - timedelta(days=days_ago), count=count
    )


def test_beacon_counts_a_reading(article):
    assert read(article).status_code == HTTPStatus.NO_CONTENT
    assert readings(article) == 1


def test_same_reader_twice_in_a_day_counts_once(article):
    read(article)
    read(article)
    assert readings(article) == 1


def test_same_reader_the_next_day_counts_again(article):
    read(article)
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        read(article)
    assert readings(article) == 2


def test_two_readers_count_twice(article):
    read(article, reader("198.51.100.1"))
    read(article, reader("198.51.100.2"))
    read(article, reader("198.51.100.1", agent=BROWSER + " Firefox"))
    assert readings(article) == 3


@pytest.mark.parametrize(
    "agent",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.0", ""],
)
def test_bots_count_zero(article, agent):
    read(article, reader(agent=agent))
    assert readings(article) == 0


def test_prefetches_count_zero(article):
    read(article, HTTP_SEC_PURPOSE="prefetch")
    read(article, reader("198.51.100.3"), HTTP_PURPOSE="prefetch")
    assert readings(article) == 0


def test_staff_readings_count_zero(article, journalist):
    client = reader()
    client.force_login(journalist)
    read(article, client)
    assert readings(article) == 0


def test_unpublished_story_readings_count_zero():
    draft = make_article(status=Article.Status.DRAFT)
    assert read(draft).status_code == HTTPStatus.NO_CONTENT
    assert readings(draft) == 0


def test_noscript_pixel_counts_and_is_an_image(article):
    response = reader().get(reverse("articles:reading", args=[article.pk]))
    assert response["Content-Type"] == "image/gif"
    assert readings(article) == 1


def test_viewing_the_page_counts_nothing_by_itself(article):
    page = reader().get(article.get_absolute_url()).content.decode()
    assert readings(article) == 0
    assert f'data-reading-url="{reverse("articles:reading", args=[article.pk])}"' in page
    assert "<noscript><img" in page


def test_most_read_orders_by_the_window_not_all_time():
    old_hit = make_article(title="Ancien succès")
    add_readings(old_hit, 1000, days_ago=10)
    add_readings(old_hit, 2, days_ago=1)
    this_week = make_article(title="Succès de la semaine")
    add_readings(this_week, 5, days_ago=0)
    add_readings(this_week, 5, days_ago=6)
    entries = most_read_entries()
    assert [(e["title"], e["count"]) for e in entries] == [
        ("Succès de la semaine", 10),
        ("Ancien succès", 2),
    ]


def test_most_read_never_lists_drafts_future_or_stale_stories():
    for fields in (
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ):
        add_readings(make_article(**fields), 50)
    add_readings(make_article(), 50, days_ago=7)
    assert most_read_entries() == []


def test_most_read_keeps_five():
    for n in range(7):
        add_readings(make_article(), n + 1)
    assert [e["count"] for e in most_read_entries()] == [7, 6, 5, 4, 3]


def test_most_commented_counts_approved_comments_only():
    busy = make_article(title="Beaucoup d'attente")
    for _ in range(3):
        make_comment(busy, status=Comment.Status.PENDING)
    make_comment(busy, status=Comment.Status.SPAM)
    make_comment(busy)
    discussed = make_article(title="Vrai débat")
    make_comment(discussed)
    make_comment(discussed)
    entries = most_commented_entries()
    assert [(e["title"], e["count"]) for e in entries] == [
        ("Vrai débat", 2),
        ("Beaucoup d’attente", 1),
    ]


def test_most_commented_ignores_comments_older_than_the_window():
    story = make_article()
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        make_comment(story)
    assert most_commented_entries() == []


def test_rankings_are_cached_briefly(django_assert_num_queries, settings):
    story = make_article(title="Lu tout à l'heure")
    assert story.title not in most_read()
    add_readings(story, 3)  # readings change no version: the list waits for its minute
    with django_assert_num_queries(0):
        assert story.title not in most_read()
    later = timezone.now() + timedelta(seconds=settings.RANKING_CACHE_SECONDS + 1)
    with time_machine.travel(later):
        assert story.title in most_read()
        assert french("3 lectures") in most_read()


def test_story_and_home_pages_show_both_blocks_with_counts(client):
    story = make_article(title="Le plus lu")
    add_readings(story, 12)
    make_comment(story)
    for url in (reverse("articles:index"), story.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Sujets les + lus" in page and "Sujets les + commentés" in page
        assert french("12 lectures") in page
        assert french("1 commentaire<") in page


def test_rebuild_command_refreshes_lists_and_folds_past_shards():
    story = make_article()
    yesterday = timezone.localdate() - timedelta(days=1)
    for shard in range(3):
        DailyReadings.objects.create(article=story, day=yesterday, shard=shard, count=2)
    assert french("6 lectures") in most_read()
    DailyReadings.objects.create(article=story, day=yesterday, shard=3, count=4)
    assert french("6 lectures") in most_read()  # cached for a minute
    call_command("rebuild_rankings", stdout=StringIO())
    assert list(DailyReadings.objects.values_list("shard", "count")) == [(0, 10)]
    assert french("10 lectures") in most_read()


def test_related_stories_share_tags_and_exclude_the_story(client):
    from tests.factories import make_tag

    export, maritime = make_tag("Export"), make_tag("Maritime")
    story = make_article(tags=[export, maritime])
    closest = make_article(title="Deux thèmes en commun", tags=[export, maritime])
    make_article(title="Un thème en commun", tags=[export])
    make_article(title="Aucun rapport")
    make_article(title="Brouillon lié", tags=[export], status=Article.Status.DRAFT)
    make_article(
        title="D’une autre époque",
        tags=[export, maritime],
        published_at=timezone.now() - timedelta(days=400),
    )
    page = client.get(story.get_absolute_url()).content.decode()
    related = page.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert related.index(closest.title) < related.index("Un thème en commun")
    assert "Aucun rapport" not in related and "Brouillon lié" not in related
    # Of the same period: a story from more than six months before is not offered.
    assert "D’une autre époque" not in related


def test_most_read_stays_exact_when_the_best_read_stories_went_offline(monkeypatch):
    monkeypatch.setattr("articles.querysets.CANDIDATES", 3)
    for n in range(4):  # the four best read, all unpublished since
        add_readings(make_article(status=Article.Status.DRAFT), 100 + n)
    live = [make_article(title=f"En ligne {n}") for n in range(6)]
    for n, article in enumerate(live):
        add_readings(article, 10 + n)
    assert [e["count"] for e in most_read_entries()] == [15, 14, 13, 12, 11]


def test_most_read_keeps_every_story_tied_at_the_edge(monkeypatch):
    monkeypatch.setattr("articles.querysets.CANDIDATES", 2)
    now = timezone.now()
    top = make_article(title="Le plus lu")
    add_readings(top, 50)
    # Three stories tied; the newest is made last, so it comes last among equal scores.
    for hours in (9, 8, 1):
        add_readings(
            make_article(title=f"Il y a {hours} h", published_at=now - timedelta(hours=hours)), 20
        )
    scores = DailyReadings.objects.scores(timezone.localdate()).order_by("-score", "article_id")
    best = Article.objects.published().best_scored(scores, size=2)
    assert [a.title for a in best] == ["Le plus lu", french("Il y a 1 h")]
