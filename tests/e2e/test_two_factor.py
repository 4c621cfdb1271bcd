"""A staff member's first login with the second factor on, in Chromium."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_login_enrols_the_app_then_opens_the_admin(live_server, open_context, settings):
    settings.STAFF_2FA_REQUIRED = True
    user = make_user("camille", group="Editors")
    page = open_context(language="fr")
    page.goto(live_server.url + "/admin/articles/article/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    # No admin page without the second factor: the enrolment page instead.
    page.get_by_text("Votre compte a besoin d’un second facteur").wait_for()
    assert page.locator(".two-factor__qr svg").count() == 1
    device = TOTPDevice.objects.get(user=user)
    page.fill("#id_code", f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    page.get_by_role("button", name="Continuer").click()
    codes = page.locator(".two-factor__codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\w{8,}", code) for code in codes)
    page.get_by_role("link", name="Je les ai notés : continuer").click()
    assert page.url.endswith("/admin/articles/article/")
