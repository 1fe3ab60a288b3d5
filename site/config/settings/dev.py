"""Embedded default: SQLite, tasks in-process, console e-mail. Never for production."""

from .base import *  # noqa: F403

DEBUG = True
# A fixed key is acceptable here only: dev never serves real data.
SECRET_KEY = "dev-only-key-not-for-production-pas-a-pas-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Serve static files straight from their source folders (no collectstatic in dev).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
