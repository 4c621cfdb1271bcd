"""'Follow my comment': a private page for its author, and what they may do there."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.links import follow_url
from comments.models import Comment
from comments.services import comment_approve, comment_reject, comments_purge
from newsroom.typography import french
from tests.factories import comment_data, make_comment
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    return client.post(
        reverse("comments:post", args=[article.slug]), comment_data(article, **fields), follow=True
    )


def test_the_thank_you_message_carries_the_private_follow_link(client, article):
    with time_machine.travel(timezone.now() - timedelta(seconds=10)):
        form = rendered_form(client.get(article.get_absolute_url() + "?formulaire"), "comment-form")
    form.update(name="Léa", email="lea@example.org", body="Un avis à suivre de près.")
    # The link is signed with the time: the page's and this test's match only in one second.
    with time_machine.travel(timezone.now(), tick=False):
        page = form.submit(client, follow=True).content.decode()
        comment = Comment.objects.get()
        assert "Merci pour votre commentaire" in page
        assert f'href="{follow_url(comment)}"' in page
        assert "Suivre mon commentaire" in page


def test_follow_page_shows_the_waiting_comment_and_never_the_address(article):
    comment = make_comment(article, status=Comment.Status.PENDING, email="lea@example.org")
    response = Client().get(follow_url(comment))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "En attente de validation" in html
    assert comment.body in html
    assert "lea@example.org" not in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert settings.COMMENT_OWN_COOKIE not in response.cookies


def test_the_author_changes_a_waiting_comment(article):
    comment = make_comment(article, status=Comment.Status.PENDING, body="Première version.")
    client = Client()
    form = rendered_form(client.get(follow_url(comment)), "follow-form")
    assert form["body"] == "Première version."
    response = form.update(body="Version corrigée,\nsur deux lignes.").submit(client, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("Votre commentaire est modifié") == 1  # said once
    comment.refresh_from_db()
    assert comment.body == "Version corrigée,\nsur deux lignes."
    assert comment.status == Comment.Status.PENDING
    assert "Première version" in comment.log.last().note


def test_a_published_comment_can_be_withdrawn_but_not_changed(article, moderator):
    comment = make_comment(article, status=Comment.Status.PENDING, body="Publié puis retiré.")
    comment_approve(comment=comment, moderator=moderator)
    assert "Publié puis retiré." in Client().get(article.get_absolute_url()).content.decode()
    client = Client()
    page = client.get(follow_url(comment)).content.decode()
    assert "Publié" in page and "<textarea" not in page
    client.post(follow_url(comment), {"action": "edit", "body": "Autre chose."})
    comment.refresh_from_db()
    assert comment.body == "Publié puis retiré."
    rendered_form(client.get(follow_url(comment)), "follow-withdraw").submit(client)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.WITHDRAWN
    assert comment.log.last().to_status == Comment.Status.WITHDRAWN
    assert "Publié puis retiré." not in Client().get(article.get_absolute_url()).content.decode()


def test_a_refused_comment_says_why(article, moderator):
    comment = make_comment(article, status=Comment.Status.PENDING)
    comment_reject(comment=comment, moderator=moderator, reason=Comment.Reason.OFF_TOPIC)
    page = Client().get(follow_url(comment)).content.decode()
    assert "Non publié" in page
    assert french("motif : Hors sujet") in page


def test_the_link_dies_with_the_comment_and_cannot_be_forged(article, moderator):
    comment = make_comment(article, status=Comment.Status.PENDING)
    comment_reject(comment=comment, moderator=moderator, reason=Comment.Reason.DUPLICATE)
    url = follow_url(comment)
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at - timedelta(days=91))
    comments_purge(older_than=timedelta(days=90))
    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND
    other = make_comment(article)
    forged = url.replace(url.split("/")[-2], f"{other.pk}:forged")
    assert Client().get(forged).status_code == HTTPStatus.NOT_FOUND
