"""Reads of the job log ("Tâches de fond"), for coordinators only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.types import AnyUser
from learners.models import JobRun, JobStatus
from learners.roles import is_coordinator

RECENT_FAILURE_DAYS = 7
# A run still "en cours" after this long was interrupted (worker killed, machine lost).
STALE_AFTER = datetime.timedelta(hours=2)

JOB_LABELS = {
    "reminders": gettext_lazy("Rappels des séances du lendemain"),
    "booking_notices": gettext_lazy("Messages aux personnes inscrites (SMS, courriels)"),
    "weekly_digest": gettext_lazy("Récapitulatif hebdomadaire des conseillers"),
    "retention": gettext_lazy("Durée de conservation : anonymisation et purges"),
    "import": gettext_lazy("Import de tableur"),
    "statistics_refresh": gettext_lazy("Statistiques pré-calculées"),
    "statistics_snapshot": gettext_lazy("Statistiques d'une sélection (calcul à la demande)"),
    "api_tombstones_purge": gettext_lazy("API : oubli des retraits anciens"),
    "structure_links_refresh": gettext_lazy(
        "Tableaux de bord : personnes bloquées après un changement de niveaux"
    ),
}


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


def job_runs_for_user(
    *, user: AnyUser, name: str = "", failed_only: bool = False
) -> QuerySet[JobRun]:
    """The job log, newest first; empty for anyone but a coordinator."""
    if not is_coordinator(user):
        return JobRun.objects.none()
    qs = JobRun.objects.all()
    if name:
        qs = qs.filter(name=name)
    if failed_only:
        qs = qs.filter(status=JobStatus.FAILED)
    return qs.order_by("-started_at", "-id")


@dataclass
class JobOverview:
    name: str
    label: str
    last_run: JobRun | None
    last_success: JobRun | None
    recent_failures: int

    @property
    def is_failing(self) -> bool:
        return self.last_run is not None and self.last_run.status == JobStatus.FAILED


def job_overview(*, user: AnyUser, now: datetime.datetime | None = None) -> list[JobOverview]:
    """One line per known job: its last run, its last success, failures in the last week.
    Three queries per job (the list of jobs is fixed); empty for non-coordinators."""
    if not is_coordinator(user):
        return []
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECENT_FAILURE_DAYS)
    lines = []
    for name in JOB_LABELS:
        runs = JobRun.objects.filter(name=name).order_by("-started_at", "-id")
        lines.append(
            JobOverview(
                name=name,
                label=job_label(name),
                last_run=runs.first(),
                last_success=runs.filter(status=JobStatus.OK).first(),
                recent_failures=runs.filter(status=JobStatus.FAILED, started_at__gte=since).count(),
            )
        )
    return lines


def job_failures_recent_count(*, user: AnyUser, now: datetime.datetime | None = None) -> int:
    """Failed runs of the last week (for the admin home panel); 0 for non-coordinators."""
    if not is_coordinator(user):
        return 0
    since = (now or timezone.now()) - datetime.timedelta(days=RECENT_FAILURE_DAYS)
    return JobRun.objects.filter(status=JobStatus.FAILED, started_at__gte=since).count()


def job_run_is_stale(run: JobRun, *, now: datetime.datetime | None = None) -> bool:
    """Still "en cours" long after it started: the worker was probably lost."""
    now = now or timezone.now()
    return run.status == JobStatus.RUNNING and now - run.started_at > STALE_AFTER
