"""The dashboard's figures equal the same figures computed by hand in raw SQL, on a
seeded random dataset (several structures, counsellors, communes, kinds, themes, people
seen by several structures, absences, sessions the year before)."""

import datetime
import random

import pytest
from django.db import connection

from learners.age_bands import age_band
from learners.choices import AttendanceStatus, Gender, SessionKind, SocialStatus
from learners.selectors.statistics import StatisticsFilters, statistics_compute
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    CounsellorFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    at,
)
from tests.factories.workshops import theme

pytestmark = pytest.mark.django_db

YEAR = 2024


@pytest.fixture
def random_world(coordinator):
    rng = random.Random(5)
    structures = [StructureFactory() for _ in range(3)]
    counsellors = {s.pk: [CounsellorFactory(structure=s) for _ in range(2)] for s in structures}
    communes = [CommuneFactory() for _ in range(4)]
    venues = {s.pk: [VenueFactory(structure=s, commune=rng.choice(communes))] for s in structures}
    themes = [theme("e-mail"), theme("securite-numerique"), theme("demarches-papiers")]
    people = [
        LearnerFactory(
            structure=rng.choice(structures),
            birth_year=rng.choice([None, 1940, 1955, 1962, 1980, 1999, 2006, 2007, 2015]),
            commune=rng.choice([None, *communes]),
            gender=rng.choice(Gender.values),
            social_status=rng.choice(SocialStatus.values),
        )
        for _ in range(40)
    ]
    for _ in range(45):
        structure = rng.choice(structures)
        day = datetime.date(
            rng.choice([2023, 2024, 2024, 2024]), rng.randint(1, 12), rng.randint(1, 28)
        )
        session = SessionFactory(
            structure=structure,
            venue=rng.choice(venues[structure.pk]),
            start=at(day, rng.randint(9, 17)),
            kind=rng.choice(SessionKind.values),
            duration_minutes=rng.choice([30, 60, 90, 120]),
        )
        session.counsellors.set(rng.sample(counsellors[structure.pk], rng.randint(1, 2)))
        session.themes.set(rng.sample(themes, rng.randint(0, 2)))
        for person in rng.sample(people, rng.randint(1, 6)):
            AttendanceFactory(
                session=session,
                learner=person,
                status=rng.choice([AttendanceStatus.PRESENT] * 4 + [AttendanceStatus.ABSENT]),
            )
    return people


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(YEAR FROM {column} AT TIME ZONE 'Europe/Paris')::int"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"  # no session near midnight UTC here


def test_figures_match_raw_sql(random_world, coordinator):
    assert_matches_raw_sql(coordinator, YEAR, minimum_people=10)


def test_figures_match_raw_sql_on_the_demo_data(coordinator):
    """The same check on the demo (load_demo: about a minute and a half)."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("load_demo", verbosity=0)
    assert_matches_raw_sql(coordinator, timezone.localdate().year, minimum_people=20)


# Present attendance in [%s, %s), with the session (s) and the person (l).
PRESENT = """
    FROM learners_attendance a
    JOIN learners_session s ON s.id = a.session_id
    JOIN learners_learner l ON l.id = a.learner_id
    LEFT JOIN learners_session_themes st ON st.session_id = s.id
    WHERE a.status = 'present' AND s.start >= %s AND s.start < %s
"""
SEEN_BEFORE = """ AND NOT EXISTS (
    SELECT 1 FROM learners_attendance b JOIN learners_session t ON t.id = b.session_id
    WHERE b.learner_id = a.learner_id AND b.status = 'present' AND t.start < %s)"""
# (the themes join repeats rows; every figure below counts DISTINCT people or attendance ids)


def assert_matches_raw_sql(coordinator, year: int, *, minimum_people: int):
    data = statistics_compute(user=coordinator, filters=StatisticsFilters.year(year))
    low = at(datetime.date(year, 1, 1), 0)
    high = at(datetime.date(year + 1, 1, 1), 0)
    period = [low, high]
    ((people, presences),) = sql(
        "SELECT COUNT(DISTINCT a.learner_id), COUNT(DISTINCT a.id)" + PRESENT, period
    )
    assert (data["people"], data["presences"]) == (people, presences)
    assert people >= minimum_people

    ((new,),) = sql("SELECT COUNT(DISTINCT a.learner_id)" + PRESENT + SEEN_BEFORE, [*period, low])
    assert data["new_people"] == new

    sessions = {
        kind: (n, minutes)
        for kind, n, minutes in sql(
            "SELECT kind, COUNT(*), SUM(duration_minutes) FROM learners_session "
            # A cancelled session was not held: the statistics leave it out.
            "WHERE start >= %s AND start < %s AND cancelled_at IS NULL GROUP BY kind",
            period,
        )
    }
    by_kind = {
        kind: (p, n)
        for kind, p, n in sql(
            "SELECT s.kind, COUNT(DISTINCT a.learner_id), COUNT(DISTINCT a.id)"
            + PRESENT
            + " GROUP BY s.kind",
            period,
        )
    }
    for kind, figures in data["kinds"].items():
        n, minutes = sessions.get(kind, (0, 0))
        assert (figures["sessions"], figures["minutes"]) == (n, minutes or 0)
        assert (figures["people"], figures["presences"]) == by_kind.get(kind, (0, 0))

    by_theme = dict(
        sql(
            "SELECT st.theme_id, COUNT(DISTINCT a.learner_id)" + PRESENT + " GROUP BY st.theme_id",
            period,
        )
    )
    assert {row["key"]: row["people"] for row in data["themes"] if row["people"]} == by_theme

    def cube_sum(index: int) -> dict:
        totals: dict = {}
        for row in data["people_cube"]:
            key = None if row[index] == "_aucune" else row[index]
            totals[key] = totals.get(key, 0) + row[-1]
        return totals

    by_commune = dict(
        sql(
            "SELECT l.commune_id, COUNT(DISTINCT a.learner_id)"
            + PRESENT
            + " GROUP BY l.commune_id",
            period,
        )
    )
    assert cube_sum(0) == by_commune
    by_gender = dict(
        sql(
            "SELECT l.gender, COUNT(DISTINCT a.learner_id)" + PRESENT + " GROUP BY l.gender", period
        )
    )
    assert cube_sum(3) == by_gender

    # Age band at the date of each person's first session of the year.
    first_years = sql(
        f"SELECT l.birth_year, MIN({year_of('s.start')})"
        + PRESENT
        + " GROUP BY a.learner_id, l.birth_year",
        period,
    )
    expected_bands: dict[str, int] = {}
    for birth_year, first_year in first_years:
        band = age_band(birth_year, datetime.date(int(first_year), 6, 1))
        expected_bands[band] = expected_bands.get(band, 0) + 1
    assert cube_sum(1) == expected_bands

    march = [at(datetime.date(year, 3, 1), 0), at(datetime.date(year, 4, 1), 0)]
    ((march_people,),) = sql(
        "SELECT COUNT(DISTINCT a.learner_id)" + PRESENT + " AND s.start >= %s AND s.start < %s",
        [*period, *march],
    )
    assert next(r for r in data["monthly"] if r["month"] == f"{year}-03")["people"] == march_people
