"""Probes of the services the site depends on. Each returns None when healthy, else a reason."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return type(exc).__name__
    return None


def check_cache() -> str | None:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return type(exc).__name__
    return None if ok else "read-back mismatch"


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def check_broker() -> str | None:
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return type(exc).__name__
    return None


def run_checks(*, include_broker: bool = True) -> dict[str, str]:
    """State of each dependency: "ok", "non configuré", or "en panne" (never a secret)."""
    results = {
        "database": check_database(),
        "cache": check_cache(),
    }
    states = {name: "ok" if error is None else "en panne" for name, error in results.items()}
    if include_broker:
        if broker_configured():
            states["broker"] = "ok" if check_broker() is None else "en panne"
        else:
            states["broker"] = "non configuré"
    return states
