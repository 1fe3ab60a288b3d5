"""Failed admin logins are throttled by django-axes: after AXES_FAILURE_LIMIT (5) failures
on one account, or from one address, a French page (429) and a wait of
AXES_COOLOFF_TIME (15 minutes), even with the right password."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from tests.factories.learners import counsellor_user

from .conftest import PASSWORD, with_password

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
WRONG = "mauvais"


def attempt(client, username, password=WRONG, ip="81.250.113.7", **extra):
    # Public addresses: common.clients trusts X-Forwarded-For from private ones (the proxy).
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def claire():
    return with_password(counsellor_user())


def test_settings_are_a_handful_for_a_quarter_of_an_hour():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, claire):
    for _ in range(4):
        assert attempt(client, claire.username).status_code == 200
    locked = attempt(client, claire.username)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Connexion bloquée" in html and "Réessayez dans 15 minutes" in html
    assert "Account locked" not in html and "too many" not in html.lower()
    right = attempt(client, claire.username, password=PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_lock_holds_from_another_address(client, claire):
    for index in range(5):
        attempt(client, claire.username, ip=f"90.51.100.{index}")
    assert attempt(client, claire.username, PASSWORD, ip="92.0.2.99").status_code == 429


def test_one_address_trying_many_accounts_is_locked(client, claire):
    for index in range(5):
        attempt(client, f"inconnu{index}", ip="81.250.113.50")
    assert attempt(client, claire.username, PASSWORD, ip="81.250.113.50").status_code == 429
    # Another address is not affected: the real owner signs in.
    response = attempt(client, claire.username, PASSWORD, ip="81.250.113.51")
    assert response.status_code == 302


def test_forged_forwarded_for_does_not_escape_the_address_lock(client, claire):
    """A client talking to the server directly cannot choose its address with
    X-Forwarded-For (read only from the local proxy, common/clients.py)."""
    for index in range(5):
        attempt(
            client, f"inconnu{index}", ip="81.250.113.60", HTTP_X_FORWARDED_FOR=f"10.9.9.{index}"
        )
    assert attempt(client, claire.username, PASSWORD, ip="81.250.113.60").status_code == 429


def test_behind_the_proxy_each_client_address_counts(client, claire):
    """Behind the local reverse proxy (REMOTE_ADDR 127.0.0.1), the address the proxy
    appended is the client: one client's failures do not lock the others out."""
    for index in range(5):
        attempt(
            client,
            f"inconnu{index}",
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 81.250.113.70",
        )
    blocked = attempt(
        client, claire.username, PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="81.250.113.70"
    )
    assert blocked.status_code == 429
    other = attempt(
        client, claire.username, PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="81.250.113.71"
    )
    assert other.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="81.250.113.70").exists()


def test_the_lock_ends_after_the_cool_off(client, claire):
    for _ in range(5):
        attempt(client, claire.username)
    assert attempt(client, claire.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - datetime.timedelta(minutes=16)
    )
    assert attempt(client, claire.username, PASSWORD).status_code == 302


def test_an_insider_cannot_clear_the_count_with_their_own_login(client, claire):
    """Guessing Claire's password between successful logins to one's own account still
    counts: the address is locked after 5 failures."""
    insider = with_password(counsellor_user())
    for _ in range(4):
        attempt(client, claire.username)
    assert attempt(client, insider.username, PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, claire.username).status_code == 429
    assert attempt(client, claire.username, PASSWORD).status_code == 429
