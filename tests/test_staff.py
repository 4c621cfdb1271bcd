"""Staff accounts: the second factor, sessions that end, and who may change which story."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from newsroom.typography import french
from tests.factories import make_article, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def second_factor_required(settings):
    settings.STAFF_2FA_REQUIRED = True


def logged_in(username="plume", group="Editors"):
    user = make_user(username, group=group)
    client = Client()
    form = rendered_form(client.get(reverse("admin:login")))
    response = form.update(username=username, password=PASSWORD).submit(client)
    assert response.status_code == HTTPStatus.FOUND
    return client, user


def code_for(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/articles/article/", "/admin/comments/comment/queue/", "/admin/auth/user/"],
)
def test_without_the_second_factor_no_admin_page_opens(url):
    client, _user = logged_in()
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("two_factor"))


def test_enrolment_then_recovery_codes_then_the_admin():
    client, user = logged_in()
    response = client.get(reverse("two_factor") + "?next=/admin/")
    page = response.content.decode()
    assert "<svg" in page and "scannant ce code" in page
    assert "<title>Second facteur | Newsroom</title>" in page
    assert french("Newsroom : la rédaction") in page and "Django" not in page
    form = rendered_form(response)
    response = form.update(code=code_for(user)).submit(client)
    assert "Django" not in response.content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == HTTPStatus.OK
    # Next time, a recovery code works, once.
    again, _ = Client(), None
    again.post(reverse("admin:login"), {"username": "plume", "password": PASSWORD})
    assert again.post(reverse("two_factor"), {"code": codes[0]}).status_code == HTTPStatus.FOUND
    assert again.get("/admin/").status_code == HTTPStatus.OK
    third = Client()
    third.post(reverse("admin:login"), {"username": "plume", "password": PASSWORD})
    third.post(reverse("two_factor"), {"code": codes[0]})
    assert third.get("/admin/").status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("unpublished", ["draft", "scheduled"])
def test_a_password_alone_opens_no_preview_of_an_unpublished_story(unpublished):
    client, user = logged_in("plume", group="Editors")
    story = make_article(
        title="Pas encore en ligne",
        status=Article.Status.DRAFT if unpublished == "draft" else Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
        authors=[user],
    )
    response = client.get(story.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Pas encore en ligne" not in response.content.decode()
    form = rendered_form(client.get(reverse("two_factor")))
    form.update(code=code_for(user)).submit(client)
    preview = client.get(story.get_absolute_url())
    assert preview.status_code == HTTPStatus.OK
    assert "Pas encore en ligne" in preview.content.decode()


def test_wrong_codes_lock_the_account_like_wrong_passwords():
    client, user = logged_in()
    client.get(reverse("two_factor"))
    TOTPDevice.objects.filter(user=user).update(confirmed=True)
    statuses = [
        client.post(reverse("two_factor"), {"code": "000000"}).status_code for _ in range(6)
    ]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS
    # Locked out even with the right code now.
    assert client.post(reverse("two_factor"), {"code": code_for(user)}).status_code == 429


def test_an_idle_staff_session_ends(settings):
    settings.STAFF_2FA_REQUIRED = False
    client, _user = logged_in()
    assert client.get("/admin/").status_code == HTTPStatus.OK
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_session_ends_after_a_day_however_busy(settings):
    settings.STAFF_2FA_REQUIRED = False
    client, _user = logged_in()
    for hours in range(0, 25, 1):
        with time_machine.travel(timezone.now() + timedelta(hours=hours, minutes=1)):
            response = client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND


def test_taking_a_second_factor_away_ends_every_session_of_the_account():
    client, user = logged_in()
    client.get(reverse("two_factor"))  # enrols the app
    client.post(reverse("two_factor"), {"code": code_for(user)})
    assert client.get("/admin/").status_code == HTTPStatus.OK
    assert Session.objects.count() == 1
    TOTPDevice.objects.filter(user=user).delete()
    assert Session.objects.count() == 0
    assert client.get("/admin/").status_code == HTTPStatus.FOUND


def test_an_administrator_resets_a_lost_second_factor_from_the_account(settings):
    client, user = logged_in("perdu")
    client.get(reverse("two_factor"))
    client.post(reverse("two_factor"), {"code": code_for(user)})
    assert client.get("/admin/").status_code == HTTPStatus.OK
    chief = make_user("cheffe", is_staff=True, is_superuser=True)
    settings.STAFF_2FA_REQUIRED = False
    admin_client = Client()
    admin_client.force_login(chief)
    page = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
        follow=True,
    ).content.decode()
    assert french("1 compte enregistrera de nouveau son application") in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    # django-otp's own device pages (English only) are not in the admin.
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == HTTPStatus.NOT_FOUND
    settings.STAFF_2FA_REQUIRED = True
    assert client.get("/admin/").status_code == HTTPStatus.FOUND  # signed out


def test_a_journalist_changes_only_their_own_stories(settings):
    settings.STAFF_2FA_REQUIRED = False
    client, journalist = logged_in("camille", group="Journalists")
    own = make_article(authors=[journalist])
    colleague = make_article(authors=[make_user("julien", group="Journalists")])
    change = lambda a: reverse("admin:articles_article_change", args=[a.pk])  # noqa: E731
    assert 'name="title"' in client.get(change(own)).content.decode()
    page = client.get(change(colleague))
    assert page.status_code == HTTPStatus.OK and 'name="title"' not in page.content.decode()
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [colleague.pk]},
    )
    assert Article.objects.get(pk=colleague.pk).status == Article.Status.PUBLISHED


def test_an_account_page_shows_its_last_logins(settings):
    _client, user = logged_in("plume")
    Client().post(
        reverse("admin:login"),
        {"username": "plume", "password": PASSWORD},
        HTTP_USER_AGENT="Navigateur de la rédaction",
        REMOTE_ADDR="198.51.100.7",
    )
    chief = make_user("cheffe", is_staff=True, is_superuser=True)
    settings.STAFF_2FA_REQUIRED = False
    admin_client = Client()
    admin_client.force_login(chief)
    page = admin_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert french("Dernières connexions") in page
    table = page.split('class="recent-logins"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3  # the head and two logins
    assert "198.51.100.7" in table and "Navigateur de la rédaction" in table
    newcomer = make_user("recrue", is_staff=True)
    fresh = admin_client.get(reverse("admin:auth_user_change", args=[newcomer.pk]))
    fresh = fresh.content.decode()
    assert french("Aucune connexion enregistrée pour l’instant.") in fresh
