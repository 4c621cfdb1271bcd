"""Staff accounts: a second factor at login, and sessions that end.

With STAFF_2FA_REQUIRED, a member of staff who has logged in with a password reaches no
admin page (not even by typing its address) before giving a code from an authenticator
app (TOTP, django-otp) or one of the recovery codes shown once at enrolment. The first
time, the page enrols the app. Wrong codes count as failed logins for django-axes, so the
same lockout covers both factors.
"""

import time
from urllib.parse import quote

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def _admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)


class StaffSessionMiddleware:
    """Ends staff sessions that sat idle or are older than a day, and keeps staff without
    their second factor out of the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            now, session = time.time(), request.session
            started = session.get("staff_login_at", now)
            seen = session.get("staff_seen_at", now)
            idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
            if now - seen > idle or now - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
                logout(request)
                login = reverse("admin:login")
                return redirect(f"{login}?next={quote(request.get_full_path())}")
            if now - seen > 30:  # not a session write on every request
                session["staff_seen_at"] = now
            open_paths = {reverse("two_factor"), reverse("admin:logout")}
            if (
                settings.STAFF_2FA_REQUIRED
                and not user.is_verified()
                and _admin_path(request.path)
                and request.path not in open_paths
            ):
                return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path())}")
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="newsroom.staff.login_time")
def _remember_login_time(sender, request, user, **kwargs):
    if user.is_staff and hasattr(request, "session"):
        request.session["staff_login_at"] = request.session["staff_seen_at"] = time.time()


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="newsroom.staff.reset")
def _second_factor_reset(sender, instance, **kwargs):
    """A second factor taken away (lost phone): every session of that account ends."""
    user_sessions_end(instance.user_id)


def second_factor_reset(user):
    """A lost phone: the account's authenticator and recovery codes go, its sessions end,
    and its next login enrols a new authenticator app."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    user_sessions_end(user.pk)


def user_sessions_end(user_id, *, keep=None):
    """End every session of an account (but `keep`, the current one)."""
    for session in Session.objects.all().iterator():
        if session.session_key != keep and session.get_decoded().get("_auth_user_id") == str(
            user_id
        ):
            session.delete()


def two_factor(request):
    """Ask for the second factor; the first time, enrol the authenticator app."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('admin:login')}?next={quote(request.get_full_path())}")
    if not user.is_staff:
        raise PermissionDenied
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("admin:index")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device, _created = (
        (None, False)
        if confirmed
        else TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": _("Authenticator app")}
        )
    )
    error = ""
    if request.method == "POST":
        code = "".join(request.POST.get("code", "").split())
        if device is not None and device.verify_token(code):  # enrolment confirmed
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            otp_login(request, device)
            context = {
                **_site_names(),
                "codes": codes,
                "next": target,
                "title": _("Your recovery codes"),
            }
            return TemplateResponse(request, "admin/two_factor_codes.html", context)
        matched = match_token(user, code) if confirmed else None
        if matched is not None:
            otp_login(request, matched)
            return redirect(target)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        error = _("This code is not right. Type the six digits your app shows now.")
    context = {
        **_site_names(),
        "title": _("Second factor"),
        "enrolling": device is not None,
        "error": error,
        "next": target,
    }
    if device is not None:
        import segno

        context["qr"] = mark_safe(segno.make(device.config_url).svg_inline(scale=4))  # noqa: S308
        secret = _base32(device.bin_key)
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return TemplateResponse(request, "admin/two_factor.html", context)


def _site_names():
    """The admin's own names for its pages' title and header (not Django's defaults)."""
    from django.contrib import admin

    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for code in codes:
        device.token_set.create(token=code)
    return codes
