"""'My comments': see, download and erase one's comments without an account."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, PrivacyRequest
from comments.services import comment_approve
from newsroom.mail import outbox_send
from tests.factories import make_article, make_comment
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db
REQUEST = reverse("comments:mine_request")


def ask(client, email):
    """'Your comments and your data': the form, an address typed, sent."""
    return rendered_form(client.get(REQUEST)).update(email=email).submit(client)


def mailed_link():
    outbox_send()
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/mes-commentaires/lien/" in line)


def test_the_answer_is_the_same_whether_or_not_the_address_commented():
    make_comment(email="lea@example.org")
    known = ask(Client(REMOTE_ADDR="198.51.100.1"), "lea@example.org")
    unknown = ask(Client(REMOTE_ADDR="198.51.100.2"), "personne@example.org")
    assert known.status_code == unknown.status_code == HTTPStatus.OK
    assert known.content == unknown.content
    outbox_send()
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert PrivacyRequest.objects.filter(kind="link").count() == 2


def test_asking_is_limited_per_client_and_per_mailbox():
    client = Client(REMOTE_ADDR="198.51.100.3")
    codes = [ask(client, f"a{n}@example.org").status_code for n in range(6)]
    assert codes == [200] * 5 + [429]
    codes = [
        ask(Client(REMOTE_ADDR=f"198.51.100.{10 + n}"), "b@example.org").status_code
        for n in range(4)
    ]
    assert codes == [200] * 3 + [429]


def test_the_link_works_once_for_an_hour():
    make_comment(email="lea@example.org")
    ask(Client(), "lea@example.org")
    link = mailed_link()
    path = link.split("://", 1)[1].split("/", 1)[1]
    reader = Client()
    assert reader.get("/" + path).status_code == HTTPStatus.FOUND
    assert Client().get("/" + path).status_code == HTTPStatus.GONE
    ask(Client(REMOTE_ADDR="198.51.100.9"), "lea@example.org")
    late = mailed_link().split("://", 1)[1].split("/", 1)[1]
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert Client().get("/" + late).status_code == HTTPStatus.GONE


def open_mine(email):
    ask(Client(REMOTE_ADDR="198.51.100.77"), email)
    reader = Client()
    reader.get("/" + mailed_link().split("://", 1)[1].split("/", 1)[1])
    return reader


def test_the_reader_sees_downloads_and_erases_every_comment(moderator):
    story = make_article(title="Le port de Fos")
    published = make_comment(story, email="lea@example.org", name="Léa Martin", body="Publié.")
    waiting = make_comment(
        story, email="Lea@Example.org", status=Comment.Status.PENDING, body="En attente."
    )
    answer = make_comment(story, parent=published, name="Paul", body="Je réponds à Léa.")
    reader = open_mine("lea@example.org")
    page = reader.get(reverse("comments:mine")).content.decode()
    assert "Publié." in page and "En attente." in page and "Le port de Fos" in page
    exported = json.loads(reader.get(reverse("comments:mine_download", args=["json"])).content)
    assert sorted(row["comment"] for row in exported) == ["En attente.", "Publié."]
    csv = reader.get(reverse("comments:mine_download", args=["csv"])).content.decode()
    assert "Publié." in csv and "lea@example.org" in csv.lower()
    # A spreadsheet in the reader's language.
    assert (
        csv.splitlines()[0] == "article,adresse,nom,email,commentaire,statut,envoyé le,en réponse à"
    )
    assert ",En attente," in csv and ",Approuvé," in csv
    Client().get(story.get_absolute_url())  # the page is in the cache
    erase = rendered_form(reader.get(reverse("comments:mine")), reverse("comments:mine_erase"))
    done = erase.submit(reader, follow=True).content.decode()
    assert "2 commentaires effacés. Le nom et l’adresse de leur auteur" in done
    public = Client().get(story.get_absolute_url()).content.decode()
    assert "Léa Martin" not in public and "Publié." not in public
    assert "Commentaire supprimé à la demande de son auteur." in public
    assert "Je réponds à Léa." in public  # the conversation keeps its shape
    feed = Client().get(reverse("comments:feed", args=[story.slug])).content.decode()
    assert "Léa Martin" not in feed
    assert not Comment.objects.filter(pk=waiting.pk).exists()
    assert Comment.objects.get(pk=answer.pk).parent_id == published.pk
    kinds = set(PrivacyRequest.objects.values_list("kind", flat=True))
    assert {"link", "access", "export", "erase"} <= kinds
    assert not PrivacyRequest.objects.filter(email_hash__contains="lea").exists()
    # The session ends with the erasure, and the address is sent nothing more.
    assert reader.get(reverse("comments:mine")).status_code == HTTPStatus.NOT_FOUND
    later = make_comment(story, email="lea@example.org", status="pending", notify_author=True)
    mail.outbox.clear()
    comment_approve(comment=later, moderator=moderator)
    outbox_send()
    assert mail.outbox == []


def test_an_erasure_from_the_command_line_is_recorded_as_the_operators():
    from io import StringIO

    from django.core.management import call_command

    make_comment(email="lea@example.org")
    call_command("comments_erase", "lea@example.org", stdout=StringIO())
    call_command("comments_export", "lea@example.org", stdout=StringIO())
    recorded = set(PrivacyRequest.objects.values_list("kind", "by"))
    assert recorded == {("erase", "operator, command line"), ("export", "operator, command line")}
