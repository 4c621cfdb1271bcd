"""A story with many comments in Chromium: "Show more comments" inserts the older page in
place, a comment's address opens the page holding it, highlighted; the newsroom's picks
come first and the oldest-first order pages with and without scripts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.demo import LONG_STORY
from comments.models import Comment
from comments.paging import PER_PAGE, page_of
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


def test_the_demo_story_with_two_thousand_comments(live_server, open_context, screenshot):
    """The issue's journey on the demo (load_demo --comments 2000): the newsroom's picks
    first, the oldest first with and without scripts, a reply's address on page 7, a
    comment approved while the page is open."""
    moderator = make_user("modo", group="Moderators")  # the groups, which a flush emptied
    call_command("load_demo", comments=2000, stdout=StringIO())
    story = Article.objects.get(slug__startswith=LONG_STORY)
    assert story.comments.approved().count() >= 2000
    url = live_server.url + story.get_absolute_url()

    phone = open_context(width=360, height=780)
    phone.goto(url)
    picks = phone.locator(".comments__picks .comment--pick")
    assert picks.count() == 3  # the newest three picks, before every comment
    assert picks.first.locator(".comment__pick").inner_text().upper() == "SÉLECTION DE LA RÉDACTION"
    first_pick = picks.first.locator(".comment__name").inner_text()
    screenshot(phone, "reader-picks-first")
    # Every pick, as an order of its own.
    phone.get_by_role("link", name="Toute la sélection de la rédaction (7)").click()
    phone.wait_for_url("**ordre=selection**")
    listed = phone.locator("#comments .comment-list--all > li")
    assert listed.count() == 7
    assert listed.first.locator(".comment__name").inner_text() == first_pick
    screenshot(phone, "reader-picks-order")

    # Oldest first, with the page's script: the next page comes in place.
    desk = open_context()
    desk.goto(url)
    desk.get_by_role("link", name="Les plus anciens").click()
    desk.wait_for_url("**ordre=anciens**")
    oldest = desk.locator("#comments .comment-list--all > li.comment")
    assert oldest.count() == PER_PAGE
    first_name = oldest.first.locator(".comment__name").inner_text()
    desk.get_by_role("link", name="Afficher plus de commentaires").click()
    oldest.nth(2 * PER_PAGE - 1).wait_for()
    assert "commentaires=" not in desk.url  # no page was left
    # Without scripts: the same link is a page of its own.
    plain = open_context(scripts=False)
    plain.goto(url + "?ordre=anciens")
    assert (
        plain.locator("#comments .comment-list--all > li.comment")
        .first.locator(".comment__name")
        .inner_text()
        == first_name
    )
    plain.get_by_role("link", name="Afficher plus de commentaires").click()
    plain.wait_for_url("**commentaires=2**")
    assert plain.locator("#comments .comment-list--all > li.comment").count() == PER_PAGE

    # A reply on page 7: its address opens that page, at the reply, marked.
    reply = next(
        c
        for c in story.comments.approved()
        .filter(parent__isnull=False)
        .select_related("parent", "article")
        if page_of(c) == 7
    )
    desk.goto(live_server.url + reverse("comments:permalink", args=[reply.pk]))
    target = desk.locator(f"#comment-{reply.pk}")
    target.wait_for()
    assert "commentaires=7" in desk.url
    assert target.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    screenshot(desk, "reader-reply-on-page-7")

    # Approved while the page is open: told, then shown in place.
    desk.goto(url)
    waiting = make_comment(story, status=Comment.Status.PENDING, name="Toute dernière lectrice")
    comment_approve(comment=waiting, moderator=moderator)
    desk.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    desk.get_by_role("button", name="1 nouveau commentaire — afficher").click()
    desk.locator("#comments .comment-list--all > li.comment").first.get_by_text(
        "Toute dernière lectrice", exact=True
    ).wait_for()
