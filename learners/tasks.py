"""Background jobs of the tracking app (thin: load by id, call a service, idempotent)."""

import random

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from learners.imports import import_job_fail, import_job_run

# --- Spreadsheet imports (issue 5) ---------------------------------------------------

IMPORT_MAX_RETRIES = 5


def import_retry_delay(retries: int) -> int:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at 10 minutes."""
    return min(600, 10 * 2**retries) + random.randint(0, 5)  # noqa: S311


@shared_task(
    bind=True, name="learners.import_job_run", acks_late=True, max_retries=IMPORT_MAX_RETRIES
)
def import_job_run_task(self, job_id: str) -> str:
    """Import a confirmed spreadsheet (`learners.imports.import_job_run`).

    Idempotent: a job already done, failed or cancelled is left alone, so a duplicate
    delivery or a manual re-run does nothing. Transient database errors are retried with
    backoff (nothing was written: the import is one transaction); after the last retry
    the job is marked failed, visible in "Mes imports".
    """
    try:
        job = import_job_run(job_id=job_id)
    except (OperationalError, InterfaceError) as exc:
        if self.request.retries >= self.max_retries:
            import_job_fail(
                job_id=job_id,
                message=_(
                    "La base de données n'a pas répondu pendant l'import : rien n'a été "
                    "importé. Déposez à nouveau le fichier."
                ),
            )
            return "failed"
        raise self.retry(exc=exc, countdown=import_retry_delay(self.request.retries)) from exc
    return job.status if job is not None else "missing"
