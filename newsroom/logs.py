"""Log records as a person on call wants them."""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.db import InterfaceError, OperationalError


class OneLineClientErrors(logging.Filter):
    """A refused request (403, 404, 400) is one line, not a traceback: those would bury the
    errors that matter. While the database is away, each 503 is one line with a count too."""

    database_errors = 0

    def filter(self, record):
        status = getattr(record, "status_code", None)
        error = record.exc_info[1] if record.exc_info else None
        if status is not None and status < 500:
            record.exc_info, record.exc_text = None, None
        elif isinstance(error, (OperationalError, InterfaceError)):
            OneLineClientErrors.database_errors += 1
            message = record.getMessage()
            record.msg = "%s (database unavailable: %s; %d so far)"
            record.args = (message, error, OneLineClientErrors.database_errors)
            record.exc_info, record.exc_text = None, None
        return True


# --- One JSON line per record (LOG_FORMAT=json, production's default) -----------------

_request_id = contextvars.ContextVar("request_id", default=None)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])", re.I)
_REQUEST_ID = re.compile(r"^[\w.-]{1,64}$")
# What a record carries beyond the standard attributes, written as fields of its line.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def scrub(text: str) -> str:
    """No address in a log line: email and IP addresses masked."""
    text = _IPV4.sub("[ip]", _EMAIL.sub("[email]", text))
    # An IPv6 address has "::" or at least four colons: "12:30:45" is a time, kept.
    return _IPV6.sub(lambda m: "[ip]" if "::" in m[0] or m[0].count(":") >= 4 else m[0], text)


class RequestIdFilter(logging.Filter):
    """Every record of a request carries its id (X-Request-ID, newsroom.logs)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", ...extra fields}, one line, with
    email and IP addresses masked wherever they appear."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                line[name] = (
                    value if isinstance(value, int | float | bool | None) else scrub(str(value))
                )
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The development console's lines, addresses masked as in production."""

    def format(self, record):
        return scrub(super().format(record))


def _query_shape(request) -> str:
    """The query string with its values left out (a search, an address may be in them), but
    for numbers (a page)."""
    if not request.GET:
        return ""
    parts = [f"{k}={v if v.isdigit() else '…'}" for k, v in request.GET.items()]
    return "?" + "&".join(parts)


QUIET_PATHS = ("/healthz", "/readyz", "/metrics", "/static/", "/favicon.ico")
requests_log = logging.getLogger("newsroom.requests")


class RequestLogMiddleware:
    """One line per request (method, path, status, duration, user id, request id), and the
    request id in the response: the proxy's X-Request-ID when it sends one, else a new one.
    Probes and static files that succeed are not logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if not (request.path.startswith(QUIET_PATHS) and response.status_code < 400):
                user = getattr(request, "user", None)
                requests_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path + _query_shape(request),
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                    },
                )
            return response
        finally:
            _request_id.reset(token)


events_log = logging.getLogger("newsroom.events")


def event(name: str, **fields):
    """A business event, one line: a comment decision, an erasure, a login, a lockout, a job
    that failed. Fields are ids and states, never an address."""
    events_log.info(name, extra={"event": name, **fields})
