"""Prints each message (development): recipient, sender, SMS billed, then the text."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, TextIO

from .base import BaseSmsBackend

if TYPE_CHECKING:
    from common.sms import SmsMessage

_lock = threading.Lock()


def message_text(message: SmsMessage) -> str:
    """The message as a few readable lines (also the file backend's format)."""
    return (
        f"To: {message.to}\n"
        f"From: {message.sender}\n"
        f"Date: {message.created_at.isoformat(timespec='seconds')}\n"
        f"Segments: {message.segments}\n"
        f"\n{message.body}\n"
    )


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, stream: TextIO | None = None, **options: object) -> None:
        super().__init__(**options)
        self.stream = stream

    def send(self, message: SmsMessage) -> int:
        stream = self.stream or sys.stdout
        with _lock:
            stream.write(message_text(message))
            stream.write("-" * 79 + "\n")
            stream.flush()
        return message.segments
