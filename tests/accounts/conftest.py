import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def two_factor_required(settings):
    settings.ADMIN_2FA_REQUIRED_FOR_COORDINATORS = True


def totp_now(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now for `device` (or `offset_steps` later)."""
    device.refresh_from_db()
    t0 = device.t0 - offset_steps * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits):06d}"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user
