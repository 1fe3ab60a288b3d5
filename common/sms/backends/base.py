"""The interface every SMS backend implements."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from common.sms import SmsMessage


class BaseSmsBackend:
    """Subclasses implement `send`: hand one message over, return the SMS billed for it,
    or raise `common.sms.SmsSendError`."""

    def __init__(self, **options: object) -> None:
        self.options = options

    def send(self, message: SmsMessage) -> int:
        raise NotImplementedError
