"""The modification time of an activity record (`Session.updated_at`) moves whenever
anything the record shows changes, so an incremental sync sees the change."""

import datetime

import pytest
from django.utils import timezone

from learners.choices import AttendanceStatus, Gender
from learners.models import Session
from learners.services import (
    attendance_register,
    attendance_remove,
    attendance_sheet_save,
    learner_merge,
    learner_update,
    session_anonymous_participants_set,
    session_update,
)
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    coordinator_user,
    counsellor_user,
)
from tests.factories.workshops import theme

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(days=3)


@pytest.fixture
def setting():
    structure = StructureFactory()
    user = counsellor_user(structure=structure, manager=True)
    session = SessionFactory(structure=structure)
    person = LearnerFactory(structure=structure, birth_year=1950, gender=Gender.FEMALE)
    return {"structure": structure, "user": user, "session": session, "person": person}


def _age(*sessions):
    """Pretend these records were last modified days ago; returns that moment."""
    moment = timezone.now() - LONG_AGO
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(updated_at=moment)
    return moment


def _modified(session):
    return Session.objects.values_list("updated_at", flat=True).get(pk=session.pk)


def test_registering_a_person_bumps(setting):
    before = _age(setting["session"])
    attendance_register(user=setting["user"], session=setting["session"], learner=setting["person"])
    assert _modified(setting["session"]) > before


def test_an_attendance_sheet_bumps(setting):
    before = _age(setting["session"])
    attendance_sheet_save(
        user=setting["user"],
        session=setting["session"],
        rows=[{"learner_id": setting["person"].pk, "status": AttendanceStatus.PRESENT}],
    )
    assert _modified(setting["session"]) > before


def test_removing_a_person_bumps(setting):
    AttendanceFactory(session=setting["session"], learner=setting["person"])
    before = _age(setting["session"])
    attendance_remove(user=setting["user"], session=setting["session"], learner=setting["person"])
    assert _modified(setting["session"]) > before


def test_anonymous_counts_bump(setting):
    before = _age(setting["session"])
    session_anonymous_participants_set(
        user=setting["user"], session=setting["session"], counts={("nc", "feminin"): 2}
    )
    assert _modified(setting["session"]) > before


def test_themes_bump(setting):
    before = _age(setting["session"])
    setting["session"].refresh_from_db()
    session_update(
        user=setting["user"], session=setting["session"], data={"themes": [theme("e-mail")]}
    )
    assert _modified(setting["session"]) > before


def test_a_birth_year_or_gender_change_bumps_the_sessions_attended(setting):
    AttendanceFactory(session=setting["session"], learner=setting["person"])
    elsewhere = SessionFactory(structure=setting["structure"])
    AttendanceFactory(
        session=elsewhere, learner=setting["person"], status=AttendanceStatus.REGISTERED
    )
    untouched = SessionFactory(structure=setting["structure"])
    before = _age(setting["session"], elsewhere, untouched)
    learner_update(user=setting["user"], learner=setting["person"], data={"birth_year": 1990})
    assert _modified(setting["session"]) > before
    # Registered but not present: not counted in that record, which does not move.
    assert _modified(elsewhere) == before
    assert _modified(untouched) == before
    before = _age(setting["session"])
    learner_update(user=setting["user"], learner=setting["person"], data={"gender": Gender.MALE})
    assert _modified(setting["session"]) > before


def test_a_change_of_notes_does_not_bump(setting):
    AttendanceFactory(session=setting["session"], learner=setting["person"])
    before = _age(setting["session"])
    learner_update(user=setting["user"], learner=setting["person"], data={"notes": "Rappeler"})
    assert _modified(setting["session"]) == before


def test_a_merge_bumps_the_sessions_of_both_records(setting):
    other_session = SessionFactory(structure=setting["structure"])
    twin = LearnerFactory(structure=setting["structure"], birth_year=1980, gender=Gender.MALE)
    AttendanceFactory(session=setting["session"], learner=setting["person"])
    AttendanceFactory(session=other_session, learner=twin)
    before = _age(setting["session"], other_session)
    learner_merge(user=coordinator_user(), keep=setting["person"], remove=twin)
    assert _modified(setting["session"]) > before
    assert _modified(other_session) > before
