"""Two-factor sign-in on the admin: coordinators must enrol before using it, others may;
codes of the authenticator app (TOTP) or single-use recovery codes; wrong codes throttled."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.factories.learners import coordinator_user, counsellor_user

from .conftest import totp_now

pytestmark = pytest.mark.django_db

ENROL = "/admin/deux-facteurs/activation/"
VERIFY = "/admin/deux-facteurs/verification/"


def enrol(client, user) -> list[str]:
    """Enrol through the pages; returns the recovery codes shown."""
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": totp_now(device), "next": "/admin/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def test_coordinator_must_enrol_before_using_the_admin(client, two_factor_required):
    client.force_login(coordinator_user())
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    assert "next=/admin/pages/" in response["Location"]


def test_enrolment_page_draws_the_qr_code_itself(client, two_factor_required):
    client.force_login(coordinator_user())
    html = client.get(ENROL).content.decode()
    assert "<svg" in html and "<path" in html
    assert 'for="id_code"' in html and "obligatoire" in html
    # Nothing loaded from elsewhere (Wagtail's <noscript> help link is only a link).
    assert not re.search(r"""src=["']https?://|<link[^>]+href=["']https?://""", html)
    assert "otpauth://" not in html  # the secret is in the drawing and the typed key only
    # Only the app's code confirms it: no recovery code exists yet.
    assert "code de secours" not in html


def test_wrong_first_code_does_not_enrol(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce code ne correspond pas" in html and 'role="alert"' in html
    assert not twofactor.two_factor_enabled(user)
    assert client.get("/admin/").status_code == 302


def test_enrolment_shows_ten_recovery_codes_once_then_the_admin_opens(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    page = client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": totp_now(device), "next": "/admin/"})
    html = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
    assert page.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    # A first enrolment has no older codes to void.
    assert "La validation en deux étapes est activée" in html
    assert "anciens codes" not in html
    assert client.get("/admin/").status_code == 200
    # Shown once: no page shows them again.
    security = client.get("/admin/deux-facteurs/").content.decode()
    assert not any(code in security for code in codes)
    assert "Il vous reste 10 codes de secours" in security


def test_next_login_asks_for_the_code(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "pas valide" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    device = TOTPDevice.objects.get(user=user)
    # After a wrong code django-otp makes the device wait a second: let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    ok = client.post(VERIFY, {"code": totp_now(device, offset_steps=1), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_once(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    codes = enrol(client, user)
    for attempt in range(2):
        client.logout()
        client.force_login(user)
        response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/admin/"})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get("/admin/").status_code == 200
        else:
            assert response.status_code == 400  # used up
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_codes_are_throttled(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    for _ in range(3):
        client.post(VERIFY, {"code": "999999"})
    # Even the right code is refused while the device waits.
    response = client.post(VERIFY, {"code": totp_now(device, offset_steps=1)})
    assert response.status_code == 400
    assert "Patientez" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_counsellor_may_use_the_admin_without_2fa(client, two_factor_required):
    client.force_login(counsellor_user())
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/deux-facteurs/").content.decode()
    assert "Pas encore activée" in page


def test_counsellor_who_enrolled_is_asked_for_the_code(client, two_factor_required):
    user = counsellor_user()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_unverified_session_cannot_replace_the_device(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    enrol(client, user)
    client.logout()
    client.force_login(user)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post("/admin/deux-facteurs/", {"action": "disable"}).status_code == 302
    assert twofactor.two_factor_enabled(user)


def test_the_verification_page_needs_a_password_first(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_regenerating_recovery_codes_voids_the_old_ones(client, two_factor_required):
    user = coordinator_user()
    client.force_login(user)
    old = enrol(client, user)
    response = client.post("/admin/deux-facteurs/", {"action": "codes"})
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(old) & set(new)
    assert "Les anciens codes ne fonctionnent plus." in response.content.decode()
    client.logout()
    client.force_login(user)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 400


def test_reset_command_removes_the_devices(client, two_factor_required):
    from django.core.management import call_command

    user = coordinator_user()
    client.force_login(user)
    enrol(client, user)
    call_command("reset_two_factor", user.username)
    assert not twofactor.two_factor_enabled(user)
    client.logout()
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(ENROL)
