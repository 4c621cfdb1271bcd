from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsroom.http import client_ip
from tests.factories import comment_data, make_article, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("admin:login")


@pytest.mark.parametrize("url", ["/", "/robots.txt", "/admin/login/", "/recherche/?q=export"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["script-src"].startswith("'self'")
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_story_page_has_no_inline_script(client):
    page = client.get(make_article().get_absolute_url()).content.decode()
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or 'type="application/ld+json"' in opening


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_admin_login_locks_a_username_from_one_address_at_the_fifth_failure():
    make_user("moderatrice", is_staff=True)
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(4):
        assert login(attacker, "moderatrice", "wrong").status_code == HTTPStatus.OK
    assert login(attacker, "moderatrice", "wrong").status_code == HTTPStatus.TOO_MANY_REQUESTS
    locked = login(attacker, "moderatrice", "correct horse battery staple")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Trop de tentatives" in locked.content.decode()


def test_lockout_does_not_reveal_whether_the_username_exists():
    make_user("moderatrice", is_staff=True)
    answers = []
    for username in ("moderatrice", "personne"):
        client = Client(REMOTE_ADDR="203.0.113.67")
        failures = [login(client, username, "wrong") for _ in range(5)]
        answers.append(
            (
                [f.status_code for f in failures],
                failures[0].context["form"].errors.as_text(),
                login(client, username, "x").status_code,
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][2] == HTTPStatus.TOO_MANY_REQUESTS


def test_lockout_does_not_stop_the_moderator_elsewhere_and_ends_after_the_cool_off():
    make_user("moderatrice", is_staff=True)
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        login(attacker, "moderatrice", "wrong")
    office = Client(REMOTE_ADDR="198.51.100.20")
    assert login(office, "moderatrice", "correct horse battery staple").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(attacker, "moderatrice", "correct horse battery staple").status_code == 302


def test_password_spraying_from_one_address_is_locked_out_there_only(settings):
    """Four wrong passwords on each of five accounts (never five on one): the address is
    locked out across accounts; a colleague elsewhere still logs in."""
    names = [f"redaction{n}" for n in range(5)]
    for name in names:
        make_user(name, is_staff=True)
    sprayer = Client(REMOTE_ADDR="203.0.113.70")
    answers = [login(sprayer, name, f"essai{n}").status_code for n in range(4) for name in names]
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert answers[: limit - 1] == [HTTPStatus.OK] * (limit - 1)
    assert set(answers[limit:]) == {HTTPStatus.TOO_MANY_REQUESTS}
    right = login(sprayer, "redaction0", "correct horse battery staple")
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS
    elsewhere = Client(REMOTE_ADDR="198.51.100.21")
    assert login(elsewhere, "redaction0", "correct horse battery staple").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(sprayer, "redaction1", "correct horse battery staple").status_code == 302


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_header_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_header_is_read_from_the_right_behind_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote a fake first hop; our proxy appended the address it really saw.
    request = request_from("10.0.0.5", "1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(request_from("10.0.0.5", "203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_malformed_forwarded_header_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request_from("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_rotating_forwarded_for_does_not_escape_the_rate_limit(settings):
    settings.COMMENT_RATE_LIMIT = 3
    settings.TRUSTED_PROXIES = []
    article = make_article()
    url = reverse("comments:post", kwargs={"slug": article.slug})
    statuses = [
        Client(REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        .post(url, comment_data(article, body=f"Message différent numéro {n}."))
        .status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]


def test_a_refused_request_is_one_log_line_even_in_development(client, settings):
    import io
    import logging

    from tests.factories import make_comment, make_user

    settings.DEBUG = True  # as ./dev serve runs
    client.force_login(make_user("moderation", group="Moderators"))
    answer = reverse("admin:comments_comment_answer", args=[make_comment().pk])
    # What the site's log handlers (Django's own, ours) print, in a buffer.
    logged = io.StringIO()
    handlers = {
        handler
        for name in ("django.request", "django", "")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    }
    streams = {handler: handler.setStream(logged) for handler in handlers}
    try:
        assert client.post(answer, {"body": "Non."}).status_code == HTTPStatus.FORBIDDEN
    finally:
        for handler, stream in streams.items():
            handler.setStream(stream)
    assert logged.getvalue().count("Forbidden (Permission denied)") == 1, logged.getvalue()
    assert "Traceback" not in logged.getvalue()
