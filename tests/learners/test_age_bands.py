import datetime
import zoneinfo

import pytest
from django.db.models import Count

from learners.age_bands import (
    SCHEME_2021,
    age_at,
    age_band,
    age_band_expression,
    age_band_label,
)
from learners.models import Attendance
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_born_2007_changes_band_with_the_session_year():
    assert age_band(2007, datetime.date(2024, 12, 31)) == "12_17"
    assert age_band_label(age_band(2007, datetime.date(2024, 6, 1))) == "12-18 ans"
    assert age_band(2007, datetime.date(2025, 1, 1)) == "18_24"
    assert age_band_label("18_24") == "18-24 ans"


@pytest.mark.parametrize(
    ("age", "current", "older"),
    [
        (0, "moins_12", "moins_12"),
        (11, "moins_12", "moins_12"),
        (12, "12_17", "12_17"),
        (17, "12_17", "12_17"),
        (18, "18_24", "18_34"),
        (24, "18_24", "18_34"),
        (25, "25_39", "18_34"),
        (34, "25_39", "18_34"),
        (35, "25_39", "35_59"),
        (39, "25_39", "35_59"),
        (40, "40_59", "35_59"),
        (59, "40_59", "35_59"),
        (60, "60_69", "60_plus"),
        (69, "60_69", "60_plus"),
        (70, "70_plus", "60_plus"),
        (101, "70_plus", "60_plus"),
    ],
)
def test_band_boundaries(age, current, older):
    day = datetime.date(2024, 5, 1)
    assert age_band(2024 - age, day) == current
    assert age_band(2024 - age, day, scheme=SCHEME_2021) == older


def test_unknown_birth_year_and_impossible_ages():
    day = datetime.date(2024, 5, 1)
    assert age_band(None, day) == "nc"
    assert age_band(2025, day) == "nc"
    assert age_band_label("nc", SCHEME_2021) == "Non communiqué"
    assert age_band_label("60_plus", SCHEME_2021) == "Plus de 60 ans"
    with pytest.raises(ValueError):
        age_band(1990, day, scheme="1999")


def test_year_is_taken_in_paris_time():
    # 1 January 2025 at 00:30 in Paris is still 31 December 2024 in UTC: Paris counts.
    new_year_paris = datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS)
    assert age_at(2007, new_year_paris.astimezone(datetime.UTC)) == 18
    assert age_band(2007, new_year_paris.astimezone(datetime.UTC)) == "18_24"


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["current", SCHEME_2021])
def test_sql_expression_equals_python(scheme):
    structure = LearnerFactory().structure
    sessions = [
        SessionFactory(structure=structure, start=at(datetime.date(2024, 12, 31), 23)),
        SessionFactory(
            structure=structure,
            start=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=PARIS),
        ),
        SessionFactory(structure=structure, start=at(datetime.date(2021, 3, 1))),
    ]
    birth_years = [None, 2007, 2013, 1990, 1965, 1956, 1950, 1940, 2026]
    for year in birth_years:
        learner = LearnerFactory(structure=structure, birth_year=year)
        for session in sessions:
            AttendanceFactory(session=session, learner=learner)
    rows = Attendance.objects.annotate(band=age_band_expression(scheme=scheme)).select_related(
        "learner", "session"
    )
    assert rows.count() == len(birth_years) * len(sessions)
    for row in rows:
        assert row.band == age_band(row.learner.birth_year, row.session.start, scheme), (
            row.learner.birth_year,
            row.session.start,
        )
    # It aggregates in SQL.
    counts = dict(
        Attendance.objects.annotate(band=age_band_expression(scheme=scheme))
        .values("band")
        .annotate(n=Count("id"))
        .values_list("band", "n")
    )
    assert sum(counts.values()) == rows.count()
