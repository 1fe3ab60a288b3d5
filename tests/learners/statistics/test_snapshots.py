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


def test_snapshot_holds_the_live_figures_and_is_used(world, coordinator):
    snapshots_refresh(today=END_OF_2024)
    filters = StatisticsFilters.year(2024)
    stored = StatisticsSnapshot.objects.get(key=snapshot_key(NETWORK, filters))
    assert stored.data == statistics_compute_for_scope(scope=NETWORK, filters=filters)
    dashboard = statistics_dashboard(user=coordinator, filters=filters)
    assert dashboard.from_snapshot
    assert dashboard.computed_at == stored.computed_at
    # Another selection (a filter) is computed live.
    other = statistics_dashboard(
        user=coordinator, filters=StatisticsFilters.year(2024, kind="atelier")
    )
    assert not other.from_snapshot


def test_stale_snapshot_is_not_used(world, coordinator, settings):
    snapshots_refresh(today=END_OF_2024)
    StatisticsSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=30))
    assert not statistics_dashboard(
        user=coordinator, filters=StatisticsFilters.year(2024)
    ).from_snapshot
    settings.STATS_SNAPSHOT_MAX_AGE_HOURS = 48
    assert statistics_dashboard(
        user=coordinator, filters=StatisticsFilters.year(2024)
    ).from_snapshot


def test_counsellor_never_gets_the_network_snapshot(world, counsellor_a):
    snapshots_refresh(today=END_OF_2024)
    dashboard = statistics_dashboard(user=counsellor_a, filters=StatisticsFilters.year(2024))
    assert not dashboard.from_snapshot
    assert dashboard.report.headline["sessions"].value == 2  # s1 and s6 only


def test_one_off_snapshots_are_cleaned_after_a_week(world):
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


def test_tasks(world):
    result = statistics_refresh_task.delay(today="2024-12-31").get()
    assert result["computed"] == 2
    assert "2 tableaux de statistiques recalculés" in result["summary"]
    run = JobRun.objects.get(name="statistics_refresh")
    assert run.status == "ok"
    key = statistics_snapshot_compute.delay(
        {"level": "network", "structure_id": None, "counsellor_id": None},
        StatisticsFilters.year(2024, kind="atelier").as_dict(),
    ).get()
    assert StatisticsSnapshot.objects.get(key=key).data["sessions"] == 3


def test_no_data_no_snapshot():
    assert snapshots_refresh(today=END_OF_2024) == 0
