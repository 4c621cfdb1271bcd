"""Errors to Sentry (or any service that takes a Sentry DSN), when SENTRY_DSN is set; off
otherwise. What leaves the server has no personal data: no cookies, no form data, no
query string, no headers but the browser's name, no client address, no user but its id,
and email and IP addresses masked in every message and value."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from .logs import scrub

KEPT_HEADERS = {"user-agent", "accept-language", "x-request-id"}


def _scrubbed(value):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


def before_send(event, hint):
    request = event.get("request")
    if request:
        event["request"] = {
            "method": request.get("method"),
            "url": (request.get("url") or "").split("?")[0],
            "headers": {
                k: v for k, v in (request.get("headers") or {}).items() if k.lower() in KEPT_HEADERS
            },
        }
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if user.get("id") else {}
    event.pop("server_name", None)
    for key in ("message", "logentry", "exception", "extra", "breadcrumbs", "contexts", "tags"):
        if key in event:
            event[key] = _scrubbed(event[key])
    return event


def init(dsn, *, environment="production", release=None, transport=None):
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        include_local_variables=False,  # a frame's variables may hold a reader's address
        before_send=before_send,
        before_breadcrumb=lambda crumb, hint: _scrubbed(crumb),
        traces_sample_rate=0,
        environment=environment,
        release=release,
        transport=transport,
    )
