"""A local stand-in for Brevo's transactional SMS endpoint, on loopback, that checks each
request as Brevo's documentation describes it (common/sms/backends/brevo.py cites the
pages) and answers as Brevo does."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/v3/transactionalSMS/send"
API_KEY = "xkeysib-test-0123456789"
SENDER_RE = re.compile(r"^(?:[A-Za-z0-9 ]{1,11}|\d{1,15})$")
# Country code and number, digits only (no "+", no spaces), 6 to 15 digits.
RECIPIENT_RE = re.compile(r"^[1-9]\d{5,14}$")
# Numbers this fake provider says do not exist (Brevo: 400 with a message on the number).
INVALID_NUMBERS = {"33700000000"}


class FakeBrevo(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.mode = "ok"  # "ok", "server_error", "slow"
        self.slow_seconds = 2.0
        self.next_id = 1511882900176220

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PATH}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeBrevo

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass

    def _answer(self, status: int, data: dict) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self._answer(405, {"code": "method_not_allowed", "message": "GET not allowed"})

    def _header_problems(self) -> list[str]:
        problems = [] if self.path == PATH else [f"path {self.path}"]
        for name in ("content-type", "accept"):
            if self.headers.get(name) != "application/json":
                problems.append(f"{name} {self.headers.get(name)}")
        return problems

    @staticmethod
    def _field_problems(data: dict) -> list[str]:
        problems = [
            f"missing {name}"
            for name in ("sender", "recipient", "content")
            if not isinstance(data.get(name), str) or not data[name]
        ]
        for name, pattern in (("sender", SENDER_RE), ("recipient", RECIPIENT_RE)):
            if isinstance(data.get(name), str) and not pattern.match(data[name]):
                problems.append(f"{name} {data[name]!r}")
        if data.get("type", "transactional") not in ("transactional", "marketing"):
            problems.append(f"type {data.get('type')!r}")
        if "unicodeEnabled" in data and not isinstance(data["unicodeEnabled"], bool):
            problems.append("unicodeEnabled is not a boolean")
        return problems

    def _problems(self, data) -> list[str]:
        if not isinstance(data, dict):
            return [*self._header_problems(), "body is not a JSON object"]
        return self._header_problems() + self._field_problems(data)

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.requests.append(
            {"method": "POST", "path": self.path, "headers": headers, "json": data}
        )
        if self.headers.get("api-key") != API_KEY:
            self._answer(401, {"code": "unauthorized", "message": "Key not found"})
            return
        problems = self._problems(data)
        if problems:
            self.server.problems.extend(problems)
            self._answer(400, {"code": "invalid_parameter", "message": "; ".join(problems)})
            return
        if self.server.mode == "server_error":
            self._answer(502, {"code": "internal_error", "message": "Bad gateway"})
            return
        if self.server.mode == "slow":
            time.sleep(self.server.slow_seconds)
        if data["recipient"] in INVALID_NUMBERS:
            self._answer(400, {"code": "invalid_parameter", "message": "Invalid phone number"})
            return
        self.server.next_id += 1
        self._answer(201, {"messageId": self.server.next_id})


@contextlib.contextmanager
def fake_brevo():
    server = FakeBrevo()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
