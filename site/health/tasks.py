"""The worker-side health probe: proves a worker is consuming and can reach the database
and the cache. Run by `manage.py check_worker` and by monitoring."""

from celery import shared_task

from .checks import run_checks


@shared_task(name="health.worker_probe", acks_late=True, ignore_result=False)
def worker_probe() -> dict[str, str]:
    return run_checks(include_broker=False)
