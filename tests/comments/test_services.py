import logging
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from comments import services
from comments.models import BannedWord, BlockedSender, Comment
from comments.services import (
    CommentsClosed,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_submit,
    comments_erase,
    comments_export,
    comments_purge,
    moderators_digest,
)
from newsroom.mail import outbox_send
from newsroom.models import OutgoingMail
from newsroom.typography import french
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def submit(article=None, **fields):
    values = {
        "name": "Paul",
        "email": "paul@example.org",
        "body": "Un commentaire tout à fait normal sur le sujet.",
        "ip_address": "203.0.113.7",
    }
    values.update(fields)
    return comment_submit(article=article or make_article(), **values)


def test_comment_submit_stores_a_pending_comment():
    comment = submit()
    assert comment.status == Comment.Status.PENDING
    assert comment.spam_reason == ""
    assert comment.log.get().to_status == Comment.Status.PENDING


def test_comment_submit_keeps_only_a_hash_of_the_address():
    comment = submit(ip_address="203.0.113.7")
    assert comment.ip_hash and "203.0.113.7" not in comment.ip_hash
    assert comment.ip_hash == services.hash_ip("203.0.113.7")
    assert comment.ip_hash != services.hash_ip("203.0.113.8")


def test_comment_submit_refuses_a_closed_story():
    with pytest.raises(CommentsClosed):
        submit(make_article(comments_open=False))
    assert not Comment.objects.exists()


def test_too_many_links_marks_spam():
    comment = submit(body="Voir https://a.example http://b.example www.c.example")
    assert comment.status == Comment.Status.SPAM
    assert comment.spam_reason == french("3 liens")
    assert comment.rule == "links"


def test_two_links_are_fine():
    assert submit(body="Sources : https://a.example et https://b.example").status == "pending"


def test_banned_word_marks_spam_ignoring_case_and_accents():
    BannedWord.objects.create(word="arnaque")
    comment = submit(body="Cette ARNAQUÉ ... pardon, cette Arnaque est honteuse.")
    assert comment.status == Comment.Status.SPAM
    assert "arnaque" in comment.spam_reason


def test_banned_word_matches_whole_words_only():
    BannedWord.objects.create(word="con")
    assert submit(body="Une conférence très constructive.").status == Comment.Status.PENDING


def test_blocked_address_and_domain_mark_spam():
    BlockedSender.objects.create(value="Troll@Example.org")
    BlockedSender.objects.create(value="@spam.example")
    assert submit(email="troll@example.org").status == Comment.Status.SPAM
    assert submit(email="anyone@spam.example", body="Autre texte assez long ici.").status == "spam"
    assert (
        submit(email="ami@example.org", body="Un troisième texte, différent.").status == "pending"
    )


def test_same_text_sent_again_marks_spam():
    article = make_article()
    submit(article, body="Exactement le même message envoyé deux fois.")
    again = submit(
        article, body="  exactement le MÊME message   envoyé deux fois. ", email="x@y.org"
    )
    assert again.status == Comment.Status.SPAM
    assert again.spam_reason.startswith("Texte déjà envoyé le ")
    assert again.rule == "duplicate"


def test_short_identical_texts_are_not_spam():
    submit(body="Bravo !")
    assert submit(body="Bravo !", email="autre@example.org").status == Comment.Status.PENDING


def test_spam_is_never_shown_nor_counted(client):
    article = make_article()
    submit(article, body="Gagnez https://1.example https://2.example https://3.example")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Gagnez" not in page
    assert french("0 commentaire<") in page


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (comment_approve, Comment.Status.APPROVED),
        (comment_reject, Comment.Status.REJECTED),
        (comment_mark_spam, Comment.Status.SPAM),
    ],
)
def test_moderation_records_who_when_and_logs_it(moderator, service, status):
    comment = make_comment(status=Comment.Status.PENDING)
    service(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    entry = comment.log.get()
    assert (entry.actor, entry.from_status, entry.to_status) == (moderator, "pending", status)


def test_a_waiting_comment_is_in_one_digest_for_the_moderators(moderator):
    comment = submit(name="Paul\r\nBcc: victim@example.org", body="Ligne 1\nLigne 2")
    assert moderators_digest() == 1
    assert outbox_send() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [moderator.email]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Ligne 1 Ligne 2" in message.body  # one line per comment in a digest
    assert "/admin/comments/comment/queue/" in message.body
    comment.refresh_from_db()
    assert comment.notified_at is not None
    assert outbox_send() == 0  # sent once


def test_spam_does_not_email_moderators(moderator):
    submit(body="https://1.example https://2.example https://3.example")
    assert moderators_digest() == 0
    assert outbox_send() == 0
    assert mail.outbox == []


def test_failing_mail_server_keeps_the_mail_for_later(moderator, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    comment = submit()
    moderators_digest()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with caplog.at_level(logging.WARNING):
        assert outbox_send() == 0
    assert "Could not send mail" in caplog.text
    queued = OutgoingMail.objects.get()
    assert (queued.sent_at, queued.attempts, queued.claimed_until) == (None, 1, None)
    assert Comment.objects.filter(pk=comment.pk, status="pending").exists()
    monkeypatch.undo()
    assert outbox_send() == 0  # it waits a minute before its next try
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert outbox_send() == 1
    assert len(mail.outbox) == 1


def test_a_mail_claimed_by_a_sender_that_died_is_sent_once_its_claim_lapses(moderator):
    submit()
    moderators_digest()
    # A sender claimed it and was killed before sending: its claim still runs.
    OutgoingMail.objects.update(claimed_until=timezone.now() + timedelta(seconds=60))
    assert outbox_send() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert outbox_send() == 1
    assert len(mail.outbox) == 1


def test_export_lists_every_comment_of_an_address():
    make_comment(email="Lea@Example.org", body="Premier.")
    make_comment(email="lea@example.org", body="Second.")
    make_comment(email="autre@example.org")
    exported = comments_export(email="lea@example.org")
    assert sorted(row["comment"] for row in exported) == ["Premier.", "Second."]


def test_erase_anonymises_name_address_and_hash():
    comment = make_comment(email="lea@example.org", name="Léa", ip_hash="abc")
    other = make_comment(email="autre@example.org")
    assert comments_erase(email="LEA@example.org") == 1
    comment.refresh_from_db()
    assert (comment.name, comment.email, comment.ip_hash, comment.body) == (
        "",
        "erased@invalid",
        "",
        "",
    )
    assert comment.erased_at is not None
    other.refresh_from_db()
    assert other.email == "autre@example.org"


def test_purge_deletes_old_rejected_and_spam_and_drops_old_hashes():
    old_spam = make_comment(status=Comment.Status.SPAM, ip_hash="h1")
    old_ok = make_comment(status=Comment.Status.APPROVED, ip_hash="h2")
    with time_machine.travel(timedelta(days=91)):
        recent = make_comment(status=Comment.Status.REJECTED, ip_hash="h3")
        deleted, cleared = comments_purge(older_than=timedelta(days=90))
    assert (deleted, cleared) == (1, 1)
    assert not Comment.objects.filter(pk=old_spam.pk).exists()
    old_ok.refresh_from_db()
    recent.refresh_from_db()
    assert old_ok.ip_hash == "" and recent.ip_hash == "h3"


def test_a_mail_tried_twice_keeps_its_message_id(moderator, monkeypatch):
    submit()
    moderators_digest()
    sent = []
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send", lambda message: sent.append(message.extra_headers)
    )
    outbox_send()
    OutgoingMail.objects.update(sent_at=None, claimed_until=None)  # as if killed after sending
    outbox_send()
    assert len(sent) == 2 and sent[0]["Message-ID"] == sent[1]["Message-ID"]
