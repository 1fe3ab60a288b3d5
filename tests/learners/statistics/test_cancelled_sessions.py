"""A cancelled session is kept apart: never an accompaniment held, counted alone."""

import datetime

import pytest
from django.utils import timezone

from learners.choices import AttendanceStatus, SessionKind
from learners.selectors.statistics import StatisticsFilters, statistics_compute
from tests.factories.learners import AttendanceFactory, SessionFactory

pytestmark = pytest.mark.django_db

YEAR = StatisticsFilters.year(2024)


def test_cancelled_sessions_are_counted_apart(world, coordinator, structure_a):
    before = statistics_compute(user=coordinator, filters=YEAR)
    cancelled = SessionFactory(
        structure=structure_a,
        kind=SessionKind.WORKSHOP,
        start=timezone.make_aware(datetime.datetime(2024, 5, 14, 14)),
        duration_minutes=120,
        cancelled_at=timezone.make_aware(datetime.datetime(2024, 5, 10, 9)),
        cancellation_reason="Salle fermée",
    )
    # A registration left on it (never present) changes no figure.
    AttendanceFactory(session=cancelled, status=AttendanceStatus.REGISTERED)
    after = statistics_compute(user=coordinator, filters=YEAR)
    assert after["sessions"] == before["sessions"]
    assert after["minutes"] == before["minutes"]
    assert after["kinds"]["atelier"]["sessions"] == before["kinds"]["atelier"]["sessions"]
    assert after["people"] == before["people"]
    assert before["cancelled_sessions"] == 0
    assert after["cancelled_sessions"] == 1
