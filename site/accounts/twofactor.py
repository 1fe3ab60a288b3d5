"""Two-factor sign-in of the staff, on django-otp: one TOTP device per user (any
authenticator app) and one static device holding recovery codes.

Required for coordinators (`learners.roles.is_coordinator`: group Coordinateurs or
superuser) before they use the admin, optional for everyone else. wagtail-2fa was not
used: it declares Wagtail 2 to 4 only, has no recovery codes and no per-role requirement.

Services here; the views (accounts/views.py) stay thin.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learners.roles import is_coordinator

TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10


def two_factor_required(user) -> bool:
    """Must this user set up a second factor before using the admin?"""
    return bool(getattr(settings, "ADMIN_2FA_REQUIRED_FOR_COORDINATORS", True)) and (
        is_coordinator(user)
    )


def two_factor_enabled(user) -> bool:
    """True once the user has confirmed an authenticator app (or holds recovery codes)."""
    return user_has_device(user, confirmed=True)


# Whether the user has a device is asked on every admin page: it is read from the database
# once, at login, and kept in the session (no query per page). The pages that add or remove
# a device update it. Another session opened before an enrolment keeps its answer until it
# ends, except for those who must use 2FA: they are sent to the enrolment page, which reads
# the database and asks for the code.
SESSION_KEY = "accounts_2fa_device"


def session_remember_device(request, user) -> bool:
    has_device = two_factor_enabled(user)
    request.session[SESSION_KEY] = has_device
    return has_device


def session_has_device(request, user) -> bool:
    has_device = request.session.get(SESSION_KEY)
    if has_device is None:
        has_device = session_remember_device(request, user)
    return has_device


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed device shown on the enrolment page (created once, so that reloading
    the page does not change the QR code the person is scanning)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code, drawn here (no web service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def totp_secret_display(*, device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm `device` with a code from the app. Replaces any previous authenticator and
    returns fresh recovery codes (shown once), or None when the code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_generate(user=user)


@transaction.atomic
def recovery_codes_generate(*, user) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_verify(*, user, code: str):
    """The confirmed device accepting `code` (TOTP first, then a recovery code, which is
    then used up), or None. Each device throttles its own failures (django-otp doubles the
    wait after each wrong code)."""
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def two_factor_locked_seconds(*, user) -> int:
    """Seconds before any device accepts a code again (0 when one accepts now)."""
    from django.utils import timezone

    waits = []
    for device in devices_for_user(user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (data or {}).get("locked_until")
        if locked_until:
            waits.append(max(1, int((locked_until - timezone.now()).total_seconds())))
    return min(waits) if waits else 0


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Remove the authenticator and the recovery codes (a coordinator is then asked to set
    up a new one at the next admin page)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
