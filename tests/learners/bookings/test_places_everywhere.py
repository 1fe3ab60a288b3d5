"""One rule for places, wherever a place is freed or counted: the counsellor's side
(session edit, sheet, removal, merge), the dashboards' counts, the public sign-up
(newcomers never jump the waiting list), a closed venue, a declined offer."""

import pytest
from django.core.exceptions import ValidationError

from caching import versions
from learners.choices import AttendanceStatus
from learners.models import Booking, BookingStatus, CancelledBy, Session
from learners.selectors.bookings import session_is_public
from learners.selectors.sessions import (
    session_attendance_sheet,
    sessions_for_user,
    sessions_with_free_places,
)
from learners.services import (
    SheetRow,
    attendance_remove,
    attendance_sheet_save,
    learner_merge,
    session_update,
    structure_update,
)
from learners.services.booking_checkin import booking_check_in
from learners.services.bookings import BookingRefused, booking_create, offer_decline
from tests.factories.bookings import BookingFactory
from tests.factories.learners import AttendanceFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def sign_up(session, n=0):
    return booking_create(
        session=session,
        first_name=f"Personne {n}",
        phone=f"06 12 34 56 {n:02d}",
        email="",
        reminder_consent=True,
    )[0]


def status_of(booking):
    booking.refresh_from_db()
    return booking.status


@pytest.fixture
def full_session(make_session, structure_a):
    """Capacity 1: the place held by a registered person, one person waiting online."""

    def make(**kwargs):
        session = make_session(structure=structure_a, capacity=1, waitlist_capacity=5, **kwargs)
        person = LearnerFactory(structure=structure_a)
        AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
        waiting = sign_up(session, 1)
        assert waiting.status == BookingStatus.WAITING
        return session, person, waiting

    return make


# --- A freed place goes to the waiting list first (finding 2) -------------------------------


def test_a_newcomer_waits_behind_the_people_already_waiting(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    # A place is free but somebody still waits (freed by a write that did not promote).
    first = BookingFactory(session=session, phone="+33612345670", status=BookingStatus.WAITING)
    newcomer = sign_up(session, 2)
    assert newcomer.status == BookingStatus.WAITING
    assert first.status == BookingStatus.WAITING


def test_a_free_place_and_nobody_waiting_confirms(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    assert sign_up(session, 1).status == BookingStatus.CONFIRMED


def test_more_places_go_to_the_waiting_list(full_session, counsellor_a):
    session, _person, waiting = full_session()
    session_update(user=counsellor_a, session=session, data={"capacity": 2})
    assert status_of(waiting) == BookingStatus.OFFERED


def test_removing_a_line_offers_its_place(full_session, counsellor_a):
    session, person, waiting = full_session()
    attendance_remove(user=counsellor_a, session=session, learner=person)
    assert status_of(waiting) == BookingStatus.OFFERED


def test_a_line_marked_excused_offers_its_place(full_session, counsellor_a):
    session, person, waiting = full_session()
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[SheetRow(learner_id=person.pk, status=AttendanceStatus.EXCUSED)],
    )
    assert status_of(waiting) == BookingStatus.OFFERED


def test_merging_two_lines_of_one_person_offers_the_place(make_session, structure_a, coordinator):
    session = make_session(structure=structure_a, capacity=2, waitlist_capacity=5)
    keep, remove = LearnerFactory(structure=structure_a), LearnerFactory(structure=structure_a)
    for learner in (keep, remove):
        AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)
    waiting = sign_up(session, 1)
    assert waiting.status == BookingStatus.WAITING
    learner_merge(user=coordinator, keep=keep, remove=remove)
    assert status_of(waiting) == BookingStatus.OFFERED


# --- The sheet counts the sign-ups' places (finding 3) --------------------------------------


def test_the_sheet_does_not_overbook_past_online_sign_ups(make_session, structure_a, counsellor_a):
    session = make_session(structure=structure_a, capacity=1)
    sign_up(session, 1)
    newcomer = LearnerFactory(structure=structure_a)
    with pytest.raises(ValidationError) as refused:
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[SheetRow(learner_id=newcomer.pk, status=AttendanceStatus.REGISTERED)],
        )
    assert "complète" in refused.value.messages[0]
    # Someone who came is always recorded.
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[SheetRow(learner_id=newcomer.pk, status=AttendanceStatus.PRESENT)],
    )


# --- Dashboards count places by the same rule (finding 4) -----------------------------------


def test_counts_of_the_counsellor_side_include_online_sign_ups(
    make_session, structure_a, counsellor_a, django_assert_max_num_queries
):
    session = make_session(structure=structure_a, capacity=3)
    AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    sign_up(session, 1)
    BookingFactory(session=session, phone="+33612345679", status=BookingStatus.OFFERED)
    BookingFactory(session=session, phone="+33612345678", status=BookingStatus.WAITING)
    BookingFactory(session=session, phone="+33612345677", status=BookingStatus.CANCELLED)
    [listed] = sessions_for_user(user=counsellor_a)
    assert listed.seats_taken == 3
    assert not sessions_with_free_places(Session.objects.filter(pk=session.pk)).exists()
    sheet = session_attendance_sheet(user=counsellor_a, session_id=session.pk)
    assert sheet.free_places == 0
    # A sign-up marked present holds its place through its attendance: counted once.
    other = make_session(structure=structure_a, capacity=3)
    booking = sign_up(other, 2)
    booking_check_in(
        user=counsellor_a, booking=booking, learner=LearnerFactory(structure=structure_a)
    )
    with django_assert_max_num_queries(1):
        seats = dict(
            sessions_for_user(user=counsellor_a).values_list("pk", "seats_taken").order_by()
        )
    assert seats[other.pk] == 1


# --- Merges and removals keep the sign-ups right (finding 5) --------------------------------


def test_merge_moves_the_sign_ups_and_repoints_a_checked_in_one(
    make_session, structure_a, counsellor_a, coordinator
):
    keep, remove = LearnerFactory(structure=structure_a), LearnerFactory(structure=structure_a)
    later = make_session(structure=structure_a)
    carnet_booking = BookingFactory(session=later, phone="+33612345601", learner=remove)
    session = make_session(structure=structure_a, capacity=5)
    AttendanceFactory(session=session, learner=keep, status=AttendanceStatus.REGISTERED)
    checked_in = sign_up(session, 2)
    booking_check_in(user=counsellor_a, booking=checked_in, learner=remove)
    learner_merge(user=coordinator, keep=keep, remove=remove)
    carnet_booking.refresh_from_db()
    checked_in.refresh_from_db()
    assert carnet_booking.learner == keep
    assert checked_in.attendance is not None
    assert checked_in.attendance.learner == keep
    assert checked_in.learner == keep
    assert checked_in.status == BookingStatus.CONFIRMED


def test_removing_a_checked_in_sign_up_cancels_it_for_the_structure(
    make_session, structure_a, counsellor_a, notices, django_capture_on_commit_callbacks
):
    session = make_session(structure=structure_a, capacity=1, waitlist_capacity=5)
    booking = sign_up(session, 1)
    waiting = sign_up(session, 2)
    person = LearnerFactory(structure=structure_a)
    booking_check_in(user=counsellor_a, booking=booking, learner=person)
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_remove(user=counsellor_a, session=session, learner=person)
    booking.refresh_from_db()
    assert booking.attendance is None
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == CancelledBy.STRUCTURE
    assert status_of(waiting) == BookingStatus.OFFERED
    assert {"booking_ids": [booking.pk], "kind": "desinscription"} in notices


# --- A closed venue takes no sign-up (finding 13) -------------------------------------------


def test_no_sign_up_at_a_closed_venue(make_session):
    session = make_session()
    session.venue.is_active = False
    session.venue.save()
    session = Session.objects.select_related("venue").get(pk=session.pk)
    assert not session_is_public(session)
    with pytest.raises(BookingRefused) as refused:
        sign_up(session, 1)
    assert "inscription en ligne est fermée" in refused.value.messages[0]
    assert not Booking.objects.exists()


def test_no_sign_up_without_a_venue(make_session):
    session = make_session()
    Session.objects.filter(pk=session.pk).update(venue=None)
    session = Session.objects.get(pk=session.pk)
    assert not session_is_public(session)
    with pytest.raises(BookingRefused):
        sign_up(session, 1)


# --- A declined offer keeps no contact (finding 22) -----------------------------------------


def test_declining_an_offer_erases_the_contact(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    holder = sign_up(session, 1)
    offered = BookingFactory(
        session=session, phone="+33612345602", email="a@example.org", status=BookingStatus.OFFERED
    )
    Booking.objects.filter(pk=holder.pk).update(status=BookingStatus.CANCELLED)
    declined = offer_decline(booking=offered)
    assert declined.status == BookingStatus.CANCELLED
    assert (declined.phone, declined.email) == ("", "")
    assert declined.contact_erased_at is not None


# --- A structure's name shows on the agenda (finding 23) ------------------------------------


def test_structure_update_refreshes_the_agenda(structure_a, coordinator):
    before = versions.current(versions.AGENDA)
    structure_update(user=coordinator, structure=structure_a, data={"name": "Espace Vendée"})
    assert versions.current(versions.AGENDA) != before
