import functools
import logging
import sys
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsroom import ratelimit
from newsroom.http import client_network

logger = logging.getLogger(__name__)
ONE_YEAR = 365 * 24 * 3600


def favicon(request):
    """The site's icon where browsers look for it unasked (admin pages, feeds)."""
    return HttpResponsePermanentRedirect(static("img/logo.png"))


def choose_language(request, code):
    """Remember the reader's interface language, then go back where they were."""
    if code not in {language for language, _name in settings.LANGUAGES}:
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@functools.cache
def _language_targets():
    return [
        (
            code,
            capfirst(get_language_info(code)["name_local"]),
            reverse("choose_language", args=[code]),
        )
        for code, _name in settings.LANGUAGES
    ]


def language_links(request) -> list[dict]:
    """The footer's language switch: each language, and for the others a link that comes
    back to this page."""
    current = get_language()
    back = urlencode({"next": request.get_full_path()})
    return [
        {"code": code, "name": name, "url": None if code == current else f"{url}?{back}"}
        for code, name, url in _language_targets()
    ]


def server_error(request):
    """500, or 503 when the database is away: neither page needs the database to render."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return service_unavailable(request)
    context = {"language_links": language_links(request)}
    return HttpResponseServerError(render_to_string("errors/500.html", context))


def service_unavailable(request):
    context = {
        "retry_url": request.get_full_path(),
        "csrf_token": get_token(request),
        "language_links": language_links(request),
    }
    match = request.resolver_match
    if request.method == "POST" and match and match.view_name == "comments:post":
        # The reader's text comes back to them, ready to send again.
        context["comment"] = {
            "action": request.path,
            "name": request.POST.get("name", ""),
            "email": request.POST.get("email", ""),
            "body": request.POST.get("body", ""),
            "issued": request.POST.get("issued", ""),
        }
        context["retry_url"] = reverse("articles:detail", kwargs=match.kwargs)
    response = HttpResponse(render_to_string("errors/503.html", context), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def security_txt(request):
    """RFC 9116: where to report a security problem."""
    expires = (timezone.now() + timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires}",
        "Preferred-Languages: fr, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@csrf_exempt  # browsers send these reports on their own, with no token
@require_POST
def csp_report(request):
    """Content-Security-Policy violations reported by browsers: logged, a few a minute per
    client at most, so a page stuck in a loop (or a flood) cannot fill the logs."""

    if ratelimit.allow(f"csp:{client_network(request)}", limit=10, window=60):
        report = request.body[:2000].decode("utf-8", "replace")
        logger.warning("CSP violation reported: %s", " ".join(report.split()))
    return HttpResponse(status=204)
