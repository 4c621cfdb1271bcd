"""A story with many comments in Chromium: "Show more comments" inserts the older page in
place, and a comment's address opens the page holding it, highlighted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.paging import PER_PAGE
from comments.services import comment_approve
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_shows_older_comments_in_place_and_opens_one_by_its_address(
    live_server, open_context, screenshot
):
    story = make_article(title="Fermeture de l’usine de Gardanne")
    start = timezone.now() - timedelta(days=3)
    threads = [make_comment(story, name=f"Lecteur n°{n}") for n in range(PER_PAGE + 30)]
    for n, thread in enumerate(threads):
        Comment.objects.filter(pk=thread.pk).update(created_at=start + timedelta(minutes=n))
    page = open_context()
    page.goto(live_server.url + story.get_absolute_url())
    comments = page.locator("#comments .comment-list > li.comment")
    assert comments.count() == 30  # the newest page, three quarters full
    assert comments.first.locator(".comment__name").inner_text() == f"Lecteur n°{PER_PAGE + 29}"
    screenshot(page, "reader-many-comments")

    page.get_by_role("link", name="Afficher plus de commentaires").click()
    page.get_by_text("Lecteur n°0", exact=True).wait_for()
    assert page.url.endswith(story.get_absolute_url())  # no page was left
    assert comments.count() == PER_PAGE + 30
    assert page.get_by_role("link", name="Afficher plus de commentaires").count() == 0
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"comment-{threads[PER_PAGE - 1].pk}"

    # The oldest comment's address: its page, scrolled to it, marked.
    page.goto(live_server.url + reverse("comments:permalink", args=[threads[0].pk]))
    target = page.locator(f"#comment-{threads[0].pk}")
    target.wait_for()
    assert "?commentaires=1" in page.url
    assert target.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    screenshot(page, "reader-comment-address")


def test_a_reader_with_the_page_open_is_told_of_new_comments_and_shows_them(
    live_server, open_context, screenshot
):
    story = make_article(title="Le conseil municipal vote le budget")
    make_comment(story, name="Premier lecteur")
    page = open_context()
    page.goto(live_server.url + story.get_absolute_url())
    notice = page.locator(".comments__new")
    assert notice.is_hidden()
    waiting = make_comment(story, status=Comment.Status.PENDING, name="Lectrice du soir")
    comment_approve(comment=waiting, moderator=make_user("modo", group="Moderators"))
    # The page asks every 45 s, and when the tab is shown again: shown again here.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    button = page.get_by_role("button", name="1 nouveau commentaire — afficher")
    button.wait_for()
    screenshot(page, "reader-new-comments")
    button.click()
    first = page.locator("#comments .comment-list > li.comment").first
    first.get_by_text("Lectrice du soir", exact=True).wait_for()
    assert notice.is_hidden()
    assert page.locator("#comments-title").inner_text().replace("\xa0", " ") == "2 commentaires"
