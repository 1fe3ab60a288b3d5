"""Background jobs of the tracking app (thin: load by id, call a service, idempotent)."""

import datetime
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.imports import import_job_fail, import_job_run
from learners.services.appointments import appointment_request_notify
from learners.services.bookings import offers_expire
from learners.services.digests import weekly_digests_send
from learners.services.job_log import TRANSIENT_ERRORS, logged_job
from learners.services.notices import booking_notices_send
from learners.services.privacy import retention_run
from learners.services.reminders import reminders_send
from learners.services.session_changes import session_change_emails_send

# --- Spreadsheet imports ---------------------------------------------------------------------

IMPORT_MAX_RETRIES = 5


def retry_delay_max() -> int:
    """The longest retry countdown: half the broker's visibility timeout (300 s). A task
    waiting for its countdown sits unacknowledged in a worker; past the visibility timeout
    Redis would hand it to another worker as well."""
    return max(1, settings.CELERY_VISIBILITY_TIMEOUT // 2)


def import_retry_delay(retries: int) -> int:
    """Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped (`retry_delay_max`)."""
    return min(retry_delay_max() - 5, 10 * 2**retries) + random.randint(0, 5)  # noqa: S311


@shared_task(
    bind=True, name="learners.import_job_run", acks_late=True, max_retries=IMPORT_MAX_RETRIES
)
@logged_job("import")  # the job log of the admin's "Tâches de fond"
def import_job_run_task(self, job_id: str) -> str:
    """Import a confirmed spreadsheet (`learners.imports.import_job_run`).

    Idempotent: a job already done, failed or cancelled is left alone, so a duplicate
    delivery or a manual re-run does nothing. Transient database errors are retried with
    backoff (nothing was written: the import is one transaction); after the last retry
    the job is marked failed, visible in "Mes imports".
    """
    try:
        job = import_job_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        # The import's transaction is rolled back: nothing written, say so (the largest
        # accepted file takes about 70 s, the soft limit is 300 s).
        import_job_fail(
            job_id=job_id,
            message=_("L'import a pris trop de temps : rien n'a été importé. Découpez le fichier."),
        )
        return "failed"
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


# --- Reminders, weekly digest, retention -----------------------------------------------------
# Each is idempotent (see learners.services.sending), logged in JobRun by `logged_job`, retried
# with exponential backoff on transient errors (mail server or database unreachable), and
# scheduled in CELERY_BEAT_SCHEDULE (config/settings/base.py). `today` is an ISO date, for
# reruns and tests; by default the worker's local date.

JOB_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,  # = retry_delay_max() with the default visibility timeout
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(today: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(today) if today else None


def _follow_up(task, day: datetime.date) -> None:
    """Queue the rest of `task`'s work for `day`, on the queue this run came from."""
    queue = (task.request.delivery_info or {}).get("routing_key")
    task.apply_async(kwargs={"today": day.isoformat()}, **({"queue": queue} if queue else {}))


def _send_in_pieces(task, service, today: str | None) -> dict:
    """Run a sending service for at most JOBS_SEND_BUDGET_SECONDS; what is left goes to a
    follow-up task for the same day (the claims make the pieces add up to one message per
    person, whatever runs twice)."""
    day = _day(today) or timezone.localdate()
    result = service(today=day, budget=settings.JOBS_SEND_BUDGET_SECONDS)
    if result.remaining:
        _follow_up(task, day)
    return result.as_dict()


@shared_task(name="learners.reminders_send", **JOB_TASK_OPTIONS)
@logged_job("reminders")
def reminders_send_task(self, today: str | None = None) -> dict:
    """Reminders for tomorrow's sessions, once per person and session date."""
    return _send_in_pieces(self, reminders_send, today)


@shared_task(name="learners.booking_notices", ignore_result=True, **JOB_TASK_OPTIONS)
@logged_job("booking_notices", failures_only=True)
def booking_notices_task(
    self, booking_ids: list[int], kind: str, reason: str = "", change: str = ""
) -> dict:
    """Messages about sign-ups (`learners.services.notices.booking_notices_later`): each
    at most once, so a retry after the SMS provider or the mail server failed sends only
    what was not sent (`SmsProviderUnavailable` is a ConnectionError, retried like them).

    Started by every sign-up, so its job log keeps only the runs that fail or will be
    retried (what a coordinator must see in « Tâches de fond »): a run that succeeds is
    already recorded, message by message, in `MessageSent` (kind, channel, sent_at, SMS
    billed), and two more committed writes per sign-up (the JobRun row « en cours », then
    « réussie ») were a third of the writes of a sign-up. The scheduled jobs log every run.
    Its result is not stored (`ignore_result`): nothing reads it, and it cost a Redis write
    and a key kept for an hour per sign-up."""
    return booking_notices_send(
        booking_ids=booking_ids, kind=kind, reason=reason, change=change
    ).as_dict()


@shared_task(name="learners.weekly_digest_send", **JOB_TASK_OPTIONS)
@logged_job("weekly_digest")
def weekly_digest_send_task(self, today: str | None = None) -> dict:
    """Each counsellor's week ahead, once per ISO week."""
    return _send_in_pieces(self, weekly_digests_send, today)


@shared_task(name="learners.retention_run", **JOB_TASK_OPTIONS)
@logged_job("retention")
def retention_run_task(self, today: str | None = None) -> dict:
    """Anonymise people inactive for RETENTION_MONTHS, purge old audit rows and logs; in
    pieces of JOBS_SEND_BUDGET_SECONDS like the sending jobs (a first run on a large
    database can have tens of thousands of people to anonymise)."""
    day = _day(today) or timezone.localdate()
    result = retention_run(today=day, budget=settings.JOBS_SEND_BUDGET_SECONDS)
    if result.remaining:
        _follow_up(self, day)
    return result.as_dict()


# --- Statistics ------------------------------------------------------------------------------
# The nightly refresh of the pre-computed dashboards and the computation of one selection
# too large to compute during a request (see learners.statistics.snapshots).


@shared_task(name="learners.statistics_refresh", **JOB_TASK_OPTIONS)
@logged_job("statistics_refresh")
def statistics_refresh_task(self, today: str | None = None) -> dict:
    """Recompute the network's yearly figures and those of the large communes: one
    `statistics_snapshot_compute` task per selection (the whole refresh takes about
    9 minutes at national scale, the largest selection about one: each task stays well
    below the visibility timeout)."""
    from learners.statistics.snapshots import snapshots_refresh

    queued = snapshots_refresh(today=_day(today), defer=True)
    return {
        "computed": queued,
        "summary": _("%(n)d tableaux de statistiques à recalculer") % {"n": queued},
    }


@shared_task(name="learners.statistics_snapshot_compute", **JOB_TASK_OPTIONS)
@logged_job("statistics_snapshot")
def statistics_snapshot_compute(self, scope: dict, filters: dict) -> dict:
    """Compute and store one dashboard selection (idempotent: the row is replaced)."""
    from learners.selectors.statistics import StatisticsFilters, StatisticsScope
    from learners.statistics.snapshots import snapshot_compute

    snapshot = snapshot_compute(
        scope=StatisticsScope(**scope), filters=StatisticsFilters.from_dict(filters)
    )
    return {
        "key": snapshot.key,
        "summary": _("calculées en %(seconds)s s") % {"seconds": round(snapshot.seconds or 0)},
    }


# --- Dashboard copies ------------------------------------------------------------------------


@shared_task(name="learners.structure_links_refresh", **JOB_TASK_OPTIONS)
@logged_job("structure_links_refresh")
def structure_links_refresh_task(self) -> dict:
    """Put every structure link's copies of its person's dates back in step
    (`structure_links_check`): nightly, and queued by `structure_links_refresh_soon`."""
    from django.core.cache import cache

    from learners.services.activity import REFRESH_QUEUED_KEY, structure_links_check

    cache.delete(REFRESH_QUEUED_KEY)
    return structure_links_check()


# --- Public sign-ups (« Près de chez vous ») -------------------------------------------------


@shared_task(name="learners.booking_offers_expire", **JOB_TASK_OPTIONS)
def booking_offers_expire_task(self) -> int:
    """Offered places past their deadline go to the next person (idempotent; every 10 min)."""
    return offers_expire(now=timezone.now())


@shared_task(name="learners.appointment_request_notify", **JOB_TASK_OPTIONS)
def appointment_request_notify_task(self, request_id: int) -> int:
    """Tell the venue's structure about an appointment request (e-mail)."""
    return appointment_request_notify(request_id=request_id)


@shared_task(name="learners.session_change_emails", **JOB_TASK_OPTIONS)
def session_change_emails_task(
    self, session_id: int, kind: str, previous_start: str, reason: str = "", change: str = ""
) -> dict:
    """Tell the registered people of a cancelled or moved session by e-mail, once each
    (`learners.services.session_changes`)."""
    return session_change_emails_send(
        session_id=session_id,
        kind=kind,
        previous_start=datetime.datetime.fromisoformat(previous_start),
        reason=reason,
        change=change,
    ).as_dict()
