"""Cycles: one transaction, all or nothing, each session editable alone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Session, SessionSeries, SignupScope
from learners.services import session_update
from learners.services.series import series_create, series_starts
from tests.factories.learners import VenueFactory, at

pytestmark = pytest.mark.django_db


def next_tuesday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def values(venue, **extra):
    return {"kind": SessionKind.WORKSHOP, "venue": venue, "capacity": 10, **extra}


def test_every_tuesday_for_six_weeks(counsellor_a, structure_a):
    venue = VenueFactory(structure=structure_a)
    starts = series_starts(first_day=next_tuesday(), time=datetime.time(14), every_weeks=1, count=6)
    series = series_create(
        user=counsellor_a,
        title="Découvrir la tablette",
        starts=starts,
        signup_scope=SignupScope.PER_DATE,
        session_values=values(venue, duration_minutes=120),
    )
    sessions = list(series.sessions.order_by("start"))
    assert len(sessions) == 6
    assert {timezone.localtime(s.start).weekday() for s in sessions} == {1}
    assert {timezone.localtime(s.start).hour for s in sessions} == {14}  # across DST too
    assert {s.title for s in sessions} == {"Découvrir la tablette"}
    assert all(s.is_published and s.structure_id == structure_a.pk for s in sessions)
    assert series.signup_scope == SignupScope.PER_DATE
    assert all(list(s.counsellors.all()) == [counsellor_a.counsellor] for s in sessions)


def test_every_two_weeks():
    starts = series_starts(
        first_day=next_tuesday(), time=datetime.time(9, 30), every_weeks=2, count=3
    )
    assert [(b - a).days for a, b in zip(starts, starts[1:], strict=False)] in ([14, 14],)


def test_a_date_in_the_past_creates_nothing(counsellor_a, structure_a):
    venue = VenueFactory(structure=structure_a)
    past = at(timezone.localdate() - datetime.timedelta(days=7), 14)
    future = at(next_tuesday(), 14)
    with pytest.raises(ValidationError) as exc:
        series_create(
            user=counsellor_a, title="Cycle", starts=[future, past], session_values=values(venue)
        )
    assert "déjà passé" in str(exc.value)
    assert not SessionSeries.objects.exists() and not Session.objects.exists()


def test_a_refused_session_rolls_back_the_whole_cycle(counsellor_a, structure_a):
    """A session the service refuses (no venue for a session « dans un lieu »): the error
    names the date, nothing is kept, not even the cycle."""
    starts = [at(next_tuesday() + datetime.timedelta(weeks=i), 14) for i in range(3)]
    with pytest.raises(ValidationError) as exc:
        series_create(
            user=counsellor_a,
            title="Cycle",
            starts=starts,
            session_values={"kind": SessionKind.WORKSHOP, "place_type": "lieu", "venue": None},
        )
    assert "Aucune séance n'a été créée" in str(exc.value)
    assert not Session.objects.exists()
    assert not SessionSeries.objects.exists()


def test_the_same_day_twice_is_refused(counsellor_a, structure_a):
    venue = VenueFactory(structure=structure_a)
    day = next_tuesday()
    with pytest.raises(ValidationError) as exc:
        series_create(
            user=counsellor_a,
            title="Cycle",
            starts=[at(day, 10), at(day, 14)],
            session_values=values(venue),
        )
    assert "deux fois" in str(exc.value)
    assert not Session.objects.exists()


def test_a_counsellor_cannot_create_a_cycle_for_another_structure(counsellor_a, structure_b):
    from django.core.exceptions import PermissionDenied

    venue = VenueFactory(structure=structure_b)
    starts = [at(next_tuesday() + datetime.timedelta(weeks=i), 14) for i in range(2)]
    with pytest.raises(PermissionDenied):
        series_create(
            user=counsellor_a,
            title="Cycle",
            starts=starts,
            session_values=values(venue, structure=structure_b),
        )
    assert not Session.objects.exists()


def test_each_session_stays_editable_alone(counsellor_a, structure_a):
    venue = VenueFactory(structure=structure_a)
    starts = series_starts(first_day=next_tuesday(), time=datetime.time(14), every_weeks=1, count=3)
    series = series_create(
        user=counsellor_a, title="Cycle", starts=starts, session_values=values(venue)
    )
    first, second, third = series.sessions.order_by("start")
    session_update(user=counsellor_a, session=second, data={"capacity": 4})
    assert [s.capacity for s in series.sessions.order_by("start")] == [10, 4, 10]
