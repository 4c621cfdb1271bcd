"""Readers who report a comment."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.models import Comment, Flag, ModerationLogEntry
from comments.services import comment_approve
from newsroom.mail import outbox_send
from newsroom.typography import french
from tests.factories import make_article, make_comment
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def flag_url(comment):
    return reverse("comments:flag", args=[comment.pk])


def reader(address):
    """A reader's browser, at its own address (the limits count per address)."""
    return Client(REMOTE_ADDR=address)


def report(client, comment, reason="abusive"):
    return client.post(flag_url(comment), {"reason": reason})


# Reports


def test_each_published_comment_offers_a_report_link_but_not_the_newsrooms_answers(editor):
    article = make_article()
    comment = make_comment(article, body="Un avis publié.")
    make_comment(article, parent=comment, staff_author=editor, body="La réponse de la rédaction.")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert page.count('class="comment__flag"') == 1
    assert flag_url(comment) in page
    assert "Signaler une erreur ou écrire à la rédaction" in page


def test_a_report_is_recorded_and_the_reader_thanked_without_the_comment_leaving(client):
    comment = make_comment(make_article(), body="Un avis limite.")
    form = client.get(flag_url(comment))
    assert form.status_code == HTTPStatus.OK
    assert "Un avis limite." in form.content.decode()
    assert form["X-Robots-Tag"] == "noindex, nofollow"
    response = report(client, comment, "misleading")
    assert response.status_code == HTTPStatus.OK
    assert "votre signalement est transmis aux modérateurs" in response.content.decode()
    flag = Flag.objects.get()
    assert (flag.comment, flag.reason) == (comment, "misleading")
    assert flag.ip_hash and flag.reader_hash and "127.0.0.1" not in flag.ip_hash
    assert response.cookies["reader"]["path"] == "/commentaires/"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def report_as_sent(client, comment, reason="abusive"):
    """The report form as the reader's browser shows and sends it."""
    form = rendered_form(client.get(flag_url(comment)))
    return form.update(reason=reason).submit(client)


def test_each_reader_behind_one_address_reports_once():
    comment = make_comment(make_article())
    office = "192.0.2.1"
    browser = reader(office)
    assert report_as_sent(browser, comment).status_code == HTTPStatus.OK
    again = report_as_sent(browser, comment, "off_topic")
    assert again.status_code == HTTPStatus.CONFLICT
    assert "déjà signalé ce commentaire" in again.content.decode()
    # A colleague at the same office, in their own browser: their report counts too.
    assert report_as_sent(reader(office), comment).status_code == HTTPStatus.OK
    # Same browser, another connection (a phone leaving the office's wifi): still one.
    browser.defaults["REMOTE_ADDR"] = "198.51.100.7"
    assert report_as_sent(browser, comment).status_code == HTTPStatus.CONFLICT
    assert Flag.objects.count() == 2


def test_one_address_alone_does_not_take_a_comment_off_the_page(settings):
    """A reader clearing their cookies reports again, but only up to the address's rate
    limit, and never takes the comment off the page alone."""
    settings.COMMENT_FLAG_THRESHOLD = 3
    comment = make_comment(make_article())
    for _ in range(4):
        assert report_as_sent(reader("192.0.2.1"), comment).status_code == HTTPStatus.OK
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert report_as_sent(reader("198.51.100.7"), comment).status_code == HTTPStatus.OK
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_address_reporting_too_much_is_slowed(settings):
    comments = [make_comment(make_article()) for _ in range(3)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("comments.services.reports.FLAGS_PER_HOUR", 2)
        assert report_as_sent(reader("192.0.2.1"), comments[0]).status_code == HTTPStatus.OK
        assert report_as_sent(reader("192.0.2.1"), comments[1]).status_code == HTTPStatus.OK
        refused = report_as_sent(reader("192.0.2.1"), comments[2])
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Trop de signalements" in refused.content.decode()
    assert Flag.objects.count() == 2


def test_a_report_without_a_reason_says_so_and_records_nothing(client):
    comment = make_comment(make_article())
    for data in ({}, {"reason": "i-do-not-like-it"}):
        response = client.post(flag_url(comment), data)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "error-summary" in response.content.decode()
    assert not Flag.objects.exists()


def test_three_readers_send_a_comment_back_to_the_queue_off_the_page(settings):
    settings.COMMENT_FLAG_THRESHOLD = 3
    article = make_article()
    comment = make_comment(article, name="Contesté", body="Un propos qui fâche.")
    Client().get(article.get_absolute_url())  # the page is cached with the comment
    for n, reason in enumerate(["abusive", "abusive", "hateful"]):
        assert "Un propos qui fâche." in Client().get(article.get_absolute_url()).content.decode()
        assert report(reader(f"192.0.2.{n + 1}"), comment, reason).status_code == HTTPStatus.OK
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Un propos qui fâche." not in Client().get(article.get_absolute_url()).content.decode()
    entry = ModerationLogEntry.objects.filter(comment=comment).last()
    assert (entry.from_status, entry.to_status, entry.actor) == ("approved", "pending", None)
    assert "3 lecteurs" in entry.note
    # A fourth reader finds it gone, and is told so.
    late = report(reader("192.0.2.9"), comment)
    assert late.status_code == HTTPStatus.GONE
    assert "n’est plus publié" in late.content.decode()


def test_moderators_see_the_reports_and_publishing_it_again_clears_them(moderator, settings):
    settings.COMMENT_FLAG_THRESHOLD = 2
    article = make_article()
    comment = make_comment(article, body="Un propos discuté.", notify_author=True)
    report(reader("192.0.2.1"), comment, "abusive")
    report(reader("192.0.2.2"), comment, "off_topic")
    desk = Client()
    desk.force_login(moderator)
    queue = reverse("admin:comments_comment_queue")
    page = desk.get(queue + "?show=reported").content.decode()
    assert "Un propos discuté." in page
    assert (
        french("Signalé par des lecteurs : Propos injurieux ou diffamatoires (1), Hors sujet (1)")
        in page
    )
    assert "1 signalé par des lecteurs" in desk.get(queue).content.decode()
    comment.refresh_from_db()
    comment_approve(comment=comment, moderator=moderator)
    assert "Un propos discuté." in Client().get(article.get_absolute_url()).content.decode()
    assert not Flag.objects.filter(cleared=False).exists()
    outbox_send()
    assert not [m for m in mail.outbox if comment.email in m.to]  # told once, long ago
    # The old reports count no more: one new reader does not send it back.
    report(reader("192.0.2.3"), comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
