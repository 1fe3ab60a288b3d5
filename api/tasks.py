"""Background jobs of the read API (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from api.services.tombstones import api_tombstones_purge
from learners.services.job_log import logged_job
from learners.tasks import JOB_TASK_OPTIONS


@shared_task(name="api.tombstones_purge", **JOB_TASK_OPTIONS)
@logged_job("api_tombstones_purge")
def api_tombstones_purge_task(self) -> dict:
    """Every night: forget the removals older than API_TOMBSTONE_RETENTION_DAYS (a
    warehouse that has not synced for that long starts again with a full sync)."""
    return {"deleted": api_tombstones_purge()}
