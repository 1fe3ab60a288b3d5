"""Background jobs of the publishing app (thin: load by id, call a service)."""

from celery import shared_task
from django.db import OperationalError

from workshops.models import GuidePage
from workshops.services.renditions import guide_renditions_generate as generate_renditions


@shared_task(
    name="workshops.guide_renditions_generate",
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def guide_renditions_generate(page_id: int) -> int:
    """Pre-generates a published guide's image renditions so the first reader never waits.

    Idempotent (existing renditions are kept). Retried with exponential backoff on I/O and
    database errors (storage unavailable, source file not yet replicated). A guide deleted in the
    meantime is not an error: there is nothing left to do.
    """
    guide = GuidePage.objects.filter(pk=page_id).first()
    if guide is None:
        return 0
    return generate_renditions(guide=guide)
