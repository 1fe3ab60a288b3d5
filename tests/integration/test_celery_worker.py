import pytest

pytestmark = pytest.mark.celery_worker


def test_real_worker_runs_the_health_probe(celery_worker_process):
    client, queue, _ = celery_worker_process
    result = client.send_task("health.worker_probe", queue=queue)
    assert result.get(timeout=30) == {"database": "ok", "cache": "ok"}
    assert result.status == "SUCCESS"
