"""The job worker (manage.py worker) on the database backend, as in production: web
requests queue mail and never talk to the mail server; the worker sends it, queues the
periodic jobs on their schedule, and keeps each job's result for the admin."""

from http import HTTPStatus
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from newsroom.management.commands.worker import queue_what_is_due
from tests.factories import make_article, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_jobs(settings, worker_in_tests):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_web_request_queues_mail_and_the_worker_sends_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    make_user("moderatrice", group="Moderators", email="moderatrice@example.org")
    article = make_article()
    sent_during_requests = []
    real_send = mail.EmailMessage.send

    def watched(message, *args, **kwargs):
        sent_during_requests.append(message.subject)
        return real_send(message, *args, **kwargs)

    reader = Client()
    with time_machine.travel(timezone.now() - timezone.timedelta(seconds=10)):
        form = rendered_form(reader.get(article.get_absolute_url() + "?formulaire"), "comment-form")
    form.update(name="Léa", email="lea@example.org", body="Un avis sur le port.")
    monkeypatch.setattr(mail.EmailMessage, "send", watched)
    with django_capture_on_commit_callbacks(execute=True):
        assert form.submit(reader).status_code == HTTPStatus.FOUND
    assert sent_during_requests == []  # the web worker queued, and sent nothing
    assert Comment.objects.get().status == Comment.Status.PENDING
    call_command("worker", once=True, stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["moderatrice@example.org"]]
    assert DBTaskResult.objects.successful().filter(task_path__endswith="digest_job").exists()


def test_the_schedule_queues_each_periodic_job_once_per_period(settings):
    settings.TASK_SCHEDULE = {"newsroom.mail.send_mail": 60, "comments.tasks.purge": 86400}
    assert sorted(queue_what_is_due()) == ["comments.tasks.purge", "newsroom.mail.send_mail"]
    assert queue_what_is_due() == []  # already queued in this period
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert queue_what_is_due() == ["newsroom.mail.send_mail"]


def test_a_failed_job_shows_its_error_in_the_admin(settings, monkeypatch):
    settings.TASK_SCHEDULE = {}

    def broken(**kwargs):
        raise RuntimeError("la base des lectures est verrouillée")

    monkeypatch.setattr("articles.tasks.readings_compact", broken)
    from articles.tasks import fold_readings

    fold_readings.enqueue()
    call_command("worker", once=True, stdout=StringIO())
    failed = DBTaskResult.objects.failed().get()
    admin = Client()
    admin.force_login(make_user("racine", is_superuser=True, is_staff=True))
    page = admin.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "la base des lectures est verrouillée" in page.content.decode()


def test_the_nightly_backup_keeps_its_days_and_always_the_newest(settings, tmp_path, monkeypatch):
    from newsroom import tasks

    settings.BACKUP_DIR, settings.BACKUP_KEEP_DAYS = str(tmp_path), 14
    made = []

    def backup(name, folder):  # the real one writes a dump; its folder is what counts here
        path = tmp_path / timezone.now().strftime("newsroom-%Y%m%d-%H%M%S")
        path.mkdir()
        made.append(path)

    monkeypatch.setattr(tasks, "call_command", backup)
    for days_ago in (30, 15, 13):
        with time_machine.travel(timezone.now() - timezone.timedelta(days=days_ago)):
            tasks.backup.call()
    # Each run counts from its own day: 13 days ago, the one of 30 days ago was 17 days old.
    assert sorted(tmp_path.iterdir()) == [made[1], made[2]]
    tasks.backup.call()
    assert sorted(tmp_path.iterdir()) == [made[2], made[3]]  # 15 days old: gone
