"""A file-based e-mail backend that takes `SLOW_MAIL_SECONDS` per message before writing it,
as an SMTP round trip does, so a test can kill a worker in the middle of a run."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.1")))
        super().write_message(message)
        self.stream.flush()  # each message on disk at once: the test counts them
