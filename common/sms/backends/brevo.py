"""Brevo (formerly Sendinblue, Paris) transactional SMS, over its HTTP API.

Documentation read for this backend:
- https://developers.brevo.com/docs/transactional-sms-endpoints (« Send SMS message to a
  mobile number »: ``POST https://api.brevo.com/v3/transactionalSMS/send``, headers
  ``accept: application/json``, ``api-key: <key>``, ``content-type: application/json``;
  body ``sender`` (at most 11 alphanumeric characters or 15 digits), ``recipient`` (the
  mobile number with its country code, digits only, e.g. ``33689965433``), ``content``,
  ``type`` (``transactional`` or ``marketing``: ours are transactional, sent at any hour,
  never with a STOP code), optional ``tag`` and ``unicodeEnabled``);
- https://developers.brevo.com/changelog/deprecated-endpoint-post-v3transactionalsmssms
  (the former ``/v3/transactionalSMS/sms`` answered ``smsCount``; the current endpoint
  answers ``{"messageId": ...}`` only, so the SMS billed are counted here by
  `common.sms.segments` unless the answer gives ``smsCount``);
- the API's errors: a JSON body ``{"code": ..., "message": ...}`` with 400 (bad request,
  e.g. an invalid number), 401 (key missing or wrong), 402 (not enough credits), 403.

Settings: ``SMS_API_URL`` (the endpoint above by default), ``SMS_API_KEY``,
``SMS_TIMEOUT`` (seconds, 10). Sent with the standard library (urllib); no retry here: the
caller's job retries what `SmsSendError.retryable` allows.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.sms import SmsProviderUnavailable, SmsRecipientRefused, SmsSendError
from common.sms.segments import is_gsm7

from .base import BaseSmsBackend

if TYPE_CHECKING:
    from common.sms import SmsMessage

DEFAULT_URL = "https://api.brevo.com/v3/transactionalSMS/send"
# Words of a 400 answer that put the blame on the recipient's number.
_RECIPIENT_WORDS = ("recipient", "phone", "number", "mobile")


def _error_detail(body: bytes) -> tuple[str, str]:
    """The provider's error code and message, from its JSON body (best effort)."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return "", body[:200].decode("utf-8", "replace")
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("code", "")), str(data.get("message", ""))[:300]


def _http_error(exc: urllib.error.HTTPError) -> SmsSendError:
    code, text = _error_detail(exc.read() or b"")
    status = exc.code
    detail = f"Brevo answered {status} {code}: {text}".strip()
    if status == 400 and any(word in text.lower() for word in _RECIPIENT_WORDS):
        return SmsRecipientRefused(detail, status=status)
    # 429 (too many requests) and 5xx are temporary; 400, 401, 402, 403 need a person.
    if status == 429 or status >= 500:
        return SmsProviderUnavailable(detail, status=status)
    return SmsSendError(detail, status=status)


class SmsBackend(BaseSmsBackend):
    def __init__(
        self,
        *,
        api_url: str | None = None,
        api_key: str | None = None,
        timeout: float | None = None,
        **options: object,
    ) -> None:
        super().__init__(**options)
        self.api_url: str = api_url or getattr(settings, "SMS_API_URL", "") or DEFAULT_URL
        self.api_key: str = api_key or str(getattr(settings, "SMS_API_KEY", ""))
        self.timeout: float = timeout or float(getattr(settings, "SMS_TIMEOUT", 10))
        if not self.api_key:
            raise ImproperlyConfigured("The Brevo SMS backend needs SMS_API_KEY.")
        if not self.api_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ImproperlyConfigured("SMS_API_URL must be an https:// address.")

    def payload(self, message: SmsMessage) -> dict[str, Any]:
        return {
            "sender": message.sender,
            "recipient": message.to.removeprefix("+"),
            "content": message.body,
            "type": "transactional",
            "tag": "pas-a-pas",
            "unicodeEnabled": not is_gsm7(message.body),
        }

    def send(self, message: SmsMessage) -> int:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.api_url,
            data=json.dumps(self.payload(message)).encode("utf-8"),
            method="POST",
            headers={
                "accept": "application/json",
                "content-type": "application/json",
                "api-key": self.api_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise _http_error(exc) from exc
        except TimeoutError as exc:
            raise SmsProviderUnavailable("Brevo did not answer in time.") from exc
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                raise SmsProviderUnavailable("Brevo did not answer in time.") from exc
            raise SmsProviderUnavailable(f"Brevo could not be reached: {exc}") from exc
        return self._billed(body, message)

    @staticmethod
    def _billed(body: bytes, message: SmsMessage) -> int:
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            data = {}
        count = data.get("smsCount") if isinstance(data, dict) else None
        return count if isinstance(count, int) and count > 0 else message.segments
