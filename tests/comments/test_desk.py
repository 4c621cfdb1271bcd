"""The moderation desk: a queue for a busy morning, section policies, the digest, the log."""

import csv
import io
import threading
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.links import follow_url
from comments.models import BannedWord, BlockedSender, Comment, ModerationLogEntry
from comments.services import comment_approve, comment_reject, comment_submit, moderators_digest
from newsroom.mail import outbox_send
from newsroom.models import OutgoingMail
from newsroom.typography import french
from tests.factories import (
    comment_data,
    make_article,
    make_comment,
    make_policy,
    make_tag,
    make_user,
)
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:comments_comment_queue")


def submit(article, **fields):
    values = {"name": "Paul", "email": "paul@example.org", "body": "Un avis tout à fait normal."}
    values.update(fields)
    return comment_submit(article=article, ip_address="", **values)


def desk(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_says_how_long_each_comment_waited_and_flags_the_late(moderator):
    article = make_article(standfirst="Le chapô qui situe le débat.")
    late = make_comment(article, status=Comment.Status.PENDING, body="En retard.")
    Comment.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=5))
    make_comment(article, status=Comment.Status.PENDING, body="Tout frais.")
    page = desk(moderator).get(QUEUE).content.decode()
    assert french("en attente depuis 5 h 00") in page
    assert page.count("queue-item--late") == 1
    assert "Le chapô qui situe le débat." in page
    home = desk(moderator).get(reverse("admin:index")).content.decode()
    assert french("1 en attente depuis plus de 4 h.") in home


def test_filters_by_section_and_story_with_counts(moderator):
    export, maritime = make_tag("Export"), make_tag("Maritime")
    a, b = make_article(tags=[export]), make_article(tags=[maritime])
    make_comment(a, status=Comment.Status.PENDING, body="Sur l'export.")
    make_comment(a, status=Comment.Status.PENDING, body="Encore l'export.")
    make_comment(b, status=Comment.Status.PENDING, body="Sur la mer.")
    client = desk(moderator)
    page = client.get(QUEUE).content.decode()
    assert "Export (2)" in page and "Maritime (1)" in page
    filtered = client.get(QUEUE, {"tag": "maritime"}).content.decode()
    assert "Sur la mer." in filtered and "export." not in filtered
    story = client.get(QUEUE, {"story": a.pk}).content.decode()
    assert "Sur la mer." not in story and "Encore l" in story


def test_counts_by_section_are_kept_half_a_minute_and_the_total_is_exact(moderator):
    export = make_tag("Export")
    article = make_article(tags=[export])
    make_comment(article, status=Comment.Status.PENDING)
    client = desk(moderator)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        page = client.get(QUEUE).content.decode()
        assert "Export (1)" in page and ">1\xa0en attente<" in page
        make_comment(article, status=Comment.Status.PENDING)
        page = client.get(QUEUE).content.decode()
        assert "Export (1)" in page and ">2\xa0en attente<" in page
        assert french("Nombres par rubrique : ceux des 30 dernières secondes.") in page
        clock.shift(timedelta(seconds=31))
        assert "Export (2)" in client.get(QUEUE).content.decode()


def test_the_comments_list_offers_stories_waiting_newest_first_and_bylines(moderator):
    camille = make_user("camille", group="Journalists", first_name="Camille", last_name="Roux")
    lucien = make_user("lucien", group="Journalists", first_name="Lucien", last_name="Blanc")
    older = make_article(title="Un dossier ancien", authors=[camille])
    newer = make_article(title="Une nouvelle fraîche")
    quiet = make_article(title="Rien en attente")
    waiting = make_comment(older, status=Comment.Status.PENDING)
    Comment.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(hours=2))
    make_comment(newer, status=Comment.Status.PENDING)
    make_comment(quiet, status=Comment.Status.APPROVED)
    page = desk(moderator).get(reverse("admin:comments_comment_changelist")).content.decode()
    offered = [page.find(f'href="?article={story.pk}"') for story in (newer, older, quiet)]
    assert 0 < offered[0] < offered[1] and offered[2] == -1
    assert f"article__authors__id__exact={camille.pk}" in page and "Camille Roux" in page
    assert f"article__authors__id__exact={lucien.pk}" not in page


def test_approve_all_shown_says_how_many_then_logs_each(moderator):
    export = make_tag("Export")
    article = make_article(tags=[export])
    for _ in range(3):
        make_comment(article, status=Comment.Status.PENDING)
    other = make_comment(status=Comment.Status.PENDING)
    client = desk(moderator)
    queue = (
        rendered_form(client.get(QUEUE), "queue__filters").update(tag=export.slug).submit(client)
    )
    confirm = rendered_form(queue, "queue__approve-shown").submit(client)
    assert french("Approuver ces 3 commentaires ?") in confirm.content.decode()
    assert Comment.objects.pending().count() == 4
    rendered_form(confirm).submit(client, "confirm")
    assert set(Comment.objects.pending()) == {other}
    assert ModerationLogEntry.objects.filter(actor=moderator, to_status="approved").count() == 3


def test_a_card_shows_the_commenters_history_and_what_it_answers(moderator):
    article = make_article()
    question = make_comment(article, name="Martine", body="La question posée.")
    for status in ("approved", "approved", "rejected"):
        make_comment(email="habitue@example.org", status=status)
    reply = make_comment(
        article, parent=question, status="pending", email="Habitue@Example.org", body="Réponse."
    )
    page = desk(moderator).get(QUEUE).content.decode()
    assert "En réponse à Martine" in page and "La question posée." in page
    assert french("publiés : 2, refusés : 1, premier commentaire le") in page
    assert reply.body in page


def test_an_editor_bans_a_word_from_the_admin_and_comments_with_it_are_held(editor):
    client = desk(editor)
    form = rendered_form(client.get(reverse("admin:comments_bannedword_add")))
    assert form.update(word="Arnaque").submit(client).status_code == HTTPStatus.FOUND
    held = submit(make_article(), body="Ce projet est une arnaque, à mon avis.")
    assert held.status == Comment.Status.SPAM
    assert held.spam_reason == french("Mot interdit : « Arnaque »")


def test_a_held_comment_says_which_rule_and_a_wrong_rule_is_counted(moderator):
    BannedWord.objects.create(word="arnaque")
    held = submit(make_article(), body="Ce projet est une arnaque, à mon avis.")
    assert held.status == Comment.Status.SPAM
    client = desk(moderator)
    page = client.get(QUEUE, {"show": "held"}).content.decode()
    assert french("Mot interdit : « arnaque »") in page
    approve = reverse("admin:comments_comment_decide", args=[held.pk, "approve"])
    form = rendered_form(client.get(QUEUE, {"show": "held"}), approve)
    form.update(misfire=True).submit(client)
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    assert ModerationLogEntry.objects.get(comment=held, to_status="approved").misfire
    another = submit(make_article(), body="Encore une arnaque ?", email="b@example.org")
    assert another.status == Comment.Status.SPAM
    assert "Mot interdit (1)" in client.get(QUEUE, {"show": "held"}).content.decode()


def test_reject_with_a_reason_from_the_queue_and_undo_it(moderator):
    comment = make_comment(status=Comment.Status.PENDING)
    client = desk(moderator)
    reject = reverse("admin:comments_comment_decide", args=[comment.pk, "reject"])
    form = rendered_form(client.get(QUEUE), reject).update(reason="advertising")
    answer = form.submit(client, HTTP_X_REQUESTED_WITH="fetch")  # as the queue's script sends it
    assert answer.json()["ok"] and answer.json()["undo"]
    comment.refresh_from_db()
    assert (comment.status, comment.reason) == ("rejected", "advertising")
    assert "Publicité" in Client().get(follow_url(comment)).content.decode()
    client.post(answer.json()["undo"])
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.log.last().note == "annulé"


def test_redact_before_publishing_keeps_the_original_in_the_log(moderator):
    article = make_article()
    comment = make_comment(article, status="pending", body="Appelez-moi au 06 12 34 56 78.")
    client = desk(moderator)
    client.post(
        reverse("admin:comments_comment_act", args=[comment.pk, "redact"]),
        {"body": "Appelez-moi."},
    )
    client.post(reverse("admin:comments_comment_decide", args=[comment.pk, "approve"]))
    public = Client().get(article.get_absolute_url()).content.decode()
    assert "Appelez-moi." in public and "06 12 34" not in public
    assert "06 12 34 56 78" in comment.log.get(note__startswith="texte modifié").note


def test_block_a_domain_from_the_card_holds_its_subdomains_too(moderator):
    comment = make_comment(status="pending", email="robot@spam.example")
    desk(moderator).post(reverse("admin:comments_comment_act", args=[comment.pk, "block-domain"]))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert BlockedSender.objects.filter(value="spam.example").exists()
    later = submit(make_article(), email="x@mail.spam.example", body="Un autre essai.")
    assert later.status == Comment.Status.SPAM
    assert later.spam_reason == french("Expéditeur bloqué : domaine spam.example")


def test_a_moderator_who_blocks_a_sender_sees_the_block_list_and_undoes_the_block(moderator):
    comment = make_comment(status="pending", email="lea@bureau.example")
    client = desk(moderator)
    block = reverse("admin:comments_comment_act", args=[comment.pk, "block-address"])
    assert rendered_form(client.get(QUEUE), block).submit(client).status_code == HTTPStatus.FOUND
    assert submit(make_article(), email="lea@bureau.example").status == Comment.Status.SPAM
    blocks = client.get(reverse("admin:comments_blockedsender_changelist"))
    assert blocks.status_code == HTTPStatus.OK
    assert "lea@bureau.example" in blocks.content.decode()
    entry = BlockedSender.objects.get()
    undo = client.get(reverse("admin:comments_blockedsender_delete", args=[entry.pk]))
    assert rendered_form(undo).submit(client).status_code == HTTPStatus.FOUND
    assert not BlockedSender.objects.exists()
    later = submit(make_article(), email="lea@bureau.example", body="Je reviens, courtoise.")
    assert later.status == Comment.Status.PENDING
    # The block list is theirs to read and undo, not to fill by hand.
    assert client.get(reverse("admin:comments_blockedsender_add")).status_code == 403


def test_editors_moderate_too(editor):
    comment = make_comment(status="pending")
    client = desk(editor)
    assert client.get(QUEUE).status_code == HTTPStatus.OK
    client.post(reverse("admin:comments_comment_decide", args=[comment.pk, "approve"]))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_moderators_get_one_digest_every_few_minutes_for_their_sections(moderator):
    maritime = make_tag("Maritime")
    sailor = make_user("marin", group="Moderators", email="marin@newsroom.example")
    make_policy(maritime, moderators=[sailor])
    sea, land = make_article(tags=[maritime]), make_article()
    old = submit(land, body="Un vieux commentaire en attente.")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    submit(sea, body="Sur le port.", email="a@example.org")
    assert moderators_digest() == 2
    outbox_send()
    by_address = {tuple(m.to): m for m in mail.outbox}
    assert set(by_address) == {("moderatrice@newsroom.example",), ("marin@newsroom.example",)}
    # The section that names a moderator tells only them; the others tell everyone.
    general = by_address[("moderatrice@newsroom.example",)]
    assert general.subject == french("1 commentaire à modérer, dont 1 depuis plus de 2 h")
    sailor_mail = by_address[("marin@newsroom.example",)]
    assert sailor_mail.subject == french("2 commentaires à modérer, dont 1 depuis plus de 2 h")
    assert "Sur le port." in sailor_mail.body and "Sur le port." not in general.body
    assert "http://127.0.0.1:8000/admin/comments/comment/queue/" in general.body
    submit(land, body="Arrivé juste après.", email="c@example.org")
    assert moderators_digest() == 0  # not five minutes yet
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert moderators_digest() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows locked across connections")
@pytest.mark.django_db(transaction=True)
def test_workers_finishing_together_send_one_digest(moderator, monkeypatch, settings):
    """Two processes look at the digest at the same moment (each after its response): one
    makes it, the other sends nothing, even with more waiting than one digest holds."""
    monkeypatch.setattr("comments.services.digest.DIGEST_MAX", 2)
    # Jobs queued, not run: the comments below must not have their digest made already.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    article = make_article()
    for n in range(4):
        submit(article, body=f"Avis numéro {n}.", email=f"lecteur{n}@example.org")
    inside, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            results["first"] = moderators_digest()
        finally:
            connection.close()

    thread = threading.Thread(target=first)

    def held(sender, instance, **kwargs):
        """The first process, stopped halfway through its digest: its first mail queued."""
        if threading.current_thread() is thread and instance.kind == "digest":
            inside.set()
            release.wait(10)

    post_save.connect(held, sender=OutgoingMail, dispatch_uid="test-digest-held")
    try:
        thread.start()
        assert inside.wait(10)
        results["second"] = moderators_digest()
    finally:
        release.set()
        thread.join(10)
        post_save.disconnect(sender=OutgoingMail, dispatch_uid="test-digest-held")
    assert results == {"first": 2, "second": 0}
    assert list(OutgoingMail.objects.filter(kind="digest").values_list("to", flat=True)) == [
        ["moderatrice@newsroom.example"]
    ]


def test_the_log_reads_in_french_filters_and_exports(moderator):
    comment = make_comment(status="pending", body="Au journal.")
    comment_approve(comment=comment, moderator=moderator)
    comment_reject(comment=comment, moderator=moderator, reason="off_topic")
    client = desk(moderator)
    page = client.get(reverse("admin:comments_moderationlogentry_changelist")).content.decode()
    assert "Approuvé → Refusé" in page and "En attente → Approuvé" in page
    export = client.get(
        reverse("admin:comments_moderationlogentry_export"), {"actor__id__exact": moderator.pk}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:3] == ["when", "comment", "story"]
    assert {row[5] for row in rows[1:]} == {"Approuvé", "Refusé"}


def test_regular_commenters_are_published_at_once_where_the_section_allows(moderator):
    trusting = make_tag("Start-up")
    make_policy(trusting, premoderation="trusted", trusted_after=2)
    article = make_article(tags=[trusting])
    for _ in range(2):
        make_comment(email="habitue@example.org", status="approved")
    regular = submit(article, email="habitue@example.org", body="Publié aussitôt.")
    assert (regular.status, regular.unreviewed) == ("approved", True)
    assert "Publié aussitôt." in Client().get(article.get_absolute_url()).content.decode()
    listed = desk(moderator).get(QUEUE, {"show": "unreviewed"}).content.decode()
    assert "Publié aussitôt." in listed
    newcomer = submit(article, email="nouveau@example.org", body="Un nouveau venu.")
    assert newcomer.status == Comment.Status.PENDING
    BannedWord.objects.create(word="arnaque")
    tripped = submit(article, email="habitue@example.org", body="Une arnaque, vraiment.")
    assert tripped.status == Comment.Status.SPAM  # the rule still holds a regular
    strict = make_article(tags=[trusting, make_tag("Export")])  # the strictest policy wins
    assert submit(strict, email="habitue@example.org").status == Comment.Status.PENDING


def test_a_section_closes_comments_some_days_after_publication(client):
    closing = make_tag("Tourisme")
    make_policy(closing, close_after_days=7)
    old = make_article(tags=[closing], published_at=timezone.now() - timedelta(days=8))
    fresh = make_article(tags=[closing], published_at=timezone.now() - timedelta(days=1))
    assert "Les commentaires sont fermés" in client.get(old.get_absolute_url()).content.decode()
    assert 'id="comment-form"' in client.get(fresh.get_absolute_url()).content.decode()
    response = client.post(reverse("comments:post", args=[old.slug]), comment_data(old))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Comment.objects.exists()


def test_the_count_per_section_in_sql_matches_the_orms():
    export, port = make_tag("Export"), make_tag("Port")
    both = make_article(tags=[export, port])
    only_export = make_article(tags=[export])
    make_article(tags=[port])  # nothing waiting
    untagged = make_article()
    for article, waiting in ((both, 2), (only_export, 3), (untagged, 1)):
        for _ in range(waiting):
            make_comment(article, status=Comment.Status.PENDING)
    make_comment(both, status=Comment.Status.APPROVED)
    orm = list(
        Comment.objects.pending()
        .filter(article__tags__isnull=False)
        .values("article__tags__slug", "article__tags__name")
        .annotate(count=Count("id"))
        .order_by("article__tags__name")
    )
    assert Comment.objects.waiting_per_section() == orm
    assert [(row["article__tags__name"], row["count"]) for row in orm] == [
        ("Export", 5),
        ("Port", 2),
    ]


def test_a_name_that_reverses_text_is_isolated_on_the_page_in_the_queue_and_in_mail(moderator):
    reversing = "Zoé\u202e moc.elpmaxe"  # U+202E: what follows it reads right to left
    article = make_article()
    make_comment(article, name=reversing)
    submit(article, name=reversing, body="Un avis\u202e inversé.", email="z@example.org")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert f"<bdi>{reversing}</bdi>" in page
    assert f"<bdi>{reversing}</bdi>" in desk(moderator).get(QUEUE).content.decode()
    moderators_digest()
    outbox_send()
    (digest,) = mail.outbox
    assert f"\u2068{reversing}\u2069" in digest.body
    assert "\u2068Un avis\u202e inversé.\u2069" in digest.body
