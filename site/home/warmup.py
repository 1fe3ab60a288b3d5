"""Warm workers: each web worker renders the most read pages itself, in its own process,
answering no one, so that no reader pays for a cold worker (README « Caching », « The
cold render and warm workers »).

- At boot: gunicorn's `post_worker_init` hook (deploy/gunicorn.conf.py) calls `start`
  before the worker takes its first request: imports, compiled templates, URL resolvers,
  the database connection, the site and the memos of these pages are then ready.
- After a publication: every publication makes every page cold in every worker at once
  (the memos and render caches are per process, keyed by the publication version,
  caching/versions.py). A daemon thread of each worker reads the publication version
  every `WARM_UP_POLL_SECONDS` (one Redis GET) and, when it changed, renders the pages
  again. In the worker itself because what it fills lives in that process: a request to
  the server (a Celery task, say) would warm whichever worker the kernel hands it to.

The pages: the home page, the guide and atelier indexes, the agenda, and the
`WARM_UP_GUIDES` guides most often marked as read in carnets (then the latest published).
Rendered through Django's whole stack (middleware, routing, templates), as an anonymous
GET over HTTPS to the default site's host; nothing personal is involved, and the page
cache, when on, keeps what it would have kept for the first reader. `WARM_UP_GUIDES=0`
turns it off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.http.request import validate_host
from django.urls import reverse
from wagtail.models import Site

from caching import versions
from learners.selectors.carnet_reads import most_read_guides
from workshops.selectors import public_index_pages

logger = logging.getLogger(__name__)


def _guides() -> int:
    return int(getattr(settings, "WARM_UP_GUIDES", 0) or 0)


def warm_paths() -> list[str]:
    """The paths to render: the pages every reader passes through, then the most read
    guides."""
    paths = ["/"]
    paths += [page.get_url() for page in public_index_pages().values()]
    paths.append(reverse("agenda:index"))
    paths += [guide.get_url() for guide in most_read_guides(limit=_guides())]
    return list(dict.fromkeys(path for path in paths if path and path.startswith("/")))


def warm_host() -> str | None:
    """The host the readers use: the default site's, when ALLOWED_HOSTS accepts it, else
    the first plain name of ALLOWED_HOSTS; None when there is none (nothing is warmed)."""
    site = Site.objects.filter(is_default_site=True).first()
    candidates = [site.hostname] if site is not None else []
    candidates += [host for host in settings.ALLOWED_HOSTS if host not in ("*",)]
    for candidate in candidates:
        host = candidate.lstrip(".")
        if host and validate_host(host, settings.ALLOWED_HOSTS):
            return host
    return None


def _environ(host: str, path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_USER_AGENT": "pasapas-warm-up",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _render(handler: WSGIHandler, host: str, path: str) -> int:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
        statuses.append(status)
        return lambda data: None

    response = handler(_environ(host, path), start_response)
    try:
        for _chunk in response:
            pass
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()  # Django's request_finished: the thread's connections are tidied
    return int(statuses[0].split()[0]) if statuses else 0


def warm_now(notify: Callable[[], None] = lambda: None) -> dict[str, int]:
    """Renders the warm-up pages in this process; their statuses by path. `notify` is
    called between pages (gunicorn's heartbeat during `post_worker_init`)."""
    if _guides() <= 0:
        return {}
    host = warm_host()
    if host is None:
        logger.warning("warm-up skipped: no host of ALLOWED_HOSTS to render the pages with")
        return {}
    handler = WSGIHandler()
    statuses = {}
    started = time.monotonic()
    for path in warm_paths():
        statuses[path] = _render(handler, host, path)
        notify()
    logger.info("warmed %d pages in %.0f ms", len(statuses), 1000 * (time.monotonic() - started))
    return statuses


class Watcher(threading.Thread):
    """Re-renders the pages when the publication version changes (read every `interval`
    seconds); a daemon thread of the worker, until `stop()`."""

    def __init__(self, interval: float, seen: int):
        super().__init__(name="warm-up", daemon=True)
        self.interval = interval
        self.seen = seen
        self.warmed = 0  # publications warmed after (tests, logs)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                version = versions.current(versions.PUBLICATION)
                if version != self.seen:
                    self.seen = version
                    warm_now()
                    self.warmed += 1
            except Exception:  # a warm-up never stops the worker; the next change retries
                logger.exception("warm-up after a publication failed")
            finally:
                connections.close_all()  # this thread's own connections only

    def stop(self) -> None:
        self.stopped.set()


def start(notify: Callable[[], None] = lambda: None) -> Watcher | None:
    """Warms this worker now, then watches for publications in a daemon thread."""
    if _guides() <= 0:
        return None
    seen = versions.current(versions.PUBLICATION)
    try:
        warm_now(notify)
    except Exception:  # a worker that could not warm up still serves
        logger.exception("warm-up at boot failed")
    watcher = Watcher(float(getattr(settings, "WARM_UP_POLL_SECONDS", 1.0)), seen)
    watcher.start()
    return watcher
