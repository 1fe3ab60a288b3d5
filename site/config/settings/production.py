"""Production: PostgreSQL, Redis, Celery workers, gunicorn behind a TLS reverse proxy.

Refuses to start, with a one-line message, when a required variable is missing.
"""

import os
import sys

from .base import *  # noqa: F403
from .base import env_bool

REQUIRED = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    sys.exit(
        "Configuration incomplète : définissez "
        + ", ".join(_missing)
        + " (voir README, « Production »). / Missing required environment variables: "
        + ", ".join(_missing)
    )

DEBUG = False
SERVE_MEDIA = False  # the reverse proxy serves /media/ (deploy/nginx/pasapas.conf)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere; the reverse proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
