"""Which commands reach the real Redis server, read with MONITOR (no patching): proves
which code path ran and how many round trips it cost."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator

import redis


@contextlib.contextmanager
def redis_commands(url: str, containing: str) -> Iterator[list[list[str]]]:
    """Collects, as [COMMAND, arg, ...], the commands whose text contains `containing`
    sent while the block runs; a unique ECHO marks the end."""
    seen: list[list[str]] = []
    end = f"end-{uuid.uuid4().hex}"
    server = redis.Redis.from_url(url)
    ready = threading.Event()

    def listen() -> None:
        with server.monitor() as monitor:
            ready.set()
            for entry in monitor.listen():
                command = entry["command"]
                if end in command:
                    return
                if containing in command:
                    seen.append(command.split(" "))

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait(5)
    server.ping()  # MONITOR is registered once the server answered the thread
    try:
        yield seen
    finally:
        server.echo(end)
        thread.join(10)
        assert not thread.is_alive(), "MONITOR never saw the end marker"
