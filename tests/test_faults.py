import errno
import logging
import threading
from contextlib import contextmanager
from http import HTTPStatus
from io import StringIO

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.services import ModerationConflict, comment_approve, comment_reject
from newsroom.models import OutgoingMail
from tests.factories import comment_data, image_upload, make_article, make_comment
from tests.servers import HangingServer

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(monkeypatch, when=lambda sql: True):
    """Every matching query fails as if PostgreSQL had gone away."""
    original = CursorWrapper.execute

    def execute(self, sql, params=None):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    try:
        yield
    finally:
        monkeypatch.setattr(CursorWrapper, "execute", original)


def post_url(article):
    return reverse("comments:post", kwargs={"slug": article.slug})


def test_comment_posted_while_database_is_down_gets_503_with_text_kept(monkeypatch, article):
    client = Client(raise_request_exception=False)
    data = comment_data(article, name="Zoé", body="Mon avis <important>\nsur deux lignes.")
    with database_down(monkeypatch):
        response = client.post(post_url(article), data)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Réessayez dans un instant" in page
    assert "Mon avis &lt;important&gt;\nsur deux lignes.</textarea>" in page
    assert 'value="Zoé"' in page
    assert "Traceback" not in page
    assert not Comment.objects.exists()


def test_database_failing_mid_comment_stores_nothing_half(monkeypatch, article):
    client = Client(raise_request_exception=False)
    failing_log = lambda sql: sql.startswith('INSERT INTO "comments_moderationlogentry"')  # noqa: E731
    with database_down(monkeypatch, when=failing_log):
        response = client.post(post_url(article), comment_data(article))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert not Comment.objects.exists()


@pytest.mark.parametrize("url", ["/", "/tags/export/", "/recherche/?q=export", "/flux/rss/"])
def test_reading_pages_answer_503_while_database_is_down_then_recover(monkeypatch, url):
    make_article()
    client = Client(raise_request_exception=False)
    with database_down(monkeypatch):
        response = client.get(url)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    assert "Réessayez dans un instant" in response.content.decode()
    assert client.get("/").status_code == HTTPStatus.OK


@pytest.fixture
def hanging_server():
    server = HangingServer()
    yield server
    server.close()


@pytest.mark.django_db(transaction=True)
def test_a_hanging_mail_server_never_holds_a_web_worker(
    settings, hanging_server, caplog, worker_in_tests
):
    """Real commits, the jobs in the database as in production: the request queues the
    moderators' alert and never connects to the mail server; the worker does, fails after
    EMAIL_TIMEOUT, and the mail waits for its next try."""
    from tests.factories import make_user

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_user("veille", group="Moderators", email="veille@newsroom.example")
    article = make_article()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hanging_server.port
    settings.EMAIL_TIMEOUT = 1
    response = Client().post(post_url(article), comment_data(article), follow=True)
    assert "Merci pour votre commentaire" in response.content.decode()
    assert Comment.objects.filter(status="pending").count() == 1
    assert hanging_server.accepted == []  # the web worker never called the mail server
    with caplog.at_level(logging.WARNING):
        call_command("worker", once=True, stdout=StringIO())
    assert len(hanging_server.accepted) == 1
    assert "Could not send mail" in caplog.text
    queued = OutgoingMail.objects.get()
    assert queued.sent_at is None and queued.attempts == 1 and queued.next_attempt_at


def test_a_queued_alert_is_sent_once_by_the_scheduled_job(moderator, worker_in_tests):
    from comments.services import comment_submit

    comment = comment_submit(
        article=make_article(), name="Paul", email="p@example.org", body="Un avis.", ip_address=""
    )
    call_command("send_outbox", stdout=StringIO())
    call_command("send_outbox", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert comment.body in mail.outbox[0].body


@pytest.fixture
def breaker_closed():
    """The process's Redis breaker, closed before and after: tests do not share an outage."""
    from newsroom.rediscache import BREAKER

    BREAKER.close()
    yield BREAKER
    BREAKER.close()


def redis_at(settings, port, timeout=0.2):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.rediscache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        },
    }


def test_a_hanging_redis_costs_one_timeout_then_is_skipped_until_it_answers(
    settings, hanging_server, breaker_closed
):
    """A Redis that accepts connections and never answers: the first cache call waits its
    timeout and opens the breaker; the pages after it never touch the network; once the
    breaker's time is up, one call tries Redis again."""
    import time_machine
    from django.utils import timezone

    redis_at(settings, hanging_server.port)
    article = make_article()
    client = Client(raise_request_exception=True)
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK
    assert breaker_closed.current_state == "open"
    tried = len(hanging_server.accepted)
    assert tried == 1
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK
        assert client.get("/").status_code == HTTPStatus.OK
    assert len(hanging_server.accepted) == tried  # skipped: no connection, no wait
    later = timezone.now() + timezone.timedelta(seconds=settings.REDIS_RETRY_SECONDS + 1)
    with time_machine.travel(later):
        assert client.get("/").status_code == HTTPStatus.OK
    assert len(hanging_server.accepted) > tried  # tried again, once its time was up


def test_pages_and_comments_work_while_redis_is_down(settings, breaker_closed):
    redis_at(settings, 1, timeout=0.1)
    settings.COMMENT_RATE_LIMIT = 2
    article = make_article()
    client = Client(raise_request_exception=True)
    assert client.get("/").status_code == HTTPStatus.OK
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK
    statuses = [
        client.post(
            post_url(article), comment_data(article, body=f"Un avis différent n°{n}.")
        ).status_code
        for n in range(3)
    ]
    # Redis down: the limit is counted in this process instead, and still holds.
    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2


def media_files(media_root):
    return sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())


def change_with_new_image(client, article, upload):
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "image": upload,
        "image_alt": "Nouvelle image",
        "image_credit": "",
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "authors": [a.pk for a in article.authors.all()],
        "comments_open": "on",
        "language": "fr",
        "edit_version": article.edit_version,
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "body_images-TOTAL_FORMS": "0",
        "body_images-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data, follow=True
    )


def test_image_upload_on_a_full_disk_leaves_no_file_and_the_story_unchanged(
    client, editor, media_root, monkeypatch
):
    article = make_article(image=image_upload(), image_alt="Avant", authors=[editor])
    before = (article.image.name, article.image_renditions, media_files(media_root))
    original_save = FileSystemStorage._save

    def full_disk(self, name, content):
        if name.startswith("renditions/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return original_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    client.force_login(editor)
    response = change_with_new_image(client, article, image_upload("nouvelle.jpg", size=(900, 600)))
    assert "disque plein" in response.content.decode()
    article.refresh_from_db()
    assert (article.image.name, article.image_renditions, media_files(media_root)) == before


def test_damaged_image_is_refused_without_a_stray_file(client, editor, media_root):
    article = make_article(image=image_upload(), image_alt="Avant", authors=[editor])
    before = (article.image.name, media_files(media_root))
    whole = image_upload("abime.jpg", size=(1200, 800)).read()
    damaged = image_upload("abime.jpg")
    damaged.file.seek(0)
    damaged.file.truncate()
    damaged.file.write(whole[: len(whole) // 3])
    damaged.file.seek(0)
    damaged.size = len(whole) // 3
    client.force_login(editor)
    response = change_with_new_image(client, article, damaged)
    page = response.content.decode()
    assert "image" in page and ("endommagé" in page or "lisible" in page)
    article.refresh_from_db()
    assert (article.image.name, media_files(media_root)) == before


def test_two_moderators_at_once_give_one_result_and_both_are_logged(moderator, editor):
    comment = make_comment(status=Comment.Status.PENDING)
    seen_by_first = Comment.objects.get(pk=comment.pk)
    seen_by_second = Comment.objects.get(pk=comment.pk)
    comment_approve(comment=seen_by_first, moderator=moderator)
    with pytest.raises(ModerationConflict):
        comment_reject(comment=seen_by_second, moderator=editor)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    log = list(comment.log.values_list("actor__username", "to_status", "note"))
    assert [(actor, status) for actor, status, _note in log] == [
        (moderator.username, "approved"),
        (editor.username, "approved"),
    ]
    assert "non appliqué" in log[1][2]


@pytest.mark.django_db(transaction=True)
def test_two_moderators_racing_on_postgres_get_one_result(moderator, editor):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    comment = make_comment(status=Comment.Status.PENDING)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(service, user):
        instance = Comment.objects.get(pk=comment.pk)
        barrier.wait()
        try:
            service(comment=instance, moderator=user)
            outcomes.append("applied")
        except ModerationConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(comment_approve, moderator)),
        threading.Thread(target=decide, args=(comment_reject, editor)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["applied", "conflict"]
    assert comment.log.count() == 2


def test_the_503_page_carries_the_site_header_menu_search_and_footer(monkeypatch):
    from tests.factories import make_tag

    make_article(tags=[make_tag("Export")])
    client = Client(raise_request_exception=False)
    client.get("/")  # the topic menu is now in the cache
    with database_down(monkeypatch):
        page = client.get("/tags/export/").content.decode()
    assert 'role="search"' in page
    assert '<a href="/tags/export/">Export</a>' in page
    assert 'class="site-footer"' in page and 'hreflang="en"' in page
