"""`check --deploy` refuses a per-process cache: the rate limits would count per worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from learners.checks import rate_limits_need_a_shared_cache

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("backend", "refused"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", True),
        ("django.core.cache.backends.dummy.DummyCache", True),
        ("django.core.cache.backends.filebased.FileBasedCache", True),
        ("caching.redis.RedisCache", False),
        ("django.core.cache.backends.redis.RedisCache", False),
        ("django.core.cache.backends.memcached.PyMemcacheCache", False),
    ],
)
def test_per_process_caches_are_refused(settings, backend, refused):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "x"}}
    ids = [error.id for error in rate_limits_need_a_shared_cache()]
    assert ids == (["learners.E001"] if refused else [])


def test_it_is_a_deploy_check(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "learners.E001" not in [e.id for e in run_checks()]
    assert "learners.E001" in [e.id for e in run_checks(include_deployment_checks=True)]


def _deploy_check(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="check-only-1c9e8b7a6d5f4e3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/pasapas_check_only",
        ALLOWED_HOSTS="pas-a-pas.example.org",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_without_redis_fail_the_deploy_check():
    """What .ci/run runs, without then with REDIS_URL (nothing is connected to)."""
    without = _deploy_check()
    assert without.returncode != 0
    assert "learners.E001" in without.stderr + without.stdout
    with_redis = _deploy_check(REDIS_URL="redis://127.0.0.1:6379/0")
    assert "learners.E001" not in with_redis.stderr + with_redis.stdout
