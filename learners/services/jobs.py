"""Background jobs: their log (`JobRun`), session reminders and the counsellors' digest.

The job log
-----------
Every periodic task is decorated with `logged_job(name)` (under `@shared_task(bind=True)`),
and every management command runs its service through `job_run_track`. One `JobRun` row
per run: created "en cours" when the run starts, then "réussie" with a summary (counts,
never personal data), or "nouvel essai prévu" when Celery will retry (the retry updates
the same row, keyed by the task id, and counts the attempt), or "échec" with the error
(exception class and message, e-mail addresses and phone numbers masked). A decorator
rather than Celery signals because it also covers management commands and eager runs, and
it decides retry-or-fail with the task's own `autoretry_for` and `max_retries`. A worker
killed outright cannot write anything: its row stays "en cours", and the admin page flags
runs "en cours" for more than `STALE_AFTER` as interrupted (acks_late then redelivers the
task, which updates the same row).

Sending exactly once: at most once
----------------------------------
A reminder (or digest) is first CLAIMED: a `ReminderSent` row is inserted and committed
under a unique constraint (attendance + session start; counsellor + ISO week), then the
message is handed to the mail server, then `sent_at` is set. A second run, a retry or a
concurrent worker sees the claim and skips. If the mail server cannot be reached or fails
on the message, the claim is deleted before the error propagates, so the retry sends it;
an address the server refuses is counted as refused and its claim released too. (One
narrow case goes the other way: a connection dropped after the server queued the message
but before its "250" reached us looks like a failure, and the retry sends it again.)

The crash window is between the committed claim and the mail server's answer: if the
worker dies there, the claim stays with `sent_at` empty and the reminder is NOT sent again
(at most once). The other order (send, then record) would send it twice after such a
crash (at least once). For a reminder to people who are often anxious about digital tools,
two identical e-mails are worse than a missing one, whose session still happens; claims
left without `sent_at` are counted in the job summary ("non confirmés"), so a coordinator
sees them.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learners.choices import AttendanceStatus, PlaceType
from learners.models import (
    Attendance,
    Counsellor,
    DigestSent,
    JobRun,
    JobStatus,
    ReminderSent,
    Session,
)
from workshops.roles import COUNSELLORS

if TYPE_CHECKING:
    from celery import Task
    from django.core.mail.backends.base import BaseEmailBackend
    from django.db.models import QuerySet

    from learners.selectors.sessions import SessionWithSeats

_P = ParamSpec("_P")
_T = TypeVar("_T")
# The claim rows that make a sending loop idempotent.
_Claim = TypeVar("_Claim", ReminderSent, DigestSent)

logger = logging.getLogger(__name__)

# Errors worth retrying: the mail server or the database did not answer (smtplib's
# errors are OSErrors too).
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
# A run still "en cours" after this long was interrupted (worker killed, machine lost).
STALE_AFTER = datetime.timedelta(hours=2)

JOB_LABELS = {
    "reminders": gettext_lazy("Rappels des séances du lendemain"),
    "weekly_digest": gettext_lazy("Récapitulatif hebdomadaire des conseillers"),
    "retention": gettext_lazy("Durée de conservation : anonymisation et purges"),
    "import": gettext_lazy("Import de tableur"),
    "statistics_refresh": gettext_lazy("Statistiques pré-calculées"),
    "statistics_snapshot": gettext_lazy("Statistiques d'une sélection (calcul à la demande)"),
    "structure_links_refresh": gettext_lazy(
        "Tableaux de bord : personnes bloquées après un changement de niveaux"
    ),
}

ERROR_MAX = 2000
_EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?:\+33 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b|\b\d{9,}\b")


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


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
) -> _T:
    """Run `func()` and log it as a `JobRun` named `name` (see the module docstring).
    `task` is the bound Celery task, if any. Returns what `func` returns; re-raises its
    exception after logging it."""
    request = task.request if task is not None else None
    task_id = (getattr(request, "id", None) or "") if request is not None else ""
    attempt = (request.retries or 0) + 1 if request is not None else 1
    run = _safe_write(_job_run_start, name=name, task_id=task_id, attempt=attempt, origin=origin)
    try:
        result = func()
    except BaseException as exc:
        if run is not None:
            status = JobStatus.RETRYING if _will_retry(task, exc) else JobStatus.FAILED
            cause = exc.exc if isinstance(exc, Retry) and exc.exc is not None else exc
            _safe_write(_job_run_end, run, status=status, error=error_text(cause))
        raise
    if run is not None:
        summary = _summary_of(result)
        if _reports_failure(result):
            _safe_write(_job_run_end, run, status=JobStatus.FAILED, summary=summary, error=summary)
        else:
            _safe_write(_job_run_end, run, status=JobStatus.OK, summary=summary)
    return result


# A bound task's function: the task itself first, then the task's arguments.
_BoundTask = Callable[Concatenate["Task[Any, Any]", _P], _T]


def logged_job(name: str) -> Callable[[_BoundTask[_P, _T]], _BoundTask[_P, _T]]:
    """Decorator for a bound Celery task: log every run in `JobRun` under `name`."""

    def decorator(func: _BoundTask[_P, _T]) -> _BoundTask[_P, _T]:
        @functools.wraps(func)
        def wrapper(self: Task[Any, Any], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
            return job_run_track(name=name, task=self, func=lambda: func(self, *args, **kwargs))

        return wrapper

    return decorator


def job_run_command(*, name: str, func: Callable[[], _T]) -> _T:
    """`job_run_track` for a management command (its own row, origin "commande")."""
    return job_run_track(name=name, func=func, origin="commande")


# --- Shared pieces of the messages ---------------------------------------------------------


def french_plural(n: int, one: str, many: str) -> str:
    """French agreement: 0 and 1 take the singular (gettext's fallback without a catalogue
    would use the English rule, "0 envoyés")."""
    return (one if abs(n) < 2 else many) % {"n": n}


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0  # claimed by an earlier or concurrent run
    refused: int = 0  # address refused by the mail server (claim released)
    unconfirmed: int = 0  # claimed, never confirmed (a crash mid-send)
    remaining: int = 0  # left for a follow-up task (the time budget was spent)

    @property
    def summary(self) -> str:
        parts = [
            french_plural(self.sent, _("%(n)d envoyé"), _("%(n)d envoyés")),
            french_plural(self.skipped, _("%(n)d déjà envoyé"), _("%(n)d déjà envoyés")),
        ]
        if self.refused:
            parts.append(
                french_plural(
                    self.refused, _("%(n)d adresse refusée"), _("%(n)d adresses refusées")
                )
            )
        if self.unconfirmed:
            parts.append(
                french_plural(
                    self.unconfirmed,
                    _("%(n)d envoi non confirmé (interrompu)"),
                    _("%(n)d envois non confirmés (interrompus)"),
                )
            )
        if self.remaining:
            parts.append(
                french_plural(
                    self.remaining,
                    _("%(n)d restant pour la tâche suivante"),
                    _("%(n)d restants pour la tâche suivante"),
                )
            )
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "refused": self.refused,
            "unconfirmed": self.unconfirmed,
            "remaining": self.remaining,
            "summary": self.summary,
        }


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def french_time(value: datetime.datetime) -> str:
    """ "14 h 30", "10 h" in the site's time zone (Europe/Paris)."""
    local = timezone.localtime(value)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def french_date(value: datetime.datetime | datetime.date) -> str:
    """ "mardi 12 mars 2024"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override("fr"):
        return formats.date_format(value, "l j F Y")


def french_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _send(connection: BaseEmailBackend, message: EmailMessage) -> bool:
    """Send one message; False when the mail server refused the address (permanent)."""
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused:
        return False
    return True


def _deadline(budget: float | None) -> float | None:
    """The monotonic instant a sending loop stops at (None: no limit). A loop that stops
    reports what is left in `SendResult.remaining`; its task queues a follow-up, so no task
    runs longer than the broker's visibility timeout (README, "Background jobs after a
    crash")."""
    return None if budget is None else time.monotonic() + budget


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _claim(model: type[_Claim], **key: Any) -> _Claim | None:
    """Insert the claim row, or None when another run already has it."""
    try:
        with transaction.atomic():
            return model.objects.create(**key)
    except IntegrityError:
        return None


# --- Reminders -----------------------------------------------------------------------------


def reminders_due(*, today: datetime.date) -> QuerySet[Attendance]:
    """Attendance "inscrit" at sessions starting tomorrow (local day), of people who agreed
    to be contacted and gave an e-mail, not yet claimed for that session date."""
    tomorrow = today + datetime.timedelta(days=1)
    claimed = ReminderSent.objects.filter(
        attendance_id=OuterRef("pk"), session_start=OuterRef("session__start")
    )
    return (
        Attendance.objects.filter(
            status=AttendanceStatus.REGISTERED,
            session__start__gte=_local_midnight(tomorrow),
            session__start__lt=_local_midnight(tomorrow + datetime.timedelta(days=1)),
            learner__anonymized_at__isnull=True,
            learner__contact_consent=True,
        )
        .exclude(learner__email="")
        .filter(~Exists(claimed))
        .select_related("learner", "session__venue__commune", "session__structure")
        .order_by("session__start", "pk")
    )


def place_lines(session: Session) -> list[str]:
    """Where the session happens, one line each, in French."""
    if session.place_type == PlaceType.VENUE and session.venue is not None:
        venue = session.venue
        lines = [venue.name]
        if venue.address:
            lines.append(venue.address)
        town = " ".join(filter(None, (venue.postal_code, venue.commune.name)))
        if town:
            lines.append(town)
        return lines
    if session.place_type == PlaceType.HOME:
        return [_("À domicile")]
    if session.place_type == PlaceType.REMOTE:
        return [_("À distance : votre conseiller ou conseillère vous dira comment vous connecter.")]
    return [_("Le lieu vous sera précisé par la structure.")]


def reminder_message(attendance: Attendance) -> EmailMessage:
    session = attendance.session
    venue = session.venue if session.place_type == PlaceType.VENUE else None
    context = {
        "first_name": attendance.learner.first_name,
        "title": session.display_title,
        "date": french_date(session.start),
        "time": french_time(session.start),
        "duration": french_duration(session.duration_minutes),
        "place_lines": place_lines(session),
        "structure": session.structure.name,
        "phone": venue.phone if venue else "",
        "email": venue.email if venue else "",
    }
    with translation.override("fr"):
        subject = " ".join(
            render_to_string("learners/emails/reminder_subject.txt", context).split()
        )
        body = render_to_string("learners/emails/reminder.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[attendance.learner.email],
        reply_to=[venue.email] if venue and venue.email else None,
    )


def reminders_send(
    *, today: datetime.date | None = None, budget: float | None = None
) -> SendResult:
    """Send tomorrow's reminders, each once (see the module docstring). A mail server
    that cannot be reached raises (the task retries; what was sent stays sent). With a
    `budget` (seconds), stop claiming once it is spent and count the rest as remaining."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    window = {
        "session_start__gte": _local_midnight(tomorrow),
        "session_start__lt": _local_midnight(tomorrow + datetime.timedelta(days=1)),
    }
    result = SendResult()
    result.skipped = ReminderSent.objects.filter(**window, sent_at__isnull=False).count()
    due = list(reminders_due(today=today))
    deadline = _deadline(budget)
    if due:
        connection = get_connection()
        connection.open()
        try:
            for index, attendance in enumerate(due):
                if index and _out_of_time(deadline):  # at least one per piece
                    result.remaining = len(due) - index
                    break
                claim = _claim(
                    ReminderSent, attendance=attendance, session_start=attendance.session.start
                )
                if claim is None:
                    result.skipped += 1
                    continue
                try:
                    delivered = _send(connection, reminder_message(attendance))
                except BaseException:
                    claim.delete()  # not sent: the retry will send it
                    raise
                if delivered:
                    ReminderSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
                    result.sent += 1
                else:
                    claim.delete()
                    result.refused += 1
        finally:
            connection.close()
    result.unconfirmed = ReminderSent.objects.filter(**window, sent_at__isnull=True).count()
    return result


# --- Weekly digest -------------------------------------------------------------------------


@dataclass
class DigestSession:
    session: SessionWithSeats
    places_left: int | None


def _digest_counsellors(*, iso_year: int, iso_week: int) -> QuerySet[Counsellor]:
    claimed = DigestSent.objects.filter(
        counsellor_id=OuterRef("pk"), iso_year=iso_year, iso_week=iso_week
    )
    return (
        Counsellor.objects.filter(user__is_active=True, user__groups__name=COUNSELLORS)
        .exclude(user__email="")
        .filter(~Exists(claimed))
        .select_related("user", "structure")
        .order_by("pk")
        .distinct()
    )


def seats_text(*, taken: int, left: int | None, waiting: int) -> str:
    """ "5 places libres (3 inscrites), 1 en liste d'attente"."""
    registered = french_plural(taken, _("%(n)d inscrite"), _("%(n)d inscrites"))
    if left is None:
        text = _("%(registered)s, places non limitées") % {"registered": registered}
    else:
        free = french_plural(left, _("%(n)d place libre"), _("%(n)d places libres"))
        text = f"{free} ({registered})"
    if waiting:
        text += ", " + _("%(n)d en liste d'attente") % {"n": waiting}
    return text


def digest_message(*, counsellor: Counsellor, today: datetime.date) -> EmailMessage:
    """The week ahead of one counsellor: the sessions they run in the next 7 days with the
    places left, and how many people are stuck or stopped coming (counts only: names of
    the people accompanied never travel by e-mail; the link opens the dashboard)."""
    from learners.selectors import counsellor_dashboard, sessions_for_user

    user = counsellor.user
    week_end = today + datetime.timedelta(days=7)
    sessions = [
        DigestSession(
            session=session,
            places_left=(
                max(session.capacity - session.seats_taken, 0)
                if session.capacity is not None
                else None
            ),
        )
        for session in sessions_for_user(
            user=user, start_from=today, start_before=week_end, mine_only=True
        )[:50]
    ]
    dashboard = counsellor_dashboard(user=user, today=today, limit=1)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "name": user.first_name or user.get_username(),
        "week_start": french_date(today),
        "week_end": french_date(week_end - datetime.timedelta(days=1)),
        "sessions": [
            {
                "title": item.session.display_title,
                "date": french_date(item.session.start),
                "time": french_time(item.session.start),
                "place": ", ".join(place_lines(item.session)[:1]),
                "seats": seats_text(
                    taken=item.session.seats_taken,
                    left=item.places_left,
                    waiting=item.session.waiting_count,
                ),
            }
            for item in sessions
        ],
        "people_lines": [
            french_plural(
                dashboard.stuck_count,
                _(
                    "%(n)d personne bloquée sur une compétence (même niveau après "
                    "plusieurs observations)"
                ),
                _(
                    "%(n)d personnes bloquées sur une compétence (même niveau après "
                    "plusieurs observations)"
                ),
            ),
            french_plural(
                dashboard.stopped_count,
                _("%(n)d personne ne vient plus depuis deux mois"),
                _("%(n)d personnes ne viennent plus depuis deux mois"),
            ),
            french_plural(
                dashboard.progressed_count,
                _("%(n)d personne a progressé ce mois-ci"),
                _("%(n)d personnes ont progressé ce mois-ci"),
            ),
        ],
        "dashboard_url": base + reverse("learners_dashboard"),
        "sessions_url": base + reverse("learners_sessions"),
    }
    with translation.override("fr"):
        subject = " ".join(render_to_string("learners/emails/digest_subject.txt", context).split())
        body = render_to_string("learners/emails/digest.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def weekly_digests_send(
    *, today: datetime.date | None = None, budget: float | None = None
) -> SendResult:
    """Send each counsellor (active, in the counsellors group, with an e-mail) the digest
    of the week starting `today`, once per ISO week (claimed like reminders; `budget` as
    for `reminders_send`)."""
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    result = SendResult()
    week = {"iso_year": iso_year, "iso_week": iso_week}
    result.skipped = DigestSent.objects.filter(**week, sent_at__isnull=False).count()
    counsellors = list(_digest_counsellors(iso_year=iso_year, iso_week=iso_week))
    deadline = _deadline(budget)
    if counsellors:
        connection = get_connection()
        connection.open()
        try:
            for index, counsellor in enumerate(counsellors):
                if index and _out_of_time(deadline):  # at least one per piece
                    result.remaining = len(counsellors) - index
                    break
                claim = _claim(
                    DigestSent, counsellor=counsellor, iso_year=iso_year, iso_week=iso_week
                )
                if claim is None:
                    result.skipped += 1
                    continue
                try:
                    delivered = _send(
                        connection, digest_message(counsellor=counsellor, today=today)
                    )
                except BaseException:
                    claim.delete()
                    raise
                if delivered:
                    DigestSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
                    result.sent += 1
                else:
                    claim.delete()
                    result.refused += 1
        finally:
            connection.close()
    result.unconfirmed = DigestSent.objects.filter(**week, sent_at__isnull=True).count()
    return result
