"""Taking a person off a session's sheet (`attendance_remove`)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AttendanceStatus, AuditAction
from learners.models import Attendance, AuditLog, LearnerStructure, Observation
from learners.services import (
    SheetRow,
    attendance_register,
    attendance_remove,
    attendance_sheet_save,
)
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(structure_a):
    return LearnerFactory(structure=structure_a, first_name="Lucienne", last_name="Moreau")


def days_ago(n):
    return at(timezone.localdate() - datetime.timedelta(days=n))


def test_a_mistaken_registration_is_removed_and_frees_the_seat(counsellor_a, structure_a, person):
    session = SessionFactory(structure=structure_a, capacity=1)
    attendance_register(user=counsellor_a, session=session, learner=person)
    other = LearnerFactory(structure=structure_a)
    with pytest.raises(ValidationError):
        attendance_register(user=counsellor_a, session=session, learner=other)
    attendance_remove(user=counsellor_a, session=session, learner=person)
    assert not Attendance.objects.filter(session=session, learner=person).exists()
    attendance_register(user=counsellor_a, session=session, learner=other)
    log = AuditLog.objects.filter(learner=person).latest("id")
    assert log.action == AuditAction.DELETE
    assert log.user == counsellor_a
    assert f"séance {session.pk}" in log.detail
    # The person and their link to the structure stay: only the line goes.
    assert LearnerStructure.objects.filter(learner=person, structure=structure_a).exists()


def test_removing_a_presence_gives_back_the_previous_last_attendance(
    counsellor_a, structure_a, person
):
    earlier = SessionFactory(structure=structure_a, start=days_ago(30))
    wrong = SessionFactory(structure=structure_a, start=days_ago(2))
    attendance_sheet_save(user=counsellor_a, session=earlier, rows=[SheetRow(person.pk)])
    attendance_sheet_save(user=counsellor_a, session=wrong, rows=[SheetRow(person.pk)])
    person.refresh_from_db()
    assert person.last_attended_on == wrong.local_date
    attendance_remove(user=counsellor_a, session=wrong, learner=person)
    person.refresh_from_db()
    assert person.last_attended_on == earlier.local_date
    link = LearnerStructure.objects.get(learner=person, structure=structure_a)
    assert link.last_attended_on == earlier.local_date


def test_a_line_with_levels_recorded_is_kept(counsellor_a, structure_a, socle, person):
    session = SessionFactory(structure=structure_a, start=days_ago(1), competences=socle[:1])
    rows = [SheetRow(person.pk, levels={socle[0].pk: level("socle", 1).pk})]
    attendance_sheet_save(user=counsellor_a, session=session, rows=rows)
    with pytest.raises(ValidationError) as caught:
        attendance_remove(user=counsellor_a, session=session, learner=person)
    assert "Des niveaux ont été notés pour Lucienne M." in caught.value.messages[0]
    assert Attendance.objects.filter(session=session, learner=person).exists()
    assert Observation.objects.filter(session=session, learner=person).count() == 1


def test_not_on_the_sheet(counsellor_a, structure_a, person):
    session = SessionFactory(structure=structure_a)
    with pytest.raises(ValidationError) as caught:
        attendance_remove(user=counsellor_a, session=session, learner=person)
    assert caught.value.messages == ["Lucienne M. n'est pas sur la feuille de cette séance."]


def test_refused_outside_the_structure_and_to_partner_editors(
    counsellor_b, partner_editor, coordinator, structure_a, person
):
    session = SessionFactory(structure=structure_a)
    AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
    for user in (counsellor_b, partner_editor):
        with pytest.raises(PermissionDenied):
            attendance_remove(user=user, session=session, learner=person)
    assert Attendance.objects.filter(session=session, learner=person).exists()
    attendance_remove(user=coordinator, session=session, learner=person)
    assert not Attendance.objects.filter(session=session, learner=person).exists()
