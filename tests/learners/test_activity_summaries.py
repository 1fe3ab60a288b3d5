"""The participant summary of each session (`SessionActivitySummary`, read by the API on
PostgreSQL) equals the counts of the Python reference
(`learners.selectors.activity_records`) after every kind of write, on SQLite and PostgreSQL."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from learners.choices import AttendanceStatus, Gender
from learners.models import AnonymousParticipants, Attendance, Learner, SessionActivitySummary
from learners.selectors.activity_records import (
    BAND_CODES,
    GENDER_CODES,
    activity_records_page,
)
from learners.services import (
    attendance_register,
    attendance_remove,
    attendance_sheet_save,
    learner_merge,
    learner_update,
    session_anonymous_participants_set,
)
from learners.services.activity_summaries import activity_summaries_rebuild
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
    coordinator_user,
    counsellor_user,
)

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in AttendanceStatus if s != AttendanceStatus.WAITING]
BIRTH_YEARS = [None, 1940, 1956, 1970, 1999, 2006, 2007, 2015, 2030]


def _reference() -> dict[int, tuple]:
    return {
        r.id: (r.present, r.anonymous, r.by_band(), r.by_gender())
        for r in activity_records_page(size=100_000)
    }


def _summaries() -> dict[int, tuple]:
    zero = (0, 0, dict.fromkeys(BAND_CODES, 0), dict.fromkeys(GENDER_CODES, 0))
    stored = {
        s.session_id: (s.registered, s.anonymous, s.by_age_band, s.by_gender)
        for s in SessionActivitySummary.objects.all()
    }
    return {session_id: stored.get(session_id, zero) for session_id in _reference()}


def _assert_equal(step: str = "") -> None:
    assert _summaries() == _reference(), step


@pytest.fixture
def world():
    structure = StructureFactory()
    user = counsellor_user(structure=structure, manager=True)
    # New Year's Eve at 23:30 in Paris counts in that year (the band uses the local year).
    new_year = timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30))
    days = [at(timezone.localdate() - datetime.timedelta(days=d)) for d in (1, 40, 400)]
    sessions = [SessionFactory(structure=structure, start=start) for start in [new_year, *days]]
    people = [
        LearnerFactory(
            structure=structure,
            birth_year=BIRTH_YEARS[i % len(BIRTH_YEARS)],
            gender=list(Gender)[i % len(Gender)],
        )
        for i in range(8)
    ]
    return {"structure": structure, "user": user, "sessions": sessions, "people": people}


def test_each_kind_of_write_keeps_the_summary(world):
    user, sessions, people = world["user"], world["sessions"], world["people"]
    attendance_register(user=user, session=sessions[0], learner=people[0])
    _assert_equal("registered: not present, not counted")
    attendance_sheet_save(
        user=user,
        session=sessions[0],
        rows=[{"learner_id": p.pk, "status": AttendanceStatus.PRESENT} for p in people[:5]],
    )
    _assert_equal("sheet")
    assert SessionActivitySummary.objects.get(session=sessions[0]).registered == 5
    session_anonymous_participants_set(
        user=user,
        session=sessions[0],
        counts={("12_17", Gender.MALE): 3, ("nc", Gender.UNKNOWN): 1},
    )
    _assert_equal("anonymous counts")
    learner_update(user=user, learner=people[1], data={"birth_year": 2012})
    _assert_equal("birth year")
    learner_update(user=user, learner=people[2], data={"gender": Gender.FEMALE})
    _assert_equal("gender")
    attendance_sheet_save(
        user=user,
        session=sessions[1],
        rows=[{"learner_id": people[5].pk, "status": AttendanceStatus.PRESENT}],
    )
    learner_merge(user=coordinator_user(), keep=people[1], remove=people[5])
    _assert_equal("merge")
    attendance_sheet_save(
        user=user,
        session=sessions[0],
        rows=[{"learner_id": people[3].pk, "status": AttendanceStatus.ABSENT}],
    )
    _assert_equal("marked absent")
    attendance_remove(user=user, session=sessions[0], learner=people[4])
    _assert_equal("removed")
    AttendanceFactory(session=sessions[2], learner=people[6])
    AnonymousParticipants.objects.create(
        session=sessions[2], age_band="70_plus", gender=Gender.FEMALE, count=2
    )
    _assert_equal("single saves outside the services")
    Attendance.objects.get(session=sessions[2], learner=people[6]).delete()
    _assert_equal("single delete outside the services")


def test_random_writes_keep_the_summary(world):
    """Property-style: 60 random writes through the services, checked after each."""
    rng = random.Random(15)
    user, sessions, people = world["user"], world["sessions"], list(world["people"])
    coordinator = coordinator_user()
    for step in range(60):
        session, person = rng.choice(sessions), rng.choice(people)
        action = rng.choice(["sheet", "register", "remove", "anonymous", "update", "merge"])
        if action == "sheet":
            chosen = rng.sample(people, rng.randint(1, len(people)))
            rows = [{"learner_id": p.pk, "status": rng.choice(STATUSES)} for p in chosen]
            attendance_sheet_save(user=user, session=session, rows=rows)
        elif action == "register":
            attendance_register(user=user, session=session, learner=person)
        elif (
            action == "remove"
            and Attendance.objects.filter(
                session=session, learner=person, learner__observations__isnull=True
            ).exists()
        ):
            attendance_remove(user=user, session=session, learner=person)
        elif action == "anonymous":
            counts = {
                (rng.choice(BAND_CODES), rng.choice(GENDER_CODES)): rng.randint(0, 4)
                for _ in range(rng.randint(0, 3))
            }
            session_anonymous_participants_set(user=user, session=session, counts=counts)
        elif action == "update":
            data = rng.choice(
                [
                    {"birth_year": rng.choice(BIRTH_YEARS[1:-1])},
                    {"gender": rng.choice(GENDER_CODES)},
                ]
            )
            learner_update(user=user, learner=Learner.objects.get(pk=person.pk), data=data)
        elif action == "merge" and len(people) > 3:
            keep, remove = rng.sample(people, 2)
            learner_merge(user=coordinator, keep=keep, remove=remove)
            people.remove(remove)
        _assert_equal(f"step {step}: {action}")
    assert SessionActivitySummary.objects.exists()


def test_the_rebuild_gives_the_same_summaries(world):
    user, sessions, people = world["user"], world["sessions"], world["people"]
    for i, session in enumerate(sessions):
        attendance_sheet_save(
            user=user,
            session=session,
            rows=[{"learner_id": p.pk, "status": AttendanceStatus.PRESENT} for p in people[i:]],
        )
    AnonymousParticipants.objects.bulk_create(
        [AnonymousParticipants(session=sessions[3], age_band="nc", gender=Gender.UNKNOWN, count=4)]
    )  # a bulk write outside the services: the rebuild repairs it
    assert _summaries() != _reference()
    assert activity_summaries_rebuild() == len(sessions)
    _assert_equal("rebuild")
    SessionActivitySummary.objects.all().delete()
    call_command("rebuild_activity_summaries", stdout=open("/dev/null", "w"))
    _assert_equal("command")


def test_a_deleted_session_takes_its_summary(world):
    session = world["sessions"][0]
    AttendanceFactory(session=session, learner=world["people"][0])
    assert SessionActivitySummary.objects.filter(session=session).exists()
    session.delete()
    assert not SessionActivitySummary.objects.filter(session_id=session.pk).exists()


def test_bulk_writes_are_covered_by_the_touch_the_imports_call(world):
    """The attendance and La Coop imports, the sheet and the merge write in bulk (no
    signal), then call `activity_records_touch`: that call refreshes the summaries."""
    from learners.services.activity_records import activity_records_touch

    session, people = world["sessions"][1], world["people"]
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, learner=p, status=AttendanceStatus.PRESENT)
            for p in people[:4]
        ]
    )
    AnonymousParticipants.objects.bulk_create(
        [AnonymousParticipants(session=session, age_band="25_39", gender=Gender.MALE, count=2)]
    )
    assert _summaries() != _reference()
    activity_records_touch(session_ids=[session.pk])
    _assert_equal("touch after bulk writes")
    assert SessionActivitySummary.objects.get(session=session).registered == 4
