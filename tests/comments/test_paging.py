"""A story with many comments: its page shows the newest page or two of threads, "Show
more comments" is a real link (and a fragment the page's script inserts), every comment
has an address that opens the page holding it, and the count near the title is the
section's."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.paging import PER_PAGE
from comments.services import comment_approve
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

THREADS = 2 * PER_PAGE + PER_PAGE // 4  # the last page a quarter full


@pytest.fixture
def story():
    """A story with THREADS published threads, an hour apart, the oldest answered."""
    article = make_article()
    start = timezone.now() - timedelta(hours=THREADS + 1)
    threads = [
        make_comment(article, name=f"Lecteur n°{n}", created_at=start + timedelta(hours=n))
        for n in range(THREADS)
    ]
    Comment.objects.bulk_update(
        [setattr(c, "created_at", start + timedelta(hours=n)) or c for n, c in enumerate(threads)],
        ["created_at"],
    )
    reply = make_comment(article, name="Une réponse au premier", parent=threads[0])
    article.threads, article.reply = threads, reply
    return article


def shown_names(html):
    return re.findall(r"<bdi>Lecteur n°(\d+)</bdi>", html)


def test_the_story_page_shows_the_newest_threads_and_links_to_older_ones(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    shown = [int(n) for n in shown_names(page)]
    # The last page is a quarter full: the page before it shows too, newest first.
    assert shown == list(range(THREADS - 1, PER_PAGE - 1, -1))
    assert "Une réponse au premier" not in page
    assert f'href="{story.get_absolute_url()}?commentaires=1#comments" rel="next"' in page
    # The count near the title is every published comment, replies included.
    assert f'<a class="story__comments" href="#comments">{THREADS + 1} commentaires</a>' in page


def test_show_more_works_without_a_script_and_as_a_fragment(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    more = re.search(
        r'<p class="comments__more"><a href="([^"]+)" rel="next" data-fragment="([^"]+)"', page
    )
    older = client.get(more.group(1).split("#")[0])
    html = older.content.decode()
    assert [int(n) for n in shown_names(html)] == list(range(PER_PAGE - 1, -1, -1))
    assert "Une réponse au premier" in html
    assert "Revenir aux commentaires les plus récents" in html
    assert "comments__more" not in html  # the oldest page: nothing older

    fragment = client.get(more.group(2))
    assert fragment.status_code == HTTPStatus.OK
    assert fragment["X-Robots-Tag"] == "noindex"
    assert "<html" not in fragment.content.decode()
    assert shown_names(fragment.content.decode()) == shown_names(html)
    assert client.get(reverse("comments:page", args=[story.slug, 9])).status_code == 404


def test_a_page_that_does_not_exist_shows_the_newest(client, story):
    page = client.get(story.get_absolute_url() + "?commentaires=99").content.decode()
    assert int(shown_names(page)[0]) == THREADS - 1


def test_every_comment_has_an_address_that_opens_the_page_holding_it(client, story):
    newest = story.threads[-1]
    response = client.get(reverse("comments:permalink", args=[newest.pk]))
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{newest.pk}"
    # A reply on the oldest page: that page, at the reply.
    response = client.get(reverse("comments:permalink", args=[story.reply.pk]))
    assert response["Location"] == (
        f"{story.get_absolute_url()}?commentaires=1#comment-{story.reply.pk}"
    )
    opened = client.get(response["Location"]).content.decode()
    assert f'id="comment-{story.reply.pk}"' in opened
    # Only a published comment has one.
    waiting = make_comment(story, status=Comment.Status.PENDING)
    assert client.get(reverse("comments:permalink", args=[waiting.pk])).status_code == 404


def test_an_approved_comment_lands_on_the_newest_page_at_once(story):
    reader = Client()
    assert "Un tout dernier avis" not in reader.get(story.get_absolute_url()).content.decode()
    waiting = make_comment(story, status=Comment.Status.PENDING, name="Un tout dernier avis")
    comment_approve(comment=waiting, moderator=make_user("modo", group="Moderators"))
    page = reader.get(story.get_absolute_url()).content.decode()
    assert page.index("Un tout dernier avis") < page.index(f"Lecteur n°{THREADS - 1}<")
    assert f"{THREADS + 2} commentaires</a>" in page


def test_the_page_polls_a_cached_count_and_shows_the_newest_in_place(story):
    reader = Client()
    page = reader.get(story.get_absolute_url()).content.decode()
    notice = re.search(
        r'<p class="comments__new" hidden data-count="(\d+)" data-state="([^"]+)" data-latest="([^"]+)"',
        page,
    )
    assert int(notice.group(1)) == THREADS + 1
    state = reader.get(notice.group(2))
    assert state.json() == {"count": THREADS + 1, "pages": [3, 2]}
    waiting = make_comment(story, status=Comment.Status.PENDING, name="Un avis tout frais")
    comment_approve(comment=waiting, moderator=make_user("modo", group="Moderators"))
    assert reader.get(notice.group(2)).json()["count"] == THREADS + 2
    latest = reader.get(notice.group(3)).content.decode()
    assert latest.index("Un avis tout frais") < latest.index(f"<bdi>Lecteur n°{THREADS - 1}</bdi>")
    assert f'data-count="{THREADS + 2}"' in latest


def order_link(page, label):
    """The address of the order the reader clicks, as the section's menu renders it."""
    menu = re.search(r'<nav class="comments__order".*?</nav>', page, re.S).group(0)
    return re.search(rf'<a href="([^"]+)"[^>]*>{label}', menu).group(1).replace("&amp;", "&")


def test_a_reader_reads_the_oldest_first_a_page_at_a_time(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    oldest = client.get(order_link(page, "Les plus anciens").split("#")[0]).content.decode()
    assert [int(n) for n in shown_names(oldest)] == list(range(PER_PAGE))
    assert oldest.index("Lecteur n°0<") < oldest.index("Une réponse au premier")
    assert 'aria-current="page">Les plus anciens' in oldest
    assert "comments__new" not in oldest  # new comments are told of in the newest order

    more = re.search(
        r'<p class="comments__more"><a href="([^"]+)" rel="next" data-fragment="([^"]+)"', oldest
    )
    second = client.get(more.group(1).replace("&amp;", "&").split("#")[0]).content.decode()
    assert [int(n) for n in shown_names(second)] == list(range(PER_PAGE, 2 * PER_PAGE))
    fragment = client.get(more.group(2).replace("&amp;", "&")).content.decode()
    assert shown_names(fragment) == shown_names(second)
    # The third page is the last: nothing newer after it.
    third = client.get(story.get_absolute_url() + "?ordre=anciens&commentaires=3").content.decode()
    assert [int(n) for n in shown_names(third)] == list(range(2 * PER_PAGE, THREADS))
    assert "comments__more" not in third


def test_an_unknown_order_is_the_default_one(client, story):
    page = client.get(story.get_absolute_url() + "?ordre=<script>").content.decode()
    assert int(shown_names(page)[0]) == THREADS - 1
    assert "<script>" not in page.split('id="comments"')[1].split("</section>")[0]
