"""Embedded default: SQLite, tasks in-process, console e-mail. Never for production.

What a newcomer sees first, so it behaves like the real site: DEBUG stays off (French 404
and 500 pages, no debug page) unless the developer asks for it with `DEBUG=1`, the variable
base settings read (`DEBUG=1 bash bin/run`).
"""

from .base import *  # noqa: F403

# DEBUG comes from base: off unless DEBUG=1 (developer mode, Django's debug pages).
# A fixed key is acceptable here only: dev never serves real data.
SECRET_KEY = "dev-only-key-not-for-production-pas-a-pas-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Serve static files straight from their source folders (no collectstatic in dev).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads under /media/ are served by Django here only (config/urls.py, home/media.py);
# in production the reverse proxy serves them (deploy/nginx/pasapas.conf).
SERVE_MEDIA = True
# The French demo content and its `load_demo` command (bin/run); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
