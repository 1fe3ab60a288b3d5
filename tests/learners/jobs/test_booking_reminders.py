"""The day-before reminders of public sign-ups (bookings), beside the attendance ones: who
gets one, by SMS or e-mail, once, and one only for a person registered both ways."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from common import sms
from learners.choices import AttendanceStatus
from learners.models import (
    BookingStatus,
    MessageChannel,
    MessageKind,
    MessageSent,
    ReminderSent,
)
from learners.services.reminders import reminders_send
from learners.tasks import reminders_send_task
from tests.factories.bookings import BookingFactory
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory

from .smtp import closed_port, use_smtp

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday
UTC = datetime.UTC


@pytest.fixture
def tomorrow(structure_a):
    return SessionFactory(
        structure=structure_a,
        title="Se protéger des arnaques",
        start=datetime.datetime(2026, 3, 17, 13, 30, tzinfo=UTC),  # 14:30 in Paris
    )


def test_confirmed_consenting_bookings_with_a_contact(structure_a, tomorrow):
    by_sms = BookingFactory(session=tomorrow, phone="+33611111111")
    by_mail = BookingFactory(session=tomorrow, phone="", email="b@example.org")
    BookingFactory(session=tomorrow, reminder_consent=False)
    BookingFactory(session=tomorrow, phone="", email="")
    BookingFactory(session=tomorrow, status=BookingStatus.WAITING)
    BookingFactory(session=tomorrow, status=BookingStatus.CANCELLED)
    BookingFactory(session=tomorrow, contact_erased_at=timezone.now())
    later = SessionFactory(structure=structure_a, start=tomorrow.start + datetime.timedelta(1))
    BookingFactory(session=later)

    result = reminders_send(today=TODAY)
    assert result.sent == 2
    assert [m.to for m in sms.outbox] == [by_sms.phone]
    assert "demain à 14 h 30" in sms.outbox[0].body
    assert [m.to for m in mail.outbox] == [[by_mail.email]]
    assert mail.outbox[0].subject == "Rappel : Se protéger des arnaques demain"
    rows = MessageSent.objects.filter(kind=MessageKind.REMINDER)
    assert sorted(rows.values_list("channel", flat=True)) == [
        MessageChannel.EMAIL,
        MessageChannel.SMS,
    ]


def test_cancelled_session_gets_no_reminder(structure_a, tomorrow):
    BookingFactory(session=tomorrow)
    register = consenting_attendance(structure_a, tomorrow)
    tomorrow.cancelled_at = timezone.now()
    tomorrow.save()
    assert reminders_send(today=TODAY).sent == 0
    assert sms.outbox == [] and mail.outbox == []
    assert register.pk


def consenting_attendance(structure, session, email="anne@example.org"):
    learner = LearnerFactory(
        structure=structure,
        first_name="Anne",
        contact_consent=True,
        contact_consent_at=timezone.now(),
        email=email,
    )
    return AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)


def test_registered_both_ways_gets_one_reminder_the_bookings(structure_a, tomorrow):
    attendance = consenting_attendance(structure_a, tomorrow)
    BookingFactory(session=tomorrow, attendance=attendance, phone="+33622222222")
    result = reminders_send(today=TODAY)
    assert result.sent == 1
    assert [m.to for m in sms.outbox] == ["+33622222222"] and mail.outbox == []
    assert not ReminderSent.objects.exists()
    # Run again: nothing more.
    assert reminders_send(today=TODAY).sent == 0
    assert len(sms.outbox) == 1


def test_both_ways_without_booking_consent_gets_the_attendance_reminder(structure_a, tomorrow):
    attendance = consenting_attendance(structure_a, tomorrow)
    BookingFactory(session=tomorrow, attendance=attendance, reminder_consent=False)
    assert reminders_send(today=TODAY).sent == 1
    assert [m.to for m in mail.outbox] == [["anne@example.org"]] and sms.outbox == []


def test_an_attendance_already_reminded_is_not_reminded_again_through_its_booking(
    structure_a, tomorrow
):
    attendance = consenting_attendance(structure_a, tomorrow)
    ReminderSent.objects.create(
        attendance=attendance, session_start=tomorrow.start, sent_at=timezone.now()
    )
    BookingFactory(session=tomorrow, attendance=attendance)
    result = reminders_send(today=TODAY)
    assert result.sent == 0 and sms.outbox == []


def test_an_excused_attendance_silences_its_booking(structure_a, tomorrow):
    attendance = consenting_attendance(structure_a, tomorrow)
    attendance.status = AttendanceStatus.EXCUSED
    attendance.save()
    BookingFactory(session=tomorrow, attendance=attendance)
    assert reminders_send(today=TODAY).sent == 0


def test_task_twice_sends_once_and_counts_in_the_summary(structure_a, tomorrow):
    for _ in range(2):
        BookingFactory(session=tomorrow)
    consenting_attendance(structure_a, tomorrow)
    first = reminders_send_task.delay(today=TODAY.isoformat()).get()
    second = reminders_send_task.delay(today=TODAY.isoformat()).get()
    assert (first["sent"], first["skipped"]) == (3, 0)
    assert (second["sent"], second["skipped"]) == (0, 3)
    assert len(sms.outbox) == 2 and len(mail.outbox) == 1


def test_budget_spent_on_attendances_leaves_bookings_to_the_follow_up(structure_a, tomorrow):
    consenting_attendance(structure_a, tomorrow)
    consenting_attendance(structure_a, tomorrow, email="b@example.org")
    BookingFactory(session=tomorrow)
    piece = reminders_send(today=TODAY, budget=0)
    assert (piece.sent, piece.remaining) == (1, 2)
    rest = reminders_send(today=TODAY, budget=0)
    assert (rest.sent, rest.remaining) == (1, 1)
    last = reminders_send(today=TODAY, budget=0)
    assert (last.sent, last.remaining) == (1, 0)
    assert len(mail.outbox) == 2 and len(sms.outbox) == 1


def test_crash_window_counts_an_unconfirmed_booking_claim(tomorrow):
    booking = BookingFactory(session=tomorrow)
    MessageSent.objects.create(
        structure=tomorrow.structure,
        booking=booking,
        kind=MessageKind.REMINDER,
        session_start=tomorrow.start,
        channel=MessageChannel.SMS,
    )
    result = reminders_send(today=TODAY)
    assert result.sent == 0 and result.unconfirmed == 1 and sms.outbox == []


def test_mail_server_down_releases_the_booking_claim(settings, tomorrow):
    BookingFactory(session=tomorrow, phone="", email="b@example.org")
    use_smtp(settings, closed_port())
    with pytest.raises(ConnectionRefusedError):
        reminders_send(today=TODAY)
    assert not MessageSent.objects.exists()


def test_queries_do_not_depend_on_bookings(tomorrow, django_assert_max_num_queries):
    for _ in range(5):
        BookingFactory(session=tomorrow)
    # Three reads, then per message: the claim (savepoint, insert, release) and sent_at.
    with django_assert_max_num_queries(3 + 5 * 4):
        assert reminders_send(today=TODAY).sent == 5
