"""Replies to published comments, and the newsroom's own answers."""

import time
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_answer, comment_approve
from newsroom.mail import outbox_send
from newsroom.typography import french
from tests.factories import comment_data, make_article, make_comment, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def reply(client, article, parent, **fields):
    data = comment_data(article, parent=parent.pk if parent else "", **fields)
    return client.post(reverse("comments:post", args=[article.slug]), data)


def test_a_reader_replies_to_a_published_comment(article, moderator):
    first = make_comment(article, name="Martine", body="Un premier avis.")
    reader = Client()
    with time_machine.travel(time.time() - 10):  # ten seconds to write it
        page = reader.get(article.get_absolute_url() + f"?repondre={first.pk}")
    assert "Répondre à Martine" in page.content.decode()
    form = rendered_form(page, "comment-form")
    assert form["parent"] == str(first.pk)
    form.update(name="Paul", email="paul@example.org", body="Pas du tout convaincu.")
    assert form.submit(reader).status_code == 302
    answer = Comment.objects.get(parent=first)
    assert answer.status == Comment.Status.PENDING
    comment_approve(comment=answer, moderator=moderator)
    page = Client().get(article.get_absolute_url()).content.decode()
    thread = page.split(f'id="comment-{first.pk}"', 1)[1]
    assert thread.index("Un premier avis.") < thread.index("Pas du tout convaincu.")
    assert "comment-list--replies" in thread.split("Pas du tout convaincu.")[0]
    assert "En réponse à Martine" in page
    assert french("2 commentaires<") in page


@pytest.mark.parametrize("kind", ["pending", "reply", "other story"])
def test_only_a_published_comment_of_the_story_can_be_answered(article, kind):
    parent = {
        "pending": lambda: make_comment(article, status=Comment.Status.PENDING),
        "reply": lambda: make_comment(article, parent=make_comment(article)),
        "other story": lambda: make_comment(make_article()),
    }[kind]()
    response = reply(Client(), article, parent)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "n’est plus publié" in response.content.decode()
    assert not Comment.objects.filter(parent=parent).exists()


def test_the_newsroom_answers_from_the_admin_with_a_mark_no_reader_can_imitate(
    client, journalist, article
):
    question = make_comment(article, name="Yacine", notify_author=True, email="y@example.org")
    make_comment(article, name="La rédaction", body="Je me fais passer pour eux.")
    client.force_login(journalist)
    page = client.get(reverse("admin:comments_comment_change", args=[question.pk]))
    assert "Répondre au nom de la rédaction" in page.content.decode()
    form = rendered_form(page, reverse("admin:comments_comment_answer", args=[question.pk]))
    form.update(body="Merci, nous publierons\nle coût de la mission.").submit(client)
    answer = Comment.objects.get(parent=question)
    assert (answer.status, answer.staff_author) == (Comment.Status.APPROVED, journalist)
    assert answer.body == "Merci, nous publierons\nle coût de la mission."
    html = Client().get(article.get_absolute_url()).content.decode()
    assert html.count('<span class="comment__newsroom">La rédaction</span>') == 1
    assert "nous publierons<br>le coût" in html
    outbox_send()
    from django.core import mail

    assert mail.outbox[-1].to == ["y@example.org"]
    assert "a répondu à votre commentaire" in mail.outbox[-1].body


def test_the_newsroom_answer_stands_right_under_the_comment_it_answers(journalist, article):
    question = make_comment(article, name="Yacine", body="Combien a coûté la mission ?")
    make_comment(article, parent=question, name="Paul", body="Je me pose la même question.")
    comment_answer(parent=question, author=journalist, body="Le coût sera publié lundi.")
    html = Client().get(article.get_absolute_url()).content.decode()
    thread = html.split(f'id="comment-{question.pk}"', 1)[1]
    assert thread.index("Le coût sera publié lundi.") < thread.index("Je me pose la même")


def test_a_moderator_cannot_answer_as_the_newsroom(client, moderator, article):
    question = make_comment(article)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_comment_answer", args=[question.pk]), {"body": "Non."}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.filter(parent=question).exists()


def test_replies_are_in_the_comments_feed(article):
    editor = make_user("chef", group="Editors", first_name="Régine", last_name="Chef")
    question = make_comment(article, name="Yacine")
    comment_answer(parent=question, author=editor, body="Une réponse de la rédaction.")
    feed = Client().get(reverse("comments:feed", args=[article.slug])).content.decode()
    assert "Une réponse de la rédaction." in feed
    assert "Régine Chef" in feed


def test_the_answer_form_is_not_inside_the_comments_own_form(client, journalist, article):
    """Forms do not nest: a browser would send the answer to the comment's own form."""
    from html.parser import HTMLParser

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.open, self.answer_in = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.open.append(attrs.get("action", ""))
            elif tag == "textarea" and attrs.get("name") == "body":
                self.answer_in = list(self.open)

        def handle_endtag(self, tag):
            if tag == "form" and self.open:
                self.open.pop()

    question = make_comment(article)
    client.force_login(journalist)
    parser = Forms()
    parser.feed(
        client.get(reverse("admin:comments_comment_change", args=[question.pk])).content.decode()
    )
    assert parser.answer_in == [reverse("admin:comments_comment_answer", args=[question.pk])]
