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
from django.core.checks import Error, Tags, Warning, register

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


# **SMS must reach people in production.** The console and in-memory backends (the
# development and test defaults) send nothing: every confirmation, offer and cancellation
# notice by SMS would be lost without a word. The file backend is for checks and demos.
SMS_BACKENDS_THAT_SEND_NOTHING = {
    "common.sms.backends.console.SmsBackend",
    "common.sms.backends.locmem.SmsBackend",
}
SMS_FILE_BACKEND = "common.sms.backends.filebased.SmsBackend"


def _sms_backend_problems(backend: str) -> list:
    if backend in SMS_BACKENDS_THAT_SEND_NOTHING:
        return [
            Error(
                f"SMS_BACKEND is {backend.rsplit('.', 2)[-2]}: no SMS would reach anybody.",
                hint="Set SMS_BACKEND=common.sms.backends.brevo.SmsBackend and SMS_API_KEY "
                "(README, « SMS »).",
                id="learners.E002",
            )
        ]
    if backend == SMS_FILE_BACKEND:
        return [
            Warning(
                "SMS_BACKEND writes SMS to files (SMS_FILE_PATH): nobody receives them.",
                hint="Use a provider backend in production (README, « SMS »).",
                id="learners.W002",
            )
        ]
    if backend.endswith(".brevo.SmsBackend") and not settings.SMS_API_KEY:
        return [
            Error(
                "SMS_API_KEY is empty: the SMS provider would refuse every message.",
                hint="Set SMS_API_KEY to the provider's API key (README, « SMS »).",
                id="learners.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def sms_reach_people(app_configs=None, **kwargs):
    from common.sms import SENDER_RE

    problems = _sms_backend_problems(settings.SMS_BACKEND)
    if not SENDER_RE.match(settings.SMS_SENDER):
        problems.append(
            Error(
                f"SMS_SENDER {settings.SMS_SENDER!r} would be refused by the operators.",
                hint="3 to 11 letters, digits or spaces, beginning with a letter.",
                id="learners.E003",
            )
        )
    return problems
