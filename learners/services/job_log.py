"""The log of background jobs (`JobRun`), one row per run.

Every periodic task is decorated with `logged_job(name)` (under `@shared_task(bind=True)`),
and every management command runs its service through `job_run_track`. One `JobRun` row
per run: created "en cours" when the run starts, then "réussie" with a summary (counts,
never personal data), or "nouvel essai prévu" when Celery will retry (the retry updates
the same row, keyed by the task id, and counts the attempt), or "échec" with the error
(exception class and message, e-mail addresses and phone numbers masked). A decorator
rather than Celery signals because it also covers management commands and eager runs, and
it decides retry-or-fail with the task's own `autoretry_for` and `max_retries`. A worker
killed outright cannot write anything: its row stays "en cours", and the admin page flags
runs "en cours" for more than `learners.selectors.jobs.STALE_AFTER` as interrupted
(acks_late then redelivers the task, which updates the same row).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from celery.exceptions import Retry
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.models import JobRun, JobStatus

if TYPE_CHECKING:
    from celery import Task

_P = ParamSpec("_P")
_T = TypeVar("_T")

logger = logging.getLogger(__name__)

# Errors worth retrying: the mail server or the database did not answer (smtplib's
# errors are OSErrors too).
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
ERROR_MAX = 2000
_EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?:\+33 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b|\b\d{9,}\b")


def error_text(exc: BaseException) -> str:
    """The exception as a line for coordinators, without e-mail addresses or phones."""
    text = f"{type(exc).__name__}: {exc}"
    text = _EMAIL_RE.sub("[courriel]", text)
    text = _PHONE_RE.sub("[numéro]", text)
    return text[:ERROR_MAX]


def _summary_of(result: object) -> str:
    if isinstance(result, dict):
        return str(result.get("summary", ""))[:500]
    if hasattr(result, "summary"):
        return str(result.summary)[:500]
    if isinstance(result, str | int):
        return _("résultat : %(result)s") % {"result": result}
    return ""


def _reports_failure(result: object) -> bool:
    """A task that handles its own final failure (the import task marks its job failed and
    returns "failed") is logged as failed."""
    if isinstance(result, dict):
        return result.get("status") == "failed"
    return result == "failed"


def _safe_write(action: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T | None:
    """Job bookkeeping must never hide the job's own outcome: log and go on."""
    try:
        return action(*args, **kwargs)
    except DatabaseError:
        logger.exception("Could not write the job log")
        return None


def _job_run_start(*, name: str, task_id: str, attempt: int, origin: str) -> JobRun:
    now = timezone.now()
    if task_id:
        run = JobRun.objects.filter(task_id=task_id, name=name).first()
        if run is not None:
            run.status = JobStatus.RUNNING
            run.attempts = max(run.attempts + 1, attempt)
            run.finished_at = None
            run.save(update_fields=["status", "attempts", "finished_at"])
            return run
    return JobRun.objects.create(
        name=name,
        task_id=task_id,
        origin=origin,
        started_at=now,
        status=JobStatus.RUNNING,
        attempts=attempt,
    )


def _job_run_end(run: JobRun, *, status: str, summary: str = "", error: str = "") -> None:
    run.status = status
    run.finished_at = timezone.now()
    fields = ["status", "finished_at"]
    if summary:
        run.summary = summary
        fields.append("summary")
    if error:
        run.error = error
        fields.append("error")
    run.save(update_fields=fields)


def _will_retry(task: Task[Any, Any] | None, exc: BaseException) -> bool:
    """Would Celery's autoretry retry this task after `exc`? (Never for eager runs: there,
    `retry()` only raises, nothing runs again.)"""
    if task is None or task.request.is_eager:
        return False
    if isinstance(exc, Retry):
        return True
    autoretry_for = tuple(getattr(task, "autoretry_for", ()) or ())
    if not autoretry_for or not isinstance(exc, autoretry_for):
        return False
    return task.max_retries is None or task.request.retries < task.max_retries


def job_run_track(
    *,
    name: str,
    func: Callable[[], _T],
    task: Task[Any, Any] | None = None,
    origin: str = "celery",
    failures_only: bool = False,
) -> _T:
    """Run `func()` and log it as a `JobRun` named `name` (see the module docstring).
    `task` is the bound Celery task, if any. With `failures_only`, a run that succeeds
    writes nothing; one that fails or will be retried gets its row, written then. Returns
    what `func` returns; re-raises its exception after logging it."""
    request = task.request if task is not None else None
    task_id = (getattr(request, "id", None) or "") if request is not None else ""
    attempt = (request.retries or 0) + 1 if request is not None else 1

    def start() -> JobRun | None:
        return _safe_write(
            _job_run_start, name=name, task_id=task_id, attempt=attempt, origin=origin
        )

    run = None if failures_only else start()
    try:
        result = func()
    except BaseException as exc:
        run = run or start()
        if run is not None:
            status = JobStatus.RETRYING if _will_retry(task, exc) else JobStatus.FAILED
            cause = exc.exc if isinstance(exc, Retry) and exc.exc is not None else exc
            _safe_write(_job_run_end, run, status=status, error=error_text(cause))
        raise
    if failures_only and not _reports_failure(result):
        return result
    run = run or start()
    if run is not None:
        summary = _summary_of(result)
        if _reports_failure(result):
            _safe_write(_job_run_end, run, status=JobStatus.FAILED, summary=summary, error=summary)
        else:
            _safe_write(_job_run_end, run, status=JobStatus.OK, summary=summary)
    return result


# A bound task's function: the task itself first, then the task's arguments.
_BoundTask = Callable[Concatenate["Task[Any, Any]", _P], _T]


def logged_job(
    name: str, *, failures_only: bool = False
) -> Callable[[_BoundTask[_P, _T]], _BoundTask[_P, _T]]:
    """Decorator for a bound Celery task: log every run in `JobRun` under `name` (with
    `failures_only`, only the runs that fail or will be retried: for a task started per
    request, whose successes are recorded elsewhere)."""

    def decorator(func: _BoundTask[_P, _T]) -> _BoundTask[_P, _T]:
        @functools.wraps(func)
        def wrapper(self: Task[Any, Any], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
            return job_run_track(
                name=name,
                task=self,
                func=lambda: func(self, *args, **kwargs),
                failures_only=failures_only,
            )

        return wrapper

    return decorator


def job_run_command(*, name: str, func: Callable[[], _T]) -> _T:
    """`job_run_track` for a management command (its own row, origin "commande")."""
    return job_run_track(name=name, func=func, origin="commande")
