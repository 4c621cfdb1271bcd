"""The outbox through a mail server outage: every mail backs off on its own, none starves
the others, none is given up without an alert, and the admin sends again what failed."""

import logging
import smtplib
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsroom.mail import ALERT_AFTER, mail_queue, outbox_send
from newsroom.models import OutgoingMail
from tests.factories import make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


class Outage:
    """A mail server that refuses every mail until back() is called."""

    def __init__(self, monkeypatch):
        self.tried, self.patch = [], monkeypatch

        def refuse(message, *args, **kwargs):
            self.tried.append(message.subject)
            raise smtplib.SMTPConnectError(421, "down")

        monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)

    def back(self):
        self.patch.undo()


@pytest.fixture
def outage(monkeypatch):
    return Outage(monkeypatch)


def run_every_minute(minutes, start):
    for minute in range(minutes):
        with time_machine.travel(start + timedelta(minutes=minute, seconds=1)):
            outbox_send()


def test_an_hour_of_outage_gives_no_mail_up_and_starves_none(outage, caplog):
    start = timezone.now()
    with time_machine.travel(start):
        for n in range(3):
            mail_queue(to=[f"lecteur{n}@example.org"], subject=f"Lien d’accès {n}", body="…")
    with caplog.at_level(logging.WARNING):
        run_every_minute(90, start)
    # Each mail was tried on its own clock (1, 2, 4 … minutes, then hourly), all three.
    assert set(outage.tried) == {f"Lien d’accès {n}" for n in range(3)}
    tries = {m.subject: m.attempts for m in OutgoingMail.objects.all()}
    assert min(tries.values()) >= ALERT_AFTER
    assert OutgoingMail.objects.filter(sent_at=None).count() == 3  # none given up
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "not sent after" in errors[0].getMessage()


def test_the_server_back_every_mail_goes_within_the_longest_wait(outage):
    start = timezone.now()
    with time_machine.travel(start):
        for n in range(3):
            mail_queue(to=[f"lecteur{n}@example.org"], subject=f"Lien {n}", body="…")
    run_every_minute(120, start)
    outage.back()
    run_every_minute(61, start + timedelta(minutes=120))
    assert OutgoingMail.objects.filter(sent_at=None).count() == 0
    assert sorted(m.subject for m in mail.outbox) == ["Lien 0", "Lien 1", "Lien 2"]


def test_a_failing_mail_is_shown_in_the_admin_and_sent_again_from_there(outage):
    start = timezone.now()
    with time_machine.travel(start):
        mail_queue(to=["lecteur@example.org"], subject="Votre lien d’accès", body="…")
    run_every_minute(90, start)
    admin = Client()
    admin.force_login(make_user("racine", is_superuser=True, is_staff=True))
    home = admin.get(reverse("admin:index")).content.decode()
    assert "1 mail n’a pas pu être envoyé après plusieurs essais." in home
    page = admin.get(reverse("admin:newsroom_outgoingmail_changelist"), {"state": "failing"})
    assert "Votre lien d’accès" in page.content.decode()
    form = rendered_form(page, "changelist-form")
    form.update(action="send_now", _selected_action=[str(OutgoingMail.objects.get().pk)])
    answer = form.submit(admin, "index", follow=True)
    assert answer.status_code == HTTPStatus.OK
    assert "1 mail sera réessayé dans un instant." in answer.content.decode()
    assert OutgoingMail.objects.get().next_attempt_at is None
    outage.back()
    assert outbox_send() == 1
    assert mail.outbox[0].subject == "Votre lien d’accès"
