import re
import time
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsroom.typography import french
from tests.factories import make_article, make_comment
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_queue")
CHANGELIST = reverse("admin:comments_comment_changelist")


def decide(comment, decision):
    return reverse("admin:comments_comment_decide", args=[comment.pk, decision])


def test_full_flow_submit_approve_in_bulk_then_visible_and_counted(client, moderator):
    article = make_article()
    reader = Client()
    with time_machine.travel(time.time() - 10):  # the reader takes ten seconds to write
        form = rendered_form(reader.get(article.get_absolute_url() + "?formulaire"), "comment-form")
    form.update(name="Léa", email="lea@example.org", body="Un avis qui mérite d'être lu.")
    response = form.submit(reader, follow=True)
    assert "Merci pour votre commentaire" in response.content.decode()
    assert "mérite d&#x27;être lu" not in Client().get(article.get_absolute_url()).content.decode()

    comment = Comment.objects.get()
    client.force_login(moderator)
    assert french("1 commentaire approuvé.") in bulk(client, "approve", [comment]).content.decode()

    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Un avis qui mérite d&#x27;être lu." in page
    assert french("1 commentaire<") in page


def test_queue_lists_pending_comments_with_their_story(client, moderator):
    old = make_comment(status=Comment.Status.PENDING, body="Le plus ancien.")
    make_comment(status=Comment.Status.PENDING, body="Le plus récent.")
    make_comment(status=Comment.Status.APPROVED, body="Déjà publié.")
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert page.index("Le plus ancien.") < page.index("Le plus récent.")
    assert "Déjà publié." not in page
    assert old.article.title in page
    assert french("2 en attente") in page


def test_queue_approve_button_publishes_the_comment(client, moderator):
    comment = make_comment(status=Comment.Status.PENDING, body="Validé depuis la file.")
    client.force_login(moderator)
    response = client.post(decide(comment, "approve"), follow=True)
    assert french("1 commentaire approuvé.") in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert (
        "Validé depuis la file."
        in Client().get(comment.article.get_absolute_url()).content.decode()
    )


def test_queue_reject_button_keeps_the_comment_off_the_site(client, moderator):
    comment = make_comment(status=Comment.Status.PENDING, body="Rejeté depuis la file.")
    client.force_login(moderator)
    client.post(decide(comment, "reject"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert "Rejeté depuis" not in Client().get(comment.article.get_absolute_url()).content.decode()


def bulk(client, action, comments):
    """The comments list's action, chosen and sent as the page renders it."""
    form = rendered_form(client.get(CHANGELIST), "changelist-form")
    form.update(action=action, _selected_action=[str(c.pk) for c in comments])
    return form.submit(client, "index", follow=True)


def test_approved_then_rejected_comment_disappears(client, moderator):
    comment = make_comment(status=Comment.Status.APPROVED, body="Publié puis retiré.")
    page = comment.article.get_absolute_url()
    assert "Publié puis retiré." in Client().get(page).content.decode()
    client.force_login(moderator)
    response = bulk(client, "reject", [comment])
    assert response.status_code == HTTPStatus.OK
    assert french("1 commentaire rejeté.") in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.REJECTED, moderator)
    assert "Publié puis retiré." not in Client().get(page).content.decode()


def test_bulk_spam_action_marks_every_selected_comment(client, moderator):
    comments = [make_comment(status=Comment.Status.PENDING) for _ in range(3)]
    client.force_login(moderator)
    response = bulk(client, "mark_spam", comments)
    assert french("3 commentaires marqués comme spam.") in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}


def test_deciding_twice_in_the_queue_warns_and_keeps_the_first_decision(client, moderator):
    comment = make_comment(status=Comment.Status.PENDING)
    client.force_login(moderator)
    client.post(decide(comment, "approve"))
    response = client.post(decide(comment, "reject"), follow=True)
    assert "déjà été modéré" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_queue_decisions_need_post(client, moderator):
    comment = make_comment(status=Comment.Status.PENDING)
    client.force_login(moderator)
    assert client.get(decide(comment, "approve")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_changelist_puts_pending_first_oldest_first(client, moderator):
    make_comment(status=Comment.Status.APPROVED, body="Approuvé ancien.")
    make_comment(status=Comment.Status.PENDING, body="En attente 1.")
    make_comment(status=Comment.Status.PENDING, body="En attente 2.")
    client.force_login(moderator)
    page = client.get(CHANGELIST).content.decode()
    assert (
        page.index("En attente 1.") < page.index("En attente 2.") < page.index("Approuvé ancien.")
    )


def test_changelist_search_finds_by_email(client, moderator):
    make_comment(email="cherche@example.org", body="Trouvé par l'adresse.")
    make_comment(body="Pas celui-ci.")
    client.force_login(moderator)
    page = client.get(CHANGELIST, {"q": "cherche@example.org"}).content.decode()
    assert "Trouvé par l" in page and "Pas celui-ci." not in page


def test_comment_page_shows_the_moderation_log(client, moderator):
    comment = make_comment(status=Comment.Status.PENDING)
    client.force_login(moderator)
    client.post(decide(comment, "approve"))
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).content.decode()
    assert "Journal de modération" in page
    assert "moderatrice" in page


def test_admin_index_shows_how_many_comments_wait(client, moderator):
    make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.PENDING)
    client.force_login(moderator)
    page = client.get(reverse("admin:index")).content.decode()
    assert french("2 commentaires en attente de modération.") in page


def test_reader_text_is_escaped_in_admin_list_and_queue(client, moderator):
    make_comment(
        status=Comment.Status.PENDING, name="<b>gras</b>", body="<script>alert(1)</script>"
    )
    client.force_login(moderator)
    for url in (QUEUE, CHANGELIST):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<b>gras</b>" not in page


def test_journalist_reads_comments_but_cannot_moderate_nor_see_addresses(client, journalist):
    comment = make_comment(status=Comment.Status.PENDING, email="secret@example.org")
    client.force_login(journalist)
    assert client.get(QUEUE).status_code == HTTPStatus.FORBIDDEN
    assert client.post(decide(comment, "approve")).status_code == HTTPStatus.FORBIDDEN
    listing = client.get(CHANGELIST)
    assert listing.status_code == HTTPStatus.OK
    assert "secret@example.org" not in listing.content.decode()
    # No decision to take in bulk; only the newsroom's picks.
    actions = re.findall(
        r'<option value="(\w+)"',
        listing.content.decode().split('name="action"')[1].split("</select>")[0],
    )
    assert actions == ["pick", "unpick"]
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "secret@example.org" not in page.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_moderator_cannot_edit_stories(client, moderator):
    article = make_article()
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    )


def test_anonymous_user_is_sent_to_login_from_the_queue():
    response = Client().get(QUEUE)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]
