"""System checks of the tracking app.

**Rate limits need a shared cache.** The carnet's limits (`learners.services.carnet_limits`)
and the other anonymous-visitor limits count in the default cache. With a per-process cache
(local memory, dummy, files on one machine) every gunicorn worker keeps its own counters:
with 4 workers a client gets 4 times its allowance, and the overall budget never trips on
time. ``check --deploy`` therefore fails (an error, learners.E001) unless the default cache
is shared by every process: Redis (``REDIS_URL``), memcached or the database cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def rate_limits_need_a_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between "
            "processes: the carnet and sign-in rate limits would count per worker.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that every web process "
            "shares the counters (README, « Production »).",
            id="learners.E001",
        )
    ]
