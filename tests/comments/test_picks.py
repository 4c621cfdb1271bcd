"""The newsroom's picks ("Sélection de la rédaction"): journalists and moderators mark a
published comment from its page, the queue or the comments list; readers find the picks
first, with a badge, and as an order of their own; feeds and the dashboard count them."""

import re
from http import HTTPStatus

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsroom.typography import french
from tests.factories import make_article, make_comment, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:comments_comment_queue")
CHANGELIST = reverse("admin:comments_comment_changelist")


def desk(user):
    client = Client()
    client.force_login(user)
    return client


def comment_page(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def picks_block(page):
    found = re.search(r'<section class="comments__picks".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_a_journalist_picks_a_comment_and_readers_find_it_first(journalist):
    article = make_article()
    first = make_comment(article, name="Odile", body="Un avis éclairé sur le port.")
    make_comment(article, name="Pierre", body="Un avis plus tardif.")
    reader = Client()
    assert picks_block(reader.get(article.get_absolute_url()).content.decode()) == ""

    client = desk(journalist)
    form = rendered_form(
        client.get(comment_page(first)), reverse("admin:comments_comment_pick", args=[first.pk])
    )
    response = form.submit(client, follow=True)
    assert "Ajouté à la sélection de la rédaction" in response.content.decode()
    assert "Le retirer de la sélection" in response.content.decode()

    page = reader.get(article.get_absolute_url()).content.decode()
    block = picks_block(page)
    assert "Odile" in block and "Pierre" not in block
    assert "Sélection de la rédaction</p>" in block  # the badge
    # First, above every comment; the comment keeps its place in the list too, badged.
    assert page.index("comments__picks") < page.index("comment-list--all")
    listed = page.split("comment-list--all")[1]
    assert listed.index('class="comment comment--pick"') < listed.index("Un avis éclairé")
    # The pick leads to its place in the discussion.
    see = re.search(r'<a href="([^"]+)">Le voir dans la discussion', block).group(1)
    assert reader.get(see)["Location"].endswith(f"#comment-{first.pk}")
    assert first.log.last().note == "ajouté à la sélection de la rédaction"
    assert first.log.last().actor == journalist

    # Taken out: the page shows no picks any more.
    form = rendered_form(
        client.get(comment_page(first)), reverse("admin:comments_comment_pick", args=[first.pk])
    )
    assert (
        "Retiré de la sélection de la rédaction"
        in form.submit(client, follow=True).content.decode()
    )
    assert picks_block(reader.get(article.get_absolute_url()).content.decode()) == ""


def test_picks_are_an_order_of_their_own_newest_pick_first(editor):
    article = make_article()
    thread = make_comment(article, name="Fil", body="Le premier fil.")
    reply = make_comment(article, name="Réponse", body="Une réponse choisie.", parent=thread)
    others = [make_comment(article, name=f"Autre {n}") for n in range(4)]
    client = desk(editor)
    for comment in [thread, reply, *others]:
        form = rendered_form(
            client.get(comment_page(comment)),
            reverse("admin:comments_comment_pick", args=[comment.pk]),
        )
        form.submit(client)

    reader = Client()
    page = reader.get(article.get_absolute_url()).content.decode()
    block = picks_block(page)
    assert block.count('class="comment comment--pick"') == 3  # the newest three picks first
    menu = re.search(r'<nav class="comments__order".*?</nav>', page, re.S).group(0)
    link = re.search(r'<a href="([^"]+)">Sélection de la rédaction <span[^>]*>\(6\)', menu).group(1)
    assert link in block  # "Toute la sélection de la rédaction (6)"
    picks = reader.get(link.split("#")[0]).content.decode()
    listed = picks.split("comment-list--all")[1].split("</ol>")[0]
    names = re.findall(r"<bdi>([^<]+)</bdi>", listed)
    assert names == ["Autre 3", "Autre 2", "Autre 1", "Autre 0", "Réponse", "Fil"]
    assert french("En réponse à Fil") in listed
    assert 'aria-current="page">Sélection de la rédaction' in picks


def test_a_moderator_approves_and_picks_from_the_queue(moderator):
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING, body="Un témoignage rare.")
    client = desk(moderator)
    approve = reverse("admin:comments_comment_decide", args=[comment.pk, "approve"])
    form = rendered_form(client.get(QUEUE), approve).update(pick=True)
    answer = form.submit(client, HTTP_X_REQUESTED_WITH="fetch")  # as the queue's script sends it
    assert (
        answer.json()["message"] == "Commentaire approuvé et ajouté à la sélection de la rédaction."
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.picked_by == moderator
    assert "Un témoignage rare." in picks_block(
        Client().get(article.get_absolute_url()).content.decode()
    )


def test_a_comment_published_at_once_is_looked_at_and_picked_from_the_queue(moderator):
    comment = make_comment(status=Comment.Status.APPROVED, unreviewed=True, body="Publié d'emblée.")
    client = desk(moderator)
    page = client.get(QUEUE + "?show=unreviewed")
    pick = reverse("admin:comments_comment_act", args=[comment.pk, "reviewed-pick"])
    response = rendered_form(page, pick).submit(client, follow=True)
    assert "Relu et ajouté à la sélection de la rédaction" in response.content.decode()
    comment.refresh_from_db()
    assert comment.picked_at and not comment.unreviewed


def test_only_a_published_comment_can_be_picked(journalist):
    waiting = make_comment(status=Comment.Status.PENDING, body="Pas encore lu.")
    client = desk(journalist)
    page = client.get(comment_page(waiting)).content.decode()
    assert "Ajouter à la sélection de la rédaction" not in page
    # A hand-made request for it is refused with a message, nothing changed.
    response = client.post(
        reverse("admin:comments_comment_pick", args=[waiting.pk]), {"picked": "1"}, follow=True
    )
    assert "Seul un commentaire publié peut être sélectionné." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.picked_at is None


def test_a_reader_without_the_right_cannot_pick():
    comment = make_comment()
    nobody = make_user("stagiaire", is_staff=True)
    response = desk(nobody).post(
        reverse("admin:comments_comment_pick", args=[comment.pk]), {"picked": "1"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    comment.refresh_from_db()
    assert comment.picked_at is None


def test_picks_in_bulk_from_the_list_leave_what_is_not_published(moderator):
    published = [make_comment(body=f"Publié {n}") for n in range(2)]
    waiting = make_comment(status=Comment.Status.PENDING)
    client = desk(moderator)
    form = rendered_form(client.get(CHANGELIST), "changelist-form")
    form.update(action="pick", _selected_action=[str(c.pk) for c in [*published, waiting]])
    page = form.submit(client, "index", follow=True).content.decode()
    assert french("2 commentaires ajoutés à la sélection de la rédaction.") in page
    assert "Seuls les commentaires publiés peuvent être sélectionnés" in page
    assert Comment.objects.filter(picked_at__isnull=False).count() == 2
    listed = client.get(CHANGELIST + "?pick=yes").content.decode()
    assert "Publié 0" in listed and "Publié 1" in listed


def test_a_pick_rejected_or_erased_afterwards_leaves_the_picks(moderator):
    from comments.services import comment_pick, comment_reject, comments_erase

    article = make_article()
    one = make_comment(article, name="Retiré ensuite", email="un@example.org")
    two = make_comment(article, name="Effacé ensuite", email="deux@example.org")
    for comment in (one, two):
        comment_pick(comment=comment, person=moderator)
    comment_reject(comment=one, moderator=moderator)
    comments_erase(email="deux@example.org")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert picks_block(page) == ""
    assert "Sélection de la rédaction <span" not in page


def test_the_feed_says_which_comments_are_picks(moderator):
    from comments.services import comment_pick

    article = make_article()
    picked = make_comment(article, name="Choisie")
    make_comment(article, name="Autre")
    comment_pick(comment=picked, person=moderator)
    feed = feedparser.parse(Client().get(reverse("comments:feed", args=[article.slug])).content)
    entries = {entry.author: entry for entry in feed.entries}
    assert entries["Choisie"].title == french("Sélection de la rédaction : commentaire de Choisie")
    assert [tag.term for tag in entries["Choisie"].tags] == ["Sélection de la rédaction"]
    assert "tags" not in entries["Autre"]


def test_the_dashboard_counts_the_picks_by_story(editor):
    from comments.services import comment_pick

    article = make_article(title="Le port en chiffres")
    for _ in range(2):
        comment_pick(comment=make_comment(article), person=editor)
    page = desk(editor).get(reverse("admin:dashboard")).content.decode()
    section = page.split('id="chart-picks-heading"')[1].split("</section>")[0]
    assert french("Sélection de la rédaction : 2 commentaires choisis") in section
    assert '<th scope="row">Le port en chiffres</th><td>2</td>' in section
