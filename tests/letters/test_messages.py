"""Readers who write to the newsroom: the form, the mail, the inbox, their rights."""

import time
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.forms import issue_token
from comments.models import BannedWord
from comments.services import comments_erase, comments_purge
from letters.models import ReaderMessage
from newsroom.mail import outbox_send
from newsroom.typography import french
from tests.factories import make_article, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def reader(address):
    """A reader's browser, at its own address (the limits count per address)."""
    return Client(REMOTE_ADDR=address)


def write_url(article):
    return reverse("letters:write", args=[article.slug])


def message_data(article, **overrides):
    data = {
        "kind": "correction",
        "name": "Claire Dubois",
        "email": "claire@example.org",
        "body": "Le chiffre d’affaires cité est celui de 2023, pas de 2024.",
        "website": "",
        "issued": issue_token(article.pk, time.time() - 10),
    }
    data.update(overrides)
    return data


def test_a_reader_writes_to_the_storys_journalist_who_gets_a_mail(client):
    author = make_user("plume", email="plume@newsroom.example", group="Journalists")
    article = make_article(title="Usine rouverte", authors=[author])
    with time_machine.travel(time.time() - 10):  # ten seconds to write it
        page = client.get(write_url(article))
    assert page.status_code == HTTPStatus.OK
    assert "Usine rouverte" in page.content.decode()
    form = rendered_form(page)
    form.update(
        kind="correction",
        name="Claire Dubois",
        email="claire@example.org",
        body="Le chiffre d’affaires cité\nest celui de 2023, pas de 2024.",
    )
    response = form.submit(client)
    assert response.status_code == HTTPStatus.OK
    assert "Votre message est arrivé à la rédaction" in response.content.decode()
    message = ReaderMessage.objects.get()
    assert (message.article, message.kind, message.state) == (article, "correction", "new")
    outbox_send()
    (sent,) = mail.outbox
    assert sent.to == ["plume@newsroom.example"]
    assert "Usine rouverte" in sent.subject
    assert "cité\nest celui de 2023" in sent.body
    assert "claire@example.org" not in sent.body  # a journalist: the editors answer
    assert "un rédacteur en chef répond" in sent.body
    assert reverse("admin:letters_readermessage_change", args=[message.pk]) in sent.body
    # Never published.
    assert "celui de 2023" not in Client().get(article.get_absolute_url()).content.decode()


def test_a_story_with_no_journalists_address_sends_the_message_to_the_editors(client):
    make_user("chef", email="chef@newsroom.example", group="Editors")
    make_user("modo", email="modo@newsroom.example", group="Moderators")
    article = make_article()
    client.post(write_url(article), message_data(article))
    outbox_send()
    assert [m.to for m in mail.outbox] == [["chef@newsroom.example"]]
    assert "claire@example.org" in mail.outbox[0].body  # an editor answers the reader


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"body": ""}, "Votre message : Ce champ est obligatoire."),
        ({"kind": ""}, "Choisissez l’objet de votre message."),
        ({"email": "claire"}, "Saisissez une adresse email valide"),
        ({"body": "x" * 3001}, "3 001 caractères : la limite est de 3 000."),
        ({"website": "http://spam.example"}, "Laissez le dernier champ, caché, vide."),
    ],
)
def test_a_message_that_cannot_be_sent_says_why_and_keeps_the_text(client, overrides, expected):
    article = make_article()
    response = client.post(write_url(article), message_data(article, **overrides))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert french(expected) in page
    assert "error-summary" in page
    if "body" not in overrides:
        assert "celui de 2023" in page
    assert not ReaderMessage.objects.exists()


def test_a_message_tripping_a_rule_is_kept_as_spam_and_mailed_to_no_one(client, journalist):
    BannedWord.objects.create(word="casino")
    article = make_article(authors=[journalist])
    body = "Gagnez au casino en ligne, cliquez ici."
    client.post(write_url(article), message_data(article, body=body))
    message = ReaderMessage.objects.get()
    assert message.state == ReaderMessage.State.SPAM
    outbox_send()
    assert not mail.outbox


def test_messages_are_rate_limited_with_the_text_kept(settings):
    settings.COMMENT_RATE_LIMIT = 2
    article = make_article()
    browser = reader("203.0.113.5")
    for n in range(2):
        data = message_data(article, body=f"Question numéro {n} sur l’usine.")
        assert browser.post(write_url(article), data).status_code == HTTPStatus.OK
    third = browser.post(write_url(article), message_data(article, body="La troisième."))
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "La troisième." in third.content.decode()
    assert ReaderMessage.objects.count() == 2


def test_the_inbox_lists_messages_and_says_who_handles_them(journalist):
    article = make_article(title="Port de commerce", authors=[journalist])
    message = ReaderMessage.objects.create(
        article=article, kind="question", name="Marc", email="marc@example.org", body="Quand ?"
    )
    desk = Client()
    desk.force_login(journalist)
    changelist = reverse("admin:letters_readermessage_changelist")
    page = desk.get(changelist)
    assert "Port de commerce" in page.content.decode() and "Quand ?" in page.content.decode()
    home = desk.get(reverse("admin:index")).content.decode()
    assert "1 nouveau message de lecteur" in home
    form = rendered_form(page, "changelist-form")
    form.update(action="mark_in_progress", _selected_action=[str(message.pk)])
    assert form.submit(desk, "index").status_code == HTTPStatus.FOUND
    message.refresh_from_db()
    assert (message.state, message.handled_by) == ("in_progress", journalist)
    change = reverse("admin:letters_readermessage_change", args=[message.pk])
    form = rendered_form(desk.get(change), "readermessage_form")
    assert form.update(state="done").submit(desk).status_code == HTTPStatus.FOUND
    message.refresh_from_db()
    assert message.state == "done"


def test_a_journalist_reads_messages_about_their_stories_without_the_readers_address(
    journalist, editor
):
    mine = make_article(title="Port de commerce", authors=[journalist])
    other = make_article(title="Usine de batteries")
    for article, name in ((mine, "Marc"), (other, "Inès")):
        ReaderMessage.objects.create(
            article=article, kind="question", name=name, email=f"{name}@example.org", body="?"
        )
    changelist = reverse("admin:letters_readermessage_changelist")
    desk = Client()
    desk.force_login(journalist)
    page = desk.get(changelist).content.decode()
    assert "Port de commerce" in page and "Usine de batteries" not in page
    assert "1 nouveau message de lecteur" in desk.get(reverse("admin:index")).content.decode()
    mine_message = ReaderMessage.objects.get(article=mine)
    detail = desk.get(reverse("admin:letters_readermessage_change", args=[mine_message.pk]))
    assert "Marc" in detail.content.decode() and "Marc@example.org" not in detail.content.decode()
    other_message = ReaderMessage.objects.get(article=other)
    refused = desk.get(reverse("admin:letters_readermessage_change", args=[other_message.pk]))
    assert refused.status_code in {HTTPStatus.FOUND, HTTPStatus.NOT_FOUND}
    chief = Client()
    chief.force_login(editor)
    page = chief.get(changelist).content.decode()
    assert "Port de commerce" in page and "Usine de batteries" in page
    detail = chief.get(reverse("admin:letters_readermessage_change", args=[mine_message.pk]))
    assert "Marc@example.org" in detail.content.decode()


def test_moderators_do_not_read_the_newsrooms_mail(moderator):
    desk = Client()
    desk.force_login(moderator)
    changelist = reverse("admin:letters_readermessage_changelist")
    assert desk.get(changelist).status_code == HTTPStatus.FORBIDDEN


def test_erasure_and_purge_remove_messages(client):
    article = make_article()
    client.post(write_url(article), message_data(article, email="Claire@Example.org"))
    assert ReaderMessage.objects.count() == 1
    comments_erase(email="claire@example.org")
    assert not ReaderMessage.objects.exists()
    old = ReaderMessage.objects.create(
        article=article,
        kind="question",
        name="A",
        email="a@example.org",
        body="Vieux",
        state="done",
    )
    kept = ReaderMessage.objects.create(
        article=article, kind="question", name="B", email="b@example.org", body="En cours"
    )
    ReaderMessage.objects.update(created_at=timezone.now() - timedelta(days=100))
    comments_purge(older_than=timedelta(days=90))
    assert list(ReaderMessage.objects.all()) == [kept]
    assert not ReaderMessage.objects.filter(pk=old.pk).exists()


def test_my_comments_shows_downloads_and_erases_my_messages_to_the_newsroom(client):
    article = make_article(title="Zone portuaire")
    client.post(write_url(article), message_data(article))
    session = client.session
    session["comments.mine"] = "claire@example.org"
    session.save()
    page = client.get(reverse("comments:mine")).content.decode()
    assert "Vos messages à la rédaction" in page and "celui de 2023" in page
    download = client.get(reverse("comments:mine_download", args=["json"])).content.decode()
    assert "celui de 2023" in download
    client.post(reverse("comments:mine_erase"))
    assert not ReaderMessage.objects.exists()


def test_an_inbox_link_from_before_the_move_still_opens_the_message(editor):
    message = ReaderMessage.objects.create(
        article=make_article(), kind="question", name="Léa", email="lea@example.org", body="?"
    )
    desk = Client()
    desk.force_login(editor)
    old = f"/admin/comments/readermessage/{message.pk}/change/"
    response = desk.get(old, follow=True)
    assert response.redirect_chain == [
        (reverse("admin:letters_readermessage_change", args=[message.pk]), 301)
    ]
    assert "Léa" in response.content.decode()
