"""Cancel or move a session: everyone signed up is told, nothing else moves."""

import datetime

import pytest
from celery import current_app
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caching import versions
from learners.choices import AttendanceStatus
from learners.models import Booking, BookingStatus, CancelledBy, Session
from learners.services import attendance_register, attendance_sheet_save, session_update
from learners.services.session_changes import (
    session_cancel,
    session_change_emails_send,
    session_move,
)
from tests.factories.bookings import BookingFactory
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    at,
)
from tests.learners.booking_helpers import RecordedTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices():
    """The sign-up notices task (another part of issue 14) recorded while a test runs."""
    recorded = RecordedTask()
    previous = current_app.tasks.get("learners.booking_notices")
    current_app.tasks["learners.booking_notices"] = recorded
    yield recorded
    if previous is None:
        current_app.tasks.pop("learners.booking_notices", None)
    else:
        current_app.tasks["learners.booking_notices"] = previous


@pytest.fixture
def session(structure_a):
    day = timezone.localdate() + datetime.timedelta(days=5)
    return SessionFactory(structure=structure_a, start=at(day, 14), capacity=10, is_published=True)


def test_cancel_tells_every_live_sign_up_and_keeps_the_session(
    counsellor_a, session, notices, django_capture_on_commit_callbacks
):
    confirmed = BookingFactory(session=session, phone="+33612345678")
    waiting = BookingFactory(
        session=session, phone="", first_name="Marcel", status=BookingStatus.WAITING
    )
    gone = BookingFactory(
        session=session, phone="", first_name="Ali", status=BookingStatus.CANCELLED
    )
    before = versions.current(versions.AGENDA)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(user=counsellor_a, session=session, reason="  La conseillère est malade ")
    session.refresh_from_db()
    assert session.is_cancelled and session.cancellation_reason == "La conseillère est malade"
    assert len(notices.calls) == 1
    assert notices.calls[0]["kind"] == "annulation"
    assert sorted(notices.calls[0]["booking_ids"]) == sorted([confirmed.pk, waiting.pk])
    for booking in (confirmed, waiting):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert booking.cancelled_by == CancelledBy.STRUCTURE
    gone.refresh_from_db()
    assert gone.cancelled_by == ""
    assert Session.objects.filter(pk=session.pk).exists()
    assert versions.current(versions.AGENDA) > before


def test_cancel_needs_a_reason_and_changes_nothing_without(counsellor_a, session, notices):
    booking = BookingFactory(session=session, phone="")
    with pytest.raises(ValidationError) as exc:
        session_cancel(user=counsellor_a, session=session, reason="   ")
    assert "raison" in str(exc.value)
    session.refresh_from_db()
    booking.refresh_from_db()
    assert not session.is_cancelled and booking.status == BookingStatus.CONFIRMED
    assert notices.calls == []


def test_another_structure_cannot_cancel(counsellor_b, session, notices):
    with pytest.raises(PermissionDenied):
        session_cancel(user=counsellor_b, session=session, reason="Test")
    session.refresh_from_db()
    assert not session.is_cancelled


def test_a_cancelled_session_takes_no_more_attendance(counsellor_a, session, notices):
    session_cancel(user=counsellor_a, session=session, reason="Travaux")
    learner = LearnerFactory(structure=session.structure)
    with pytest.raises(ValidationError):
        attendance_register(user=counsellor_a, session=session, learner=learner)
    with pytest.raises(ValidationError):
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[{"learner_id": learner.pk, "status": AttendanceStatus.PRESENT}],
        )
    with pytest.raises(ValidationError):
        session_update(user=counsellor_a, session=session, data={"capacity": 3})
    with pytest.raises(ValidationError):
        session_cancel(user=counsellor_a, session=session, reason="Encore")


def test_registered_people_with_an_email_are_told_once(
    counsellor_a, session, notices, django_capture_on_commit_callbacks
):
    told = LearnerFactory(
        structure=session.structure, email="josiane@example.org", contact_consent=True
    )
    no_consent = LearnerFactory(structure=session.structure, email="x@example.org")
    AttendanceFactory(session=session, learner=told, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=session, learner=no_consent, status=AttendanceStatus.REGISTERED)
    start = session.start
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(user=counsellor_a, session=session, reason="La salle est inondée")
    assert [m.to for m in mail.outbox] == [["josiane@example.org"]]
    assert "La salle est inondée" in mail.outbox[0].body
    assert "annulée" in mail.outbox[0].subject
    again = session_change_emails_send(
        session_id=session.pk, kind="annulation", previous_start=start, reason="x"
    )
    assert again.sent == 0 and len(mail.outbox) == 1


def test_move_keeps_places_and_tells_everyone(
    counsellor_a, session, notices, django_capture_on_commit_callbacks
):
    booking = BookingFactory(session=session, phone="", email="marcel@example.org")
    other_venue = VenueFactory(structure=session.structure)
    new_start = session.start + datetime.timedelta(days=2, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        session_move(
            user=counsellor_a,
            session=session,
            start=new_start,
            venue=other_venue,
            reason="La salle habituelle est prise",
        )
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.start == new_start and session.venue_id == other_venue.pk
    assert booking.status == BookingStatus.CONFIRMED
    assert notices.calls == [
        {
            "booking_ids": [booking.pk],
            "kind": "deplacement",
            "reason": "La salle habituelle est prise",
            "change": session.updated_at.isoformat(),
        }
    ]


def test_move_refuses_the_past_another_venue_and_no_change(
    counsellor_a, session, notices, structure_b
):
    start = session.start
    with pytest.raises(ValidationError):
        session_move(
            user=counsellor_a,
            session=session,
            start=timezone.now() - datetime.timedelta(hours=1),
            reason="x",
        )
    with pytest.raises(ValidationError):
        session_move(
            user=counsellor_a,
            session=session,
            start=start + datetime.timedelta(days=1),
            venue=VenueFactory(structure=structure_b),
            reason="x",
        )
    with pytest.raises(ValidationError):
        session_move(user=counsellor_a, session=session, start=start, reason="x")
    session.refresh_from_db()
    assert session.start == start and notices.calls == []


def test_the_edit_form_cannot_move_a_session_with_sign_ups(counsellor_a, session):
    BookingFactory(session=session, phone="")
    with pytest.raises(ValidationError) as exc:
        session_update(
            user=counsellor_a,
            session=session,
            data={"start": session.start + datetime.timedelta(days=1)},
        )
    assert "Déplacer la séance" in str(exc.value)
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def _told_learner(session, email="josiane@example.org"):
    learner = LearnerFactory(structure=session.structure, email=email, contact_consent=True)
    return AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)


def test_a_person_already_reminded_hears_of_a_late_cancel_once(
    counsellor_a, structure_a, notices, django_capture_on_commit_callbacks
):
    """The reminder of the day before and the cancellation are two claims: the reminder
    sent first must not swallow the cancellation e-mail."""
    from learners.models import SessionChangeSent
    from learners.services.reminders import reminders_send

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    session = SessionFactory(structure=structure_a, start=at(tomorrow, 14), is_published=True)
    attendance = _told_learner(session)
    assert reminders_send(today=timezone.localdate()).sent == 1
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(user=counsellor_a, session=session, reason="La salle est inondée")
    assert len(mail.outbox) == 2
    assert "annulée" in mail.outbox[1].subject and mail.outbox[1].to == ["josiane@example.org"]
    claim = SessionChangeSent.objects.get(attendance=attendance)
    again = session_change_emails_send(
        session_id=session.pk,
        kind="annulation",
        previous_start=session.start,
        reason="x",
        change=claim.change,
    )
    assert again.sent == 0 and len(mail.outbox) == 2
    assert reminders_send(today=timezone.localdate()).sent == 0  # cancelled: no reminder


def test_each_move_is_told_even_back_and_forth_or_venue_only(
    counsellor_a, session, notices, django_capture_on_commit_callbacks
):
    """A → B → A → B, then another venue at the same time: five moves, five messages to
    the sign-up and to the registered person; a retry of one move sends nothing more."""
    from common import sms
    from learners.services.notices import booking_notices_send

    sms.outbox.clear()
    booking = BookingFactory(session=session, phone="+33612345678")
    _told_learner(session)
    first, second = session.start, session.start + datetime.timedelta(days=1)
    other_venue = VenueFactory(structure=session.structure)
    moves = [(second, None), (first, None), (second, None), (first, None), (first, other_venue)]
    for start, venue in moves:
        with django_capture_on_commit_callbacks(execute=True):
            session_move(
                user=counsellor_a, session=session, start=start, venue=venue, reason="La salle"
            )
    assert len(notices.calls) == len(moves)
    for call in notices.calls:
        assert booking_notices_send(**call).sent == 1
    assert booking_notices_send(**notices.calls[-1]).sent == 0
    assert [m.to for m in sms.outbox] == [booking.phone] * len(moves)
    assert len(mail.outbox) == len(moves)
