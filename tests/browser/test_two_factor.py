"""A coordinator's first sign-in in a real Chromium: password, compulsory enrolment of an
authenticator app (QR code drawn by the site), recovery codes shown once; then a sign-in
with the app's code, and one with a recovery code. Logging out asks for confirmation.
The shared fixture fails the test on any CSP violation on these pages."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import totp_now
from tests.factories.learners import coordinator_user, counsellor_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def coordinator(settings):
    settings.ADMIN_2FA_REQUIRED_FOR_COORDINATORS = True
    user = coordinator_user()
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, live_server, user):
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()


def log_out(page, live_server):
    page.goto(live_server.url + "/admin/logout/")
    assert page.get_by_role("heading", name="Se déconnecter ?").is_visible()
    page.get_by_role("button", name="Me déconnecter").click()
    page.wait_for_url(re.compile(r"/admin/login/"))


def test_coordinator_enrols_then_signs_in_with_the_app_and_a_recovery_code(
    browser_page, live_server, coordinator
):
    page = browser_page
    sign_in(page, live_server, coordinator)

    # Compulsory enrolment, before any admin page.
    page.wait_for_url(re.compile(r"/admin/deux-facteurs/activation/"))
    assert page.locator(".qr-code svg").is_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Activer").click()
    page.get_by_role("alert").wait_for()
    assert_accessible(page)
    # django-otp makes the device wait a second after a wrong code: no need to wait here.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    page.get_by_label("Code de vérification").fill(totp_now(device))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Vos codes de secours").wait_for()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#main").is_visible()
    page.goto(live_server.url + "/admin/account/")
    assert page.url.endswith("/admin/account/")

    # A new sign-in asks for the app's code.
    log_out(page, live_server)
    sign_in(page, live_server, coordinator)
    page.wait_for_url(re.compile(r"/admin/deux-facteurs/verification/"))
    assert_accessible(page)
    page.get_by_label("Code de vérification").fill(totp_now(device, offset_steps=1))
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # Without the phone: a recovery code, once.
    log_out(page, live_server)
    sign_in(page, live_server, coordinator)
    page.wait_for_url(re.compile(r"/admin/deux-facteurs/verification/"))
    page.get_by_label("Code de vérification").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "il en reste 9" in page.content()

    log_out(page, live_server)
    sign_in(page, live_server, coordinator)
    page.get_by_label("Code de vérification").fill(codes[0])
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("alert").wait_for()
    assert "/admin/deux-facteurs/verification/" in page.url


def test_logout_link_opened_by_get_keeps_the_session(browser_page, live_server):
    counsellor = counsellor_user()  # 2FA is optional for counsellors
    counsellor.set_password(PASSWORD)
    counsellor.save()
    page = browser_page
    sign_in(page, live_server, counsellor)
    page.goto(live_server.url + "/admin/logout/")
    assert "déconnecté" not in page.locator("body").inner_text()
    assert "toujours connecté" in page.locator("body").inner_text()
    page.goto(live_server.url + "/admin/")
    assert "/admin/login/" not in page.url
    log_out(page, live_server)
    page.goto(live_server.url + "/admin/")
    assert "/admin/login/" in page.url
