"""Errors reported to a Sentry-compatible service carry no personal data."""

import json

import pytest
import sentry_sdk
from django.test import Client, override_settings
from sentry_sdk.transport import Transport

from newsroom import sentry

pytestmark = pytest.mark.django_db


class Captured(Transport):
    """A transport that keeps what would have been sent."""

    def __init__(self, options=None):
        super().__init__(options)
        self.sent = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            self.sent.append(item.payload.json or json.loads(item.payload.get_bytes()))


@pytest.fixture
def reported():
    transport = Captured()
    sentry.init("https://public@sentry.example/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


@override_settings(ROOT_URLCONF="tests.failing_urls", DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_is_reported_without_personal_data(reported):
    client = Client(raise_request_exception=False, REMOTE_ADDR="203.0.113.7")
    client.cookies["sessionid"] = "secret-session-key"
    response = client.post(
        "/boom/?email=jeanne@example.org",
        {"email": "jeanne@example.org"},
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    events = [e for e in reported.sent if e.get("exception")]
    assert events, reported.sent
    event = json.dumps(events[0])
    assert "ValueError" in event and "no subscriber [email] from [ip]" in event
    assert "jeanne" not in event and "203.0.113.7" not in event
    assert "secret-session-key" not in event
    # The form's data, the cookies, the query string and the client's address stay home.
    request = events[0]["request"]
    assert not {"data", "cookies", "query_string", "env"} & set(request)
    assert set(request.get("headers", {})) <= {"User-Agent", "Accept-Language", "X-Request-Id"}


def test_a_request_as_the_wsgi_handler_reports_it_keeps_only_its_address_and_method():
    event = sentry.before_send(
        {
            "request": {
                "url": "https://newsroom.example/mes-commentaires/?email=a@example.org",
                "method": "POST",
                "query_string": "email=a@example.org",
                "headers": {
                    "User-Agent": "Firefox",
                    "Cookie": "sessionid=s3cret",
                    "X-Forwarded-For": "203.0.113.7",
                },
                "cookies": {"sessionid": "s3cret"},
                "env": {"REMOTE_ADDR": "203.0.113.7"},
            },
            "user": {"id": 12, "ip_address": "203.0.113.7", "email": "a@example.org"},
            "server_name": "web-1",
        },
        None,
    )
    assert event == {
        "request": {
            "method": "POST",
            "url": "https://newsroom.example/mes-commentaires/",
            "headers": {"User-Agent": "Firefox"},
        },
        "user": {"id": 12},
    }
