"""The statistics dashboard as the view needs it: the user's scope, the raw figures and the
published report (suppression applied).

Where the figures come from (see `learners.statistics.snapshots` for why):
1. a fresh pre-computed snapshot of exactly this selection, if there is one (there are
   only for selections too large to compute live: the nightly job keeps the network's
   years and the large communes ready);
2. else a live computation when the selection is small enough (always up to date);
3. else a worker computes it (`snapshot_request`); with no broker (eager Celery, the
   embedded default) that happens at once and the page shows the result; otherwise the
   page says the figures are being computed (`Dashboard.pending`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from learners.models import StatisticsSnapshot
from learners.selectors.statistics import (
    StatisticsFilters,
    StatisticsScope,
    statistics_compute_for_scope,
    statistics_scope,
)

from . import snapshots
from .report import Report, report_build


@dataclass
class Dashboard:
    scope: StatisticsScope
    filters: StatisticsFilters
    report: Report | None
    computed_at: datetime.datetime | None
    from_snapshot: bool
    pending: StatisticsSnapshot | None = None
    # An older snapshot shown while a worker computes a new one.
    refreshing: bool = False


def statistics_dashboard(*, user, filters: StatisticsFilters) -> Dashboard:
    """PermissionDenied for a user without access (partner editors, anonymous users)."""
    return statistics_dashboard_for_scope(scope=statistics_scope(user=user), filters=filters)


def statistics_dashboard_for_scope(
    *, scope: StatisticsScope, filters: StatisticsFilters
) -> Dashboard:
    """The dashboard of an already checked scope (the read API's keys map to one)."""
    refreshing = False
    # Snapshots exist only for selections too large to compute live (the nightly job and
    # the on-demand job only make those), so a fresh one is used without further checks.
    snapshot = snapshots.snapshot_find(scope=scope, filters=filters)
    if snapshot is None and snapshots.live_is_heavy(scope=scope, filters=filters):
        requested = snapshots.snapshot_request(scope=scope, filters=filters)
        # Computed already (no broker), or an older result to show meanwhile.
        snapshot = snapshots.snapshot_find(scope=scope, filters=filters)
        if snapshot is None:
            snapshot = snapshots.snapshot_find(scope=scope, filters=filters, any_age=True)
            refreshing = snapshot is not None
        if snapshot is None:
            return Dashboard(
                scope=scope,
                filters=filters,
                report=None,
                computed_at=None,
                from_snapshot=False,
                pending=requested,
            )
    if snapshot is not None:
        data, computed_at, from_snapshot = snapshot.data, snapshot.computed_at, True
    else:
        data = statistics_compute_for_scope(scope=scope, filters=filters)
        computed_at, from_snapshot = timezone.now(), False
    return Dashboard(
        scope=scope,
        filters=filters,
        report=report_build(data),
        computed_at=computed_at,
        from_snapshot=from_snapshot,
        refreshing=refreshing,
    )
