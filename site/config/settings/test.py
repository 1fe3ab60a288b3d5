"""Test settings: fast hasher, local-memory cache, eager Celery, temporary media."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

# The demo app (dev settings only otherwise), so its loader and `load_demo` are tested.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = "test-only-key-pas-a-pas-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# In memory, unless the environment names a backend (the real-worker test writes files).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# SMS in memory (common.sms.outbox), unless the environment names a backend (the
# real-worker test writes files).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "common.sms.backends.locmem.SmsBackend")
# Off in tests (query counts compare first and later requests); the tests of each cache
# turn it on with the `settings` fixture.
PAGE_CACHE_SECONDS = 0
RENDER_CACHE_SECONDS = 0
ADMIN_SIDEBAR_SECONDS = 0
MEDIA_ROOT = tempfile.mkdtemp(prefix="pasapas-test-media-")
# The real-worker integration test sets CELERY_BROKER_URL; everything else runs eagerly
# (base settings decide it from the environment).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# On SQLite the test database is a file, so a real Celery worker process can open it too.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"pasapas-test-{os.getpid()}.sqlite3")
    }

# Coordinators logged in with force_login would otherwise be sent to the 2FA enrolment page
# by every admin test; the tests of two-factor sign-in turn it on with `settings`.
ADMIN_2FA_REQUIRED_FOR_COORDINATORS = False
