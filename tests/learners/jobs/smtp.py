"""A tiny real SMTP server on a local port (a thread), for tests that need a mail server
that accepts messages, refuses some recipients, or is not there at all (`closed_port`)."""

from __future__ import annotations

import socket
import socketserver
import threading
from contextlib import contextmanager
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.recipients: list[str] = []
        self.reply("220 localhost test SMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if not self.answer(line.decode(errors="replace").strip()):
                return

    def answer(self, command: str) -> bool:
        """Answer one command; False when the connection ends."""
        verb = command[:4].upper()
        if verb in {"EHLO", "HELO"}:
            self.reply("250 localhost")
        elif verb == "MAIL":
            return self.on_mail()
        elif verb == "RCPT":
            self.on_recipient(command)
        elif verb == "DATA":
            self.on_data()
        elif verb == "RSET":
            self.recipients = []
            self.reply("250 OK")
        elif verb == "QUIT":
            self.reply("221 Bye")
            return False
        else:
            self.reply("250 OK")
        return True

    def on_mail(self) -> bool:
        server = self.server
        if server.drop_after is not None and len(server.messages) >= server.drop_after:
            return False  # the server goes away mid-batch
        self.recipients = []
        self.reply("250 OK")
        return True

    def on_recipient(self, command: str) -> None:
        address = command.split(":", 1)[1].strip().strip("<>")
        if address in self.server.refused:
            self.reply("550 No such user")
        else:
            self.recipients.append(address)
            self.reply("250 OK")

    def on_data(self) -> None:
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        data = b""
        while True:
            chunk = self.rfile.readline()
            if chunk in (b".\r\n", b".\n", b""):
                break
            data += chunk
        self.server.messages.append((self.recipients, message_from_bytes(data)))
        self.reply("250 OK queued")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, refused, drop_after):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.refused = set(refused)
        self.drop_after = drop_after
        self.messages: list = []


@contextmanager
def smtp_server(*, refused=(), drop_after=None):
    """`drop_after`: hang up when a message starts after that many were accepted."""
    server = _Server(refused, drop_after)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
