"""A real Celery worker process against a real Redis broker.

Skipped with a printed reason when Redis is unreachable, unless CELERY_INTEGRATION_REQUIRED=1
(CI), where an unreachable broker is a failure.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def _redis_reachable(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    """The database the tests use, as a URL the worker process can open."""
    params = connection.settings_dict
    if params["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{params['NAME']}"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def celery_worker_env():
    """Extra environment variables for the worker; override this fixture in a test module
    or class (e.g. to point the worker at a mail server that is down)."""
    return {}


def worker_env(tmp_path, extra: dict) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "DATABASE_URL": _database_url(),
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        # Mail sent by the worker lands in files the test can read.
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def worker_start(queue: str, env: dict, log: Path) -> subprocess.Popen:
    """A solo worker consuming `queue`, in a process group of its own (so a test can kill
    it, and only it, with SIGKILL); its output goes to `log` (a pipe nobody reads would
    fill up and block the worker)."""
    with log.open("a") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "celery_app",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "-Q",
                queue,
                "--hostname",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    process.log = log
    return process


def worker_wait(client, queue: str, process: subprocess.Popen) -> None:
    """Until the worker answers a ping (60 s at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("le worker Celery s'est arrêté :\n" + process.log.read_text())
        replies = client.control.ping(timeout=1, destination=[f"{queue}@{os.uname().nodename}"])
        if replies:
            return
    pytest.fail("le worker Celery n'a pas démarré en 60 s")


def worker_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


def broker_required(url: str = REDIS_URL) -> None:
    if not _redis_reachable(url):
        reason = f"Redis injoignable sur {url} : test du worker Celery réel ignoré"
        if os.environ.get("CELERY_INTEGRATION_REQUIRED") == "1":
            pytest.fail(reason)
        print(f"\nSKIP: {reason}")
        pytest.skip(reason)


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, celery_worker_env):
    broker_required()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = worker_env(tmp_path, celery_worker_env)
    process = worker_start(queue, env, tmp_path / "worker.log")
    client = Celery("test-client", broker=REDIS_URL, backend=REDIS_URL)
    client.conf.task_default_queue = queue
    try:
        worker_wait(client, queue, process)
        yield client, queue, tmp_path
    finally:
        worker_stop(process)
        client.close()
