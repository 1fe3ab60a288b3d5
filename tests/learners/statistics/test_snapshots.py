"""Pre-computed statistics: the nightly refresh, their use by the dashboard, freshness,
the Celery tasks (eager here), and that a snapshot holds the same figures as live."""

import datetime

import pytest
from django.utils import timezone

from learners.models import JobRun, StatisticsSnapshot
from learners.selectors.statistics import (
    StatisticsFilters,
    StatisticsScope,
    statistics_compute_for_scope,
)
from learners.statistics.dashboard import statistics_dashboard
from learners.statistics.snapshots import snapshot_key, snapshots_refresh
from learners.tasks import statistics_refresh_task, statistics_snapshot_compute

pytestmark = pytest.mark.django_db

NETWORK = StatisticsScope(level="network")
END_OF_2024 = datetime.date(2024, 12, 31)


def test_refresh_computes_recent_years_and_large_communes(world, settings):
    settings.STATS_SNAPSHOT_COMMUNE_MIN_PEOPLE = 2
    assert snapshots_refresh(today=END_OF_2024) == 0  # all small enough to compute live
    settings.STATS_LIVE_MAX_ROWS = 0  # as if every selection were large
    assert snapshots_refresh(today=END_OF_2024) == 3  # 2023, 2024, Landeronde in 2024
    keys = set(StatisticsSnapshot.objects.values_list("key", flat=True))
    assert keys == {
        snapshot_key(NETWORK, StatisticsFilters.year(2023)),
        snapshot_key(NETWORK, StatisticsFilters.year(2024)),
        snapshot_key(NETWORK, StatisticsFilters.year(2024, commune_code="T8501")),
    }
    # Idempotent: running it again replaces the rows.
    assert snapshots_refresh(today=END_OF_2024) == 3
    assert StatisticsSnapshot.objects.count() == 3


def test_snapshot_holds_the_live_figures_and_is_used(world, coordinator, settings):
    settings.STATS_LIVE_MAX_ROWS = 0
    snapshots_refresh(today=END_OF_2024)
    settings.STATS_LIVE_MAX_ROWS = 5000
    filters = StatisticsFilters.year(2024)
    stored = StatisticsSnapshot.objects.get(key=snapshot_key(NETWORK, filters))
    assert stored.data == statistics_compute_for_scope(scope=NETWORK, filters=filters)
    dashboard = statistics_dashboard(user=coordinator, filters=filters)
    assert dashboard.from_snapshot
    assert dashboard.computed_at == stored.computed_at
    assert dashboard.report.headline["people"].text == "< 5"


def test_stale_snapshot_is_shown_while_a_new_one_is_computed(
    world, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.STATS_LIVE_MAX_ROWS = 0
    snapshots_refresh(today=END_OF_2024)
    computed = timezone.now() - datetime.timedelta(hours=30)
    StatisticsSnapshot.objects.update(computed_at=computed, requested_at=computed)
    filters = StatisticsFilters.year(2024)
    with django_capture_on_commit_callbacks() as jobs:
        first = statistics_dashboard(user=coordinator, filters=filters)
        second = statistics_dashboard(user=coordinator, filters=filters)
    assert len(jobs) == 1  # asked once
    assert first.from_snapshot and first.refreshing and first.computed_at == computed
    assert second.refreshing
    settings.STATS_SNAPSHOT_MAX_AGE_HOURS = 48
    fresh_enough = statistics_dashboard(user=coordinator, filters=filters)
    assert fresh_enough.from_snapshot and not fresh_enough.refreshing


def test_counsellor_never_gets_the_network_snapshot(world, counsellor_a, settings):
    settings.STATS_LIVE_MAX_ROWS = 0
    snapshots_refresh(today=END_OF_2024)
    dashboard = statistics_dashboard(user=counsellor_a, filters=StatisticsFilters.year(2024))
    assert not dashboard.from_snapshot
    assert dashboard.report is None and dashboard.pending.scope_level == "counsellor"
    settings.STATS_LIVE_MAX_ROWS = 5000
    dashboard = statistics_dashboard(user=counsellor_a, filters=StatisticsFilters.year(2024))
    assert dashboard.report.headline["sessions"].value == 2  # s1 and s6 only


def test_one_off_snapshots_are_cleaned_after_a_week(world, settings):
    settings.STATS_LIVE_MAX_ROWS = 0
    old = timezone.now() - datetime.timedelta(days=8)
    StatisticsSnapshot.objects.create(
        key="x" * 64,
        scope_level="network",
        period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2024, 3, 31),
        requested_at=old,
        computed_at=old,
        status="ready",
        data={},
    )
    snapshots_refresh(today=END_OF_2024)
    assert not StatisticsSnapshot.objects.filter(key="x" * 64).exists()


def test_tasks(world, settings, django_capture_on_commit_callbacks):
    settings.STATS_LIVE_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = statistics_refresh_task.delay(today="2024-12-31").get()
    assert result["computed"] == 2
    assert "2 tableaux de statistiques à recalculer" in result["summary"]
    run = JobRun.objects.get(name="statistics_refresh")
    assert run.status == "ok"
    # One task per selection (no task runs for long): both computed once committed.
    assert len(callbacks) == 2
    assert StatisticsSnapshot.objects.filter(status="ready").count() == 2
    assert JobRun.objects.filter(name="statistics_snapshot", status="ok").count() == 2
    JobRun.objects.filter(name="statistics_snapshot").delete()
    result = statistics_snapshot_compute.delay(
        {"level": "network", "structure_id": None, "counsellor_id": None},
        StatisticsFilters.year(2024, kind="atelier").as_dict(),
    ).get()
    assert StatisticsSnapshot.objects.get(key=result["key"]).data["sessions"] == 3
    assert JobRun.objects.get(name="statistics_snapshot").status == "ok"


def test_no_data_no_snapshot():
    assert snapshots_refresh(today=END_OF_2024) == 0


def test_heavy_rule_on_postgresql(world, settings):
    """On PostgreSQL the records of the selection are counted, up to the limit."""
    from django.db import connection

    from learners.statistics.snapshots import live_is_heavy

    if connection.vendor != "postgresql":
        settings.STATS_LIVE_MAX_ROWS = 2
        assert not live_is_heavy(scope=NETWORK, filters=StatisticsFilters.year(2024))
        return
    settings.STATS_LIVE_MAX_ROWS = 2
    assert live_is_heavy(scope=NETWORK, filters=StatisticsFilters.year(2024))  # 8 records
    assert not live_is_heavy(
        scope=NETWORK, filters=StatisticsFilters.year(2024, commune_code="T8502")
    )  # 2 records
    settings.STATS_LIVE_MAX_ROWS = 8
    assert not live_is_heavy(scope=NETWORK, filters=StatisticsFilters.year(2024))
    # The count's timeout does not stay on the connection.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
