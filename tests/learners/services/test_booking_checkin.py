"""« Présent » on an online sign-up: the person is linked or created, never duplicated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import Attendance, AuditLog, BookingStatus, Learner
from learners.selectors.session_bookings import (
    booking_learner_match,
    no_shows_visible,
    sheet_bookings,
)
from learners.services.booking_checkin import booking_check_in, booking_check_in_new_person
from tests.factories.bookings import BookingFactory
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(structure_a):
    return SessionFactory(structure=structure_a, capacity=2)


def test_a_precise_match_is_the_structure_s_record_with_the_same_phone(session, counsellor_a):
    josiane = LearnerFactory(
        structure=session.structure, first_name="Josiane", phone="06 12 34 56 78"
    )
    LearnerFactory(structure=session.structure, first_name="Josiane", phone="06 99 99 99 99")
    LearnerFactory(first_name="Josiane", phone="06 12 34 56 78")  # another structure's
    booking = BookingFactory(session=session, first_name="josiane", phone="+33612345678")
    assert booking_learner_match(user=counsellor_a, booking=booking) == [josiane]


def test_same_email_matches_and_no_contact_never_does(session, counsellor_a):
    marcel = LearnerFactory(
        structure=session.structure, first_name="Marcel", email="Marcel@Example.org"
    )
    assert booking_learner_match(
        user=counsellor_a,
        booking=BookingFactory(
            session=session, phone="", first_name="Marcel", email="marcel@example.org"
        ),
    ) == [marcel]
    assert (
        booking_learner_match(
            user=counsellor_a,
            booking=BookingFactory(session=session, phone="", first_name="Marcel"),
        )
        == []
    )


def test_check_in_creates_the_attendance_and_links_the_sign_up(session, counsellor_a):
    learner = LearnerFactory(structure=session.structure)
    booking = BookingFactory(session=session, phone="")
    attendance = booking_check_in(user=counsellor_a, booking=booking, learner=learner)
    booking.refresh_from_db()
    assert attendance.status == AttendanceStatus.PRESENT
    assert (booking.attendance_id, booking.learner_id) == (attendance.pk, learner.pk)
    assert AuditLog.objects.filter(learner=learner, detail__contains="pointée présente")
    # Done twice (a double tap on a phone): the same attendance, nothing more.
    again = booking_check_in(user=counsellor_a, booking=booking, learner=learner)
    assert again.pk == attendance.pk and Attendance.objects.count() == 1


def test_check_in_of_someone_already_registered_marks_the_line_present(session, counsellor_a):
    line = AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    booking = BookingFactory(session=session, phone="")
    attendance = booking_check_in(user=counsellor_a, booking=booking, learner=line.learner)
    assert attendance.pk == line.pk
    line.refresh_from_db()
    assert line.status == AttendanceStatus.PRESENT


def test_a_waiting_person_who_came_is_confirmed(session, counsellor_a):
    booking = BookingFactory(session=session, phone="", status=BookingStatus.WAITING)
    booking_check_in(
        user=counsellor_a, booking=booking, learner=LearnerFactory(structure=session.structure)
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_another_structure_cannot_check_in(session, counsellor_b):
    booking = BookingFactory(session=session, phone="")
    with pytest.raises(PermissionDenied):
        booking_check_in(
            user=counsellor_b, booking=booking, learner=LearnerFactory(structure=session.structure)
        )
    assert not Attendance.objects.exists()


def test_a_record_the_structure_does_not_follow_is_refused(session, counsellor_a):
    stranger = LearnerFactory()
    with pytest.raises(PermissionDenied):
        booking_check_in(
            user=counsellor_a, booking=BookingFactory(session=session, phone=""), learner=stranger
        )
    assert not Attendance.objects.exists()


def test_a_cancelled_sign_up_is_refused(session, counsellor_a):
    booking = BookingFactory(session=session, phone="", status=BookingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        booking_check_in(
            user=counsellor_a, booking=booking, learner=LearnerFactory(structure=session.structure)
        )


def test_new_person_is_created_once_and_present(session, counsellor_a):
    booking = BookingFactory(session=session, phone="", first_name="Huguette")
    attendance = booking_check_in_new_person(
        user=counsellor_a,
        booking=booking,
        details={"first_name": "Huguette", "last_name": "Martin", "birth_year": 1948},
    )
    assert Learner.objects.get().pk == attendance.learner_id
    assert attendance.learner.structure_id == session.structure_id


def test_sheet_bookings_order_and_no_shows(structure_a, counsellor_a):
    past = SessionFactory(
        structure=structure_a, start=at(timezone.localdate() - datetime.timedelta(days=2))
    )
    first = BookingFactory(session=past, phone="", first_name="A")
    BookingFactory(session=past, phone="", first_name="B")
    w1 = BookingFactory(session=past, phone="", first_name="C", status=BookingStatus.WAITING)
    w2 = BookingFactory(session=past, phone="", first_name="D", status=BookingStatus.WAITING)
    booking_check_in(
        user=counsellor_a, booking=first, learner=LearnerFactory(structure=structure_a)
    )
    result = sheet_bookings(user=counsellor_a, session=past)
    assert [b.first_name for b in result.seated] == ["B"]
    assert result.waiting == [(1, w1), (2, w2)]
    assert result.no_shows == 1
    assert no_shows_visible(counsellor_a).count() == 1


def test_no_shows_are_scoped(structure_a, counsellor_b, coordinator):
    past = SessionFactory(
        structure=structure_a, start=at(timezone.localdate() - datetime.timedelta(days=2))
    )
    BookingFactory(session=past, phone="")
    assert no_shows_visible(counsellor_b).count() == 0
    assert no_shows_visible(coordinator).count() == 1
