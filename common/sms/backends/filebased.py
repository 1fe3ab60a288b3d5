"""Writes each message to its own UTF-8 text file in SMS_FILE_PATH (created if needed):
``<date>-<time>-<random>.txt`` with the recipient, sender, date and SMS billed, a blank
line, then the text, as the console backend prints it."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BaseSmsBackend
from .console import message_text

if TYPE_CHECKING:
    from common.sms import SmsMessage


class SmsBackend(BaseSmsBackend):
    def __init__(self, *, file_path: str | None = None, **options: object) -> None:
        super().__init__(**options)
        folder = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not folder:
            raise ImproperlyConfigured("The file-based SMS backend needs SMS_FILE_PATH.")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.folder.is_dir():
            raise ImproperlyConfigured(f"SMS_FILE_PATH {self.folder} is not a folder.")

    def send(self, message: SmsMessage) -> int:
        name = f"{message.created_at:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.txt"
        path = self.folder / name
        # Written to a temporary name, then renamed: a reader never sees half a message.
        partial = path.with_suffix(".part")
        partial.write_text(message_text(message), encoding="utf-8")
        partial.rename(path)
        return message.segments
