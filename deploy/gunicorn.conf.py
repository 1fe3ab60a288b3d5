"""gunicorn settings of the web process: ``gunicorn -c deploy/gunicorn.conf.py``.

Run from the project root (the settings below set ``chdir`` to ``site/`` and the WSGI
application, so no other argument is needed); command-line options override these.

**Access log without query strings.** Query strings carry personal data here: the carnet
code of the QR link (``/carnet/?code=…``) and the names typed in the admin's person search
(``?q=Dupont``). gunicorn's default format logs the request line (``%(r)s``) and the
Referer (``%(f)s``), which both include them. This format logs the path without its query
(``%(U)s``) and no Referer. The reverse proxy in front must do the same (nginx: a
``log_format`` with ``$uri``, never ``$request_uri`` or ``$http_referer``). Checked by
tests/deploy/test_gunicorn_access_log.py, which runs gunicorn with this file.

**Warm workers.** ``post_worker_init`` has each worker render the most read pages before
its first request, then re-render them after each publication (home/warmup.py; README
« The cold render and warm workers »; ``WARM_UP_GUIDES=0`` turns it off).

Environment: ``GUNICORN_BIND`` (127.0.0.1:8000), ``WEB_CONCURRENCY`` (2 * CPU + 1 workers),
``GUNICORN_ACCESS_LOG`` (``-``: standard output; or a file path), ``GUNICORN_TIMEOUT`` (600 s).
"""

import multiprocessing
import os
from pathlib import Path

from gunicorn.glogging import Logger

chdir = str(Path(__file__).resolve().parents[1] / "site")
wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
# A sync worker is killed when one request outlasts `timeout` (30 s by default). The
# activity stream (/api/v1/activites/flux) of a whole national network runs for a few
# minutes: 600 s covers it; a longer one is resumed by the client from its last record
# (filter[modification][depuis], README « Activity and statistics through the API, at
# scale »). ``GUNICORN_TIMEOUT`` overrides it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "600"))
# Behind the local reverse proxy only (README, « Production »).
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Address, time, method, path WITHOUT query, protocol, status, bytes, duration, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


class PathOnlyLogger(Logger):
    """gunicorn's own error messages ("Error handling request /carnet/?code=…") name the
    request URI: drop its query string there too."""

    def exception(self, msg, *args, **kwargs):
        super().exception(msg, *(_without_query(arg) for arg in args), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(msg, *(_without_query(arg) for arg in args), **kwargs)


def _without_query(value):
    if isinstance(value, str) and "?" in value:
        return value.split("?", 1)[0] + "?…"
    return value


logger_class = PathOnlyLogger


def post_worker_init(worker):
    """The worker renders the most read pages before answering anyone, then keeps them
    warm after publications (home/warmup.py). Heartbeats between pages: the arbiter must
    not take a worker warming up on a slow machine for a stuck one."""
    from home import warmup

    warmup.start(notify=worker.notify)
