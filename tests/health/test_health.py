import json

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "non configuré"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_unknown_hosts(client):
    # A load balancer probes by IP address: no DisallowedHost 400.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200


def test_healthz_names_what_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise ConnectionError("no database")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["database"]
    assert body["checks"]["cache"] == "ok"


def test_healthz_reports_unreachable_broker(client, settings):
    # A port where nothing listens: the broker is configured but down.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["broker"]
    assert "127.0.0.1:1" not in response.content.decode()


def test_worker_probe_task_runs_eagerly_by_default():
    from health.tasks import worker_probe

    assert worker_probe.delay().get(timeout=5) == {"database": "ok", "cache": "ok"}
