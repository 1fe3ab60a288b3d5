"""Sending SMS, the way Django sends e-mail: one function, pluggable backends.

``send_sms(to, body, sender=None)`` hands one message to the backend named by the
``SMS_BACKEND`` setting (a dotted path to a class named ``SmsBackend``) and returns the
number of SMS billed for it. Backends (``common.sms.backends``):

- ``console``: prints the message (the default of the base settings, for development);
- ``filebased``: one readable text file per message in ``SMS_FILE_PATH``;
- ``locmem``: keeps the messages in ``common.sms.outbox`` (the test settings' default,
  like ``django.core.mail.outbox``);
- ``brevo``: Brevo's transactional SMS HTTP API (``SMS_API_URL``, ``SMS_API_KEY``).

The sender name (``SMS_SENDER``) is what the phone shows instead of a number: at most 11
letters or digits, beginning with a letter (the operators' rule for alphanumeric senders).

A backend that cannot send raises `SmsSendError`: `SmsProviderUnavailable` when a later
try may work (the provider was down or slow; a ConnectionError, so jobs retry it like a
mail server that is down), `SmsRecipientRefused` when the provider refused the number
itself, the base class for what needs a person (a wrong key, no credits left). Messages
are in English: the caller decides what to tell people.

This package imports nothing of the project's apps (the neutral bottom layer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .segments import sms_segments

if TYPE_CHECKING:
    import datetime

    from .backends.base import BaseSmsBackend

# Messages "sent" by the locmem backend (tests read and clear it).
outbox: list[SmsMessage] = []

# E.164: "+" then a country code and a number, 8 to 15 digits in all.
E164_RE = re.compile(r"^\+[1-9]\d{7,14}$")
# Alphanumeric sender: 3 to 11 letters, digits or spaces, beginning with a letter.
SENDER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 ]{2,10}$")


class SmsSendError(Exception):
    """The message could not be sent, and trying again will not help until a person acts
    (wrong API key, no credits left, a request the provider rejects). `status` is the
    provider's HTTP status when there was one."""

    retryable = False

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class SmsProviderUnavailable(SmsSendError, ConnectionError):
    """The provider could not be reached, did not answer in time, or answered with a
    temporary error (5xx, 429): a later try may work. A ConnectionError (an OSError), so
    the jobs that retry on network errors retry on it too."""

    retryable = True


class SmsRecipientRefused(SmsSendError):
    """The provider refused the recipient's number (invalid, not a mobile): not retried."""


@dataclass
class SmsMessage:
    to: str
    body: str
    sender: str
    segments: int = 0
    created_at: datetime.datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        if not self.segments:
            self.segments = sms_segments(self.body)


def sender_check(sender: str) -> str:
    """The sender name, or ImproperlyConfigured when the operators would refuse it."""
    if not SENDER_RE.match(sender):
        raise ImproperlyConfigured(
            f"SMS sender {sender!r}: 3 to 11 letters, digits or spaces, beginning with a letter."
        )
    return sender


def get_backend(path: str | None = None, **options: object) -> BaseSmsBackend:
    """An instance of the backend class at `path` (default: the SMS_BACKEND setting)."""
    dotted = path or settings.SMS_BACKEND
    try:
        backend_class = import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {dotted!r} cannot be imported.") from exc
    backend: BaseSmsBackend = backend_class(**options)
    return backend


def send_sms(to: str, body: str, *, sender: str | None = None) -> int:
    """Send `body` to the E.164 number `to`; the number of SMS billed. Raises ValueError
    for a number not in E.164 form, `SmsSendError` when the backend could not send."""
    if not E164_RE.match(to):
        raise ValueError("The recipient must be an E.164 number such as +33612345678.")
    message = SmsMessage(to=to, body=body, sender=sender_check(sender or settings.SMS_SENDER))
    return get_backend().send(message)
