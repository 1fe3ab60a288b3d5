"""Pre-computed statistics, refreshed by a nightly job (decided after measuring).

Measured with `bench/statistics.py` at national scale (1,000,000 people, 10,000,000
attendance records, 5,000,000 observations; bench/results/statistics.txt), on 2 CPUs: the
live computation of one year takes about 60 s for the whole network, and about 6 s for the
commune of residence with the most people (18,500 people); it stays under a second only
up to about 400 people reached (a typical commune, a structure, a counsellor). Distinct
counts and per-person figures (age band at the first session, new people, progression)
read every attendance and observation of the people concerned, which no index avoids. So:

- the dashboard computes live when the selection is small: at most `STATS_LIVE_MAX_ROWS`
  attendance records (default 2,500, about 400 people; see `live_is_heavy`; always on
  SQLite), so small networks and small selections are always up to date;
- larger selections read a stored snapshot of exactly that scope, period and filters,
  younger than `STATS_SNAPSHOT_MAX_AGE_HOURS` (default 26 h), and the page says when it
  was computed. The nightly job (`snapshots_refresh`, Celery task
  `learners.tasks.statistics_refresh`, in `CELERY_BEAT_SCHEDULE`) computes those of the
  network and of each commune of residence with at least
  `STATS_SNAPSHOT_COMMUNE_MIN_PEOPLE` people reached (default 100) that are too large to
  compute live, for the last `STATS_SNAPSHOT_YEARS` calendar years (default 2): about 260
  snapshots in 9 minutes at national scale;
- any other large selection (a kind or a theme over the whole network, a large structure)
  is computed by a worker on demand (`snapshot_request`, one job per selection at a time;
  an older snapshot stays readable meanwhile) and the page says it is being computed;
  with no broker (the embedded default) the job runs at once, in the request.

Snapshots hold counts only, no personal data, and small-cell suppression is applied when
they are shown, like live figures. Their key includes `FORMAT_VERSION`: bump it when the
shape of `statistics_compute` changes and older snapshots are ignored.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
from dataclasses import asdict

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from common.background import background_task
from learners.choices import AttendanceStatus
from learners.models import Attendance, Session, StatisticsSnapshot
from learners.selectors.statistics import (
    SCOPE_NETWORK,
    StatisticsFilters,
    StatisticsScope,
    base_attendances,
    period_bounds,
    statistics_compute_for_scope,
)

# The Celery task computing one selection (`learners.tasks`, above this module).
COMPUTE_TASK = "learners.statistics_snapshot_compute"

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
# live_is_heavy: an estimate this many times the limit is heavy without counting; the
# bounded count gives up (heavy) after this long.
ESTIMATE_FACTOR = 20
COUNT_TIMEOUT_MS = 300
PENDING_TIMEOUT = datetime.timedelta(minutes=30)
# Snapshots nobody refreshes (one-off selections) are deleted after this long.
KEEP_ONE_OFF = datetime.timedelta(days=7)

Status = StatisticsSnapshot.Status


def _setting(name: str, default):
    return getattr(settings, name, default)


def snapshot_key(scope: StatisticsScope, filters: StatisticsFilters) -> str:
    payload = {"v": FORMAT_VERSION, "scope": asdict(scope), "filters": filters.as_dict()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def snapshot_find(*, scope: StatisticsScope, filters: StatisticsFilters, any_age: bool = False):
    """The ready snapshot of exactly this selection, if fresh enough (or of any age with
    `any_age`); else None."""
    snapshots = StatisticsSnapshot.objects.filter(
        key=snapshot_key(scope, filters), status=Status.READY
    )
    if not any_age:
        max_age = datetime.timedelta(hours=_setting("STATS_SNAPSHOT_MAX_AGE_HOURS", 26))
        snapshots = snapshots.filter(computed_at__gte=timezone.now() - max_age)
    return snapshots.only("data", "computed_at").first()


def live_is_heavy(*, scope: StatisticsScope, filters: StatisticsFilters) -> bool:
    """Would computing this selection live take long (more than about a second)? The
    measure is the number of attendance records of the selection, against
    `STATS_LIVE_MAX_ROWS` (default 2,500; None: never heavy; 0: always), on PostgreSQL:

    1. PostgreSQL's estimate (planning only): far above the limit means heavy at once;
    2. else the records are counted, stopping at the limit + 1, within 300 ms (a timeout
       means heavy): estimates are poor for the many small values of a column (a commune
       outside the most common ones is always estimated at a few hundred rows), so the
       count decides. A few milliseconds when the selection is small.

    Always False on other databases (the embedded SQLite default serves small networks)."""
    limit = _setting("STATS_LIVE_MAX_ROWS", 2_500)
    if limit is not None and limit <= 0:
        return True  # everything is computed by workers
    if limit is None or connection.vendor != "postgresql":
        return False
    queryset = base_attendances(scope, filters).values("id")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    if plan[0]["Plan"]["Plan Rows"] > ESTIMATE_FACTOR * limit:
        return True
    bounded_sql, bounded_params = queryset[: limit + 1].query.sql_with_params()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            previous = cursor.fetchone()[0]
            cursor.execute("SET LOCAL statement_timeout = %s", [f"{COUNT_TIMEOUT_MS}ms"])
            cursor.execute(f"SELECT COUNT(*) FROM ({bounded_sql}) bounded", bounded_params)  # noqa: S608
            count = cursor.fetchone()[0]
            cursor.execute("SET LOCAL statement_timeout = %s", [previous])
    except OperationalError:  # cancelled by the timeout
        return True
    return count > limit


def _snapshot_fields(scope: StatisticsScope, filters: StatisticsFilters) -> dict:
    return {
        "scope_level": scope.level,
        "structure_id": scope.structure_id,
        "counsellor_id": scope.counsellor_id,
        "period_start": filters.start,
        "period_end": filters.end,
        "filters": filters.as_dict(),
    }


def snapshot_compute(*, scope: StatisticsScope, filters: StatisticsFilters) -> StatisticsSnapshot:
    """Compute the selection's figures and store them (idempotent: one row per selection,
    replaced). A failure is recorded on the row, then raised."""
    key = snapshot_key(scope, filters)
    started = time.monotonic()
    try:
        data = statistics_compute_for_scope(scope=scope, filters=filters)
    except Exception as exc:
        StatisticsSnapshot.objects.filter(key=key).update(
            status=Status.FAILED, error=str(exc)[:300]
        )
        raise
    now = timezone.now()
    snapshot, _created = StatisticsSnapshot.objects.update_or_create(
        key=key,
        defaults={
            **_snapshot_fields(scope, filters),
            "status": Status.READY,
            "data": data,
            "computed_at": now,
            "requested_at": now,
            "seconds": round(time.monotonic() - started, 3),
            "error": "",
        },
    )
    return snapshot


def _in_flight(snapshot: StatisticsSnapshot, now: datetime.datetime) -> bool:
    """A job was asked for this row less than 30 minutes ago and has not finished."""
    asked_since = snapshot.computed_at is None or snapshot.requested_at > snapshot.computed_at
    return (
        snapshot.status != Status.FAILED
        and asked_since
        and snapshot.requested_at > now - PENDING_TIMEOUT
    )


def snapshot_request(*, scope: StatisticsScope, filters: StatisticsFilters) -> StatisticsSnapshot:
    """Ask a worker to compute this selection, once: while a job asked for less than 30
    minutes ago is running, asking again does nothing. A ready (older) snapshot stays
    readable meanwhile. The job starts after the current transaction commits."""
    key = snapshot_key(scope, filters)
    now = timezone.now()
    with transaction.atomic():
        snapshot, created = StatisticsSnapshot.objects.select_for_update().get_or_create(
            key=key,
            defaults={**_snapshot_fields(scope, filters), "requested_at": now},
        )
        if not created:
            if _in_flight(snapshot, now):
                return snapshot
            snapshot.requested_at = now
            if snapshot.status == Status.FAILED:
                snapshot.status = Status.PENDING
            snapshot.save(update_fields=["status", "requested_at"])
        background_task(COMPUTE_TASK).delay_on_commit(asdict(scope), filters.as_dict())
    return snapshot


def _years_to_refresh(today: datetime.date) -> list[int]:
    count = max(1, int(_setting("STATS_SNAPSHOT_YEARS", 2)))
    first = Session.objects.aggregate(first=Min("start"))["first"]
    if first is None:
        return []
    first_year = timezone.localtime(first).year
    return [y for y in range(today.year - count + 1, today.year + 1) if y >= first_year]


def _large_communes(year: int) -> list[str]:
    minimum = int(_setting("STATS_SNAPSHOT_COMMUNE_MIN_PEOPLE", 100))
    low, high = period_bounds(StatisticsFilters.year(year))
    return list(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            session__start__gte=low,
            session__start__lt=high,
            learner__commune__isnull=False,
        )
        .values("learner__commune_id")
        .annotate(people=Count("learner_id", distinct=True))
        .filter(people__gte=minimum)
        .order_by("learner__commune_id")
        .values_list("learner__commune_id", flat=True)
    )


def snapshots_refresh(*, today: datetime.date | None = None, defer: bool = False) -> int:
    """The nightly refresh, for each recent year: the network, and each commune of
    residence with at least `STATS_SNAPSHOT_COMMUNE_MIN_PEOPLE` people reached, when that
    selection is too large to compute live (`live_is_heavy`, the same rule the dashboard
    uses, so a selection is either computed live or pre-computed). Then one-off snapshots
    older than a week are deleted. Returns the number of snapshots computed (`defer`: queued,
    one Celery task each, so that no task runs for long; see `learners.tasks`)."""
    today = today or timezone.localdate()
    network = StatisticsScope(level=SCOPE_NETWORK)
    computed = 0
    for year in _years_to_refresh(today):
        candidates = [StatisticsFilters.year(year)] + [
            StatisticsFilters.year(year, commune_code=code) for code in _large_communes(year)
        ]
        for filters in candidates:
            if live_is_heavy(scope=network, filters=filters):
                if defer:
                    task = background_task(COMPUTE_TASK)
                    task.delay_on_commit(asdict(network), filters.as_dict())
                else:
                    snapshot_compute(scope=network, filters=filters)
                computed += 1
    StatisticsSnapshot.objects.filter(
        requested_at__lt=timezone.now() - KEEP_ONE_OFF,
    ).delete()
    logger.info("statistics snapshots refreshed: %d", computed)
    return computed
