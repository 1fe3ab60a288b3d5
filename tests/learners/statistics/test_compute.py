"""Figures of `statistics_compute` on the known-answer world (see conftest)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from learners.selectors.statistics import (
    NONE,
    StatisticsFilters,
    statistics_compute,
    statistics_scope,
)
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db

YEAR = StatisticsFilters.year(2024)


def cube_sum(data, index, value):
    return sum(row[-1] for row in data["people_cube"] if row[index] == value)


def test_network_headline(world, coordinator):
    data = statistics_compute(user=coordinator, filters=YEAR)
    assert data["people"] == 4  # p1 seen by two counsellors of two structures counts once
    assert data["new_people"] == 3  # p2 came in 2023
    assert data["presences"] == 8
    assert data["anonymous"] == 3
    assert data["sessions"] == 5
    assert data["minutes"] == 420


def test_kinds(world, coordinator):
    kinds = statistics_compute(user=coordinator, filters=YEAR)["kinds"]
    assert kinds["permanence"] == {
        "sessions": 1,
        "minutes": 60,
        "people": 2,
        "presences": 2,
        "anonymous": 0,
    }
    assert kinds["atelier"] == {
        "sessions": 3,
        "minutes": 330,
        "people": 4,
        "presences": 5,
        "anonymous": 3,
    }
    assert kinds["echange"] == {
        "sessions": 1,
        "minutes": 30,
        "people": 1,
        "presences": 1,
        "anonymous": 0,
    }
    assert kinds["individuel"]["sessions"] == 0


def test_people_breakdowns(world, coordinator):
    data = statistics_compute(user=coordinator, filters=YEAR)
    assert sum(row[-1] for row in data["people_cube"]) == 4
    assert cube_sum(data, 1, "12_17") == 1  # p1, 17 in 2024
    assert cube_sum(data, 1, "70_plus") == 1
    assert cube_sum(data, 1, "40_59") == 1  # p5: session on 31/12/2024 at 23:30 is in 2024
    assert cube_sum(data, 1, "nc") == 1
    assert cube_sum(data, 2, "60_plus") == 1
    assert cube_sum(data, 2, "35_59") == 1
    assert cube_sum(data, 3, "feminin") == 2
    assert cube_sum(data, 4, "retraite") == 1
    assert cube_sum(data, 5, True) == 3
    assert cube_sum(data, 0, "T8501") == 2
    assert cube_sum(data, 0, "T8502") == 1
    assert cube_sum(data, 0, NONE) == 1
    assert data["residence_presences"] == {"T8501": 5, "T8502": 2, NONE: 1}


def test_themes_and_venue_communes(world, coordinator):
    data = statistics_compute(user=coordinator, filters=YEAR)
    themes = {row["name"]: row for row in data["themes"]}
    assert themes["E-mail"]["people"] == 2
    assert themes["Prévention en sécurité numérique"]["anonymous"] == 3
    none = next(row for row in data["themes"] if row["key"] is None)
    assert (none["sessions"], none["people"], none["presences"]) == (2, 3, 3)
    venues = {row["key"]: row for row in data["venue_communes"]["rows"]}
    assert (venues["T8501"]["sessions"], venues["T8501"]["people"]) == (2, 3)
    assert venues["T8502"]["presences"] == 3
    assert venues[NONE]["minutes"] == 30


def test_monthly(world, coordinator):
    monthly = {
        row["month"]: row for row in statistics_compute(user=coordinator, filters=YEAR)["monthly"]
    }
    assert len(monthly) == 12
    assert monthly["2024-04"] == {
        "month": "2024-04",
        "people": 2,
        "sessions": 2,
        "presences": 3,
        "anonymous": 3,
    }
    assert monthly["2024-12"]["people"] == 1
    assert monthly["2024-05"]["sessions"] == 0


def test_progress(world, coordinator):
    progress = statistics_compute(user=coordinator, filters=YEAR)["progress"]
    assert progress["observed"] == 4
    assert progress["progressed"] == 2
    rows = {row["code"]: row for row in progress["rows"]}
    assert rows["S1.1"]["gains"] == {"2": 1, "0": 1}
    assert rows["S1.2"]["gains"] == {"0": 2, "1": 1}


def test_retention(world, coordinator):
    retention = statistics_compute(user=coordinator, filters=YEAR)["retention"]
    assert retention["rows"] == [
        {
            "key": world.atelier_x.pk,
            "name": "Se protéger des arnaques",
            "cycles": 1,
            "started": 2,
            "retained": 1,
        }
    ]


def test_scopes(world, coordinator, counsellor_a, counsellor_b, partner_editor):
    assert statistics_compute(user=counsellor_a, filters=YEAR)["people"] == 3
    assert statistics_compute(user=world.ca2.user, filters=YEAR)["people"] == 2
    manager = statistics_compute(user=world.manager.user, filters=YEAR)
    assert (manager["people"], manager["presences"]) == (3, 5)
    assert statistics_compute(user=counsellor_b, filters=YEAR)["people"] == 2
    with pytest.raises(PermissionDenied):
        statistics_scope(user=partner_editor)
    with pytest.raises(PermissionDenied):
        statistics_compute(user=UserFactory(), filters=YEAR)


def test_commune_filter(world, coordinator):
    data = statistics_compute(
        user=coordinator, filters=StatisticsFilters.year(2024, commune_code="T8501")
    )
    assert (data["people"], data["sessions"], data["anonymous"]) == (2, 5, 0)


def test_theme_filter_includes_sub_themes(world, coordinator):
    parent = world.papers.parent
    data = statistics_compute(
        user=coordinator, filters=StatisticsFilters.year(2024, theme_id=parent.pk)
    )
    assert (data["people"], data["sessions"]) == (1, 1)


def test_age_band_at_the_session_date(world, coordinator):
    data = statistics_compute(
        user=coordinator,
        filters=StatisticsFilters(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)),
    )
    assert data["people"] == 1
    assert cube_sum(data, 1, "25_39") == 1  # p6 born 2000, 25 in 2025
