"""The documented gunicorn configuration (deploy/gunicorn.conf.py), run for real on a
loopback port: its access log names paths, never a carnet code or a person search term."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from learners.services import carnet_issue
from tests.factories.learners import LearnerFactory, StructureFactory, counsellor_user

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"

pytest.importorskip("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    params = connection.settings_dict
    if params["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{params['NAME']}"
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{params.get('USER') or 'postgres'}@{host}:{port}/{params['NAME']}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, **headers) -> int:
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
    try:
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http on loopback
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not start")


@pytest.mark.django_db(transaction=True)
def test_access_log_has_no_code_and_no_search_term(tmp_path):
    structure = StructureFactory()
    counsellor = counsellor_user(structure=structure)
    code = carnet_issue(user=counsellor, learner=LearnerFactory(structure=structure))
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(log),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, process)
        base = f"http://127.0.0.1:{port}"
        people = reverse("learners_people")
        # The QR link with a real code (opens: 303) and a wrong one.
        assert _get(f"{base}/carnet/?code={code}") == 303
        assert _get(f"{base}/carnet/?code=ABCD-EFGH-JKMN-PQRS") == 303
        # A person search in the admin, and a page reached from it (Referer).
        _get(f"{base}{people}?q=Dupont")
        _get(f"{base}/carnet/", Referer=f"{base}{people}?q=Dupont&code={code}")
    finally:
        process.terminate()
        process.wait(timeout=60)
    text = log.read_text()
    lines = text.splitlines()
    assert len(lines) == 4, text
    assert sum('"GET /carnet/ HTTP/1.1" 303' in line for line in lines) == 2
    assert f'"GET {people} HTTP/1.1"' in text
    for secret in (code, code.lower(), "Dupont", "code=", "q="):
        assert secret not in text
    assert code not in process.stderr.read()
