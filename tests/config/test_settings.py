"""Production settings refuse to start without their required variables, in one line."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_exits_with_one_line():
    result = run_manage(
        "check",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": "sqlite:///:memory:",
            "ALLOWED_HOSTS": "example.org",
        },
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]


def test_production_passes_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "k3y-for-the-check-only-8f9a7d6e5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0",
            "DATABASE_URL": "sqlite:///:memory:",
            "ALLOWED_HOSTS": "pas-a-pas.example.org",
            # Rate limits need a shared cache (learners.E001); nothing connects to it here.
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            # SMS must reach people (learners.E002); nothing is sent here.
            "SMS_BACKEND": "common.sms.backends.brevo.SmsBackend",
            "SMS_API_KEY": "check-only",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_site_module_is_still_the_standard_library():
    result = subprocess.run(
        [sys.executable, "-c", "import site, sysconfig; print(site.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "site-packages" not in result.stdout
    assert str(ROOT / "site") not in result.stdout
