"""The agenda's minimisation in the retention job: contacts of sign-ups the day after the
session (the cycle), at once after a cancellation by the person, first names of sign-ups
linked to no one after RETENTION_MONTHS, appointment requests after they are handled."""

import datetime
import uuid

import pytest
from django.utils import timezone

from learners.models import AppointmentRequest, Booking, MessageSent
from learners.models.bookings import AppointmentRequestStatus, BookingStatus, CancelledBy
from learners.services.bookings_privacy import ANONYMIZED_FIRST_NAME, agenda_minimise
from learners.services.privacy import retention_run
from tests.factories.agenda_privacy import AppointmentRequestFactory, message_sent
from tests.factories.bookings import BookingFactory
from tests.factories.learners import LearnerFactory, SessionFactory, VenueFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = at(D(2026, 3, 10), 3)  # the job runs at night: 10 March 2026, 03:00


def _erased(booking: Booking) -> bool:
    row = Booking.objects.get(pk=booking.pk)
    return row.phone == row.email == "" and row.contact_erased_at is not None


@pytest.fixture
def venue(structure_a):
    return VenueFactory(structure=structure_a)


def _session(venue, start, minutes=60):
    return SessionFactory(
        structure=venue.structure, venue=venue, start=start, duration_minutes=minutes
    )


def test_contacts_kept_until_the_day_after_the_session(venue):
    yesterday = BookingFactory(
        session=_session(venue, at(D(2026, 3, 9), 14)), email="a@example.org"
    )
    today = BookingFactory(session=_session(venue, at(D(2026, 3, 10), 14)))
    tomorrow = BookingFactory(session=_session(venue, at(D(2026, 3, 11), 14)))

    result = agenda_minimise(now=NOW)

    assert result.contacts_after_session == 1
    assert _erased(yesterday)
    row = Booking.objects.get(pk=yesterday.pk)
    # The row stays for places and no-show counts; the first name stays for now.
    assert (row.status, row.first_name, row.reminder_consent) == (
        BookingStatus.CONFIRMED,
        "Josiane",
        False,
    )
    assert not _erased(today)
    assert not _erased(tomorrow)


def test_a_long_evening_session_still_running_keeps_its_contacts(venue):
    late = BookingFactory(session=_session(venue, at(D(2026, 3, 9), 22), minutes=6 * 60))
    assert agenda_minimise(now=NOW).contacts_after_session == 0  # ends at 04:00
    assert not _erased(late)
    agenda_minimise(now=NOW + datetime.timedelta(hours=2))
    assert _erased(late)


def test_a_cycle_keeps_contacts_until_its_last_session(venue):
    group = uuid.uuid4()
    dates = [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]
    cycle = [
        BookingFactory(session=_session(venue, at(day, 14)), group=group, phone="+33612345678")
        for day in dates
    ]
    agenda_minimise(now=NOW)
    assert not any(_erased(b) for b in cycle)

    # The person cancels the last date: the cycle has ended for them.
    Booking.objects.filter(pk=cycle[2].pk).update(
        status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.STRUCTURE, cancelled_at=NOW
    )
    agenda_minimise(now=NOW)
    assert _erased(cycle[0]) and _erased(cycle[1])
    assert not _erased(cycle[2])  # its date has not passed yet
    agenda_minimise(now=at(D(2026, 3, 17), 3))
    assert _erased(cycle[2])


def test_contacts_erased_once_the_person_cancelled(venue):
    session = _session(venue, at(D(2026, 4, 2), 14))
    cancelled = BookingFactory(
        session=session,
        status=BookingStatus.CANCELLED,
        cancelled_by=CancelledBy.PERSON,
        cancelled_at=NOW,
        email="annule@example.org",
    )
    by_structure = BookingFactory(
        session=session, status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.STRUCTURE
    )
    result = agenda_minimise(now=NOW)
    assert result.contacts_after_cancel == 1
    assert _erased(cancelled)
    assert Booking.objects.get(pk=cancelled.pk).first_name == "Josiane"
    assert not _erased(by_structure)  # a moved or cancelled session may be told again


def test_first_names_of_unlinked_sign_ups_after_retention_months(venue, structure_a):
    old = BookingFactory(session=_session(venue, at(D(2025, 3, 9), 14)), first_name="Ginette")
    recent = BookingFactory(session=_session(venue, at(D(2025, 3, 10), 14)), first_name="Lucien")
    person = LearnerFactory(structure=structure_a, first_name="Odette")
    linked = BookingFactory(
        session=_session(venue, at(D(2025, 3, 1), 14)), first_name="Odette", learner=person
    )

    result = agenda_minimise(now=NOW)

    assert result.first_names == 1
    assert Booking.objects.get(pk=old.pk).first_name == ANONYMIZED_FIRST_NAME
    assert Booking.objects.get(pk=recent.pk).first_name == "Lucien"
    # A linked sign-up's name goes with the person's record (its own retention).
    assert Booking.objects.get(pk=linked.pk).first_name == "Odette"
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 3


def test_appointment_requests(venue):
    handled_long_ago = AppointmentRequestFactory(
        venue=venue,
        status=AppointmentRequestStatus.HANDLED,
        handled_at=NOW - datetime.timedelta(days=31),
    )
    handled_recently = AppointmentRequestFactory(
        venue=venue,
        status=AppointmentRequestStatus.HANDLED,
        handled_at=NOW - datetime.timedelta(days=29),
    )
    cancelled = AppointmentRequestFactory(venue=venue, status=AppointmentRequestStatus.CANCELLED)
    never_handled_old = AppointmentRequestFactory(venue=venue)
    never_handled_new = AppointmentRequestFactory(venue=venue)
    AppointmentRequest.objects.filter(pk=never_handled_old.pk).update(created_at=at(D(2025, 12, 9)))
    AppointmentRequest.objects.filter(pk=never_handled_new.pk).update(
        created_at=at(D(2025, 12, 11))
    )

    assert agenda_minimise(now=NOW).appointment_requests == 3

    for request in (handled_long_ago, cancelled, never_handled_old):
        row = AppointmentRequest.objects.get(pk=request.pk)
        assert (row.first_name, row.phone, row.email, row.availability, row.topic) == (
            ANONYMIZED_FIRST_NAME,
            "",
            "",
            "",
            "",
        )
        assert row.contact_erased_at is not None
        assert row.status == request.status  # counts by status stay
    for request in (handled_recently, never_handled_new):
        assert AppointmentRequest.objects.get(pk=request.pk).phone == request.phone


def test_idempotent_and_batched(venue):
    bookings = [
        BookingFactory(session=_session(venue, at(D(2026, 3, day), 14))) for day in range(1, 8)
    ]
    for booking in bookings:
        message_sent(booking)
    result = agenda_minimise(now=NOW, batch_size=2)
    assert result.contacts_after_session == 7
    assert all(_erased(b) for b in bookings)
    first_dates = dict(Booking.objects.values_list("pk", "contact_erased_at"))

    again = agenda_minimise(now=NOW + datetime.timedelta(days=1), batch_size=2)
    assert again.total == 0
    assert dict(Booking.objects.values_list("pk", "contact_erased_at")) == first_dates
    # The message log keeps its counts.
    assert MessageSent.objects.filter(segments=1).count() == 7


def test_message_log_holds_no_contact():
    """MessageSent counts messages only: no phone, e-mail, name or text to erase."""
    names = {field.name for field in MessageSent._meta.get_fields()}
    assert names.isdisjoint({"phone", "email", "to", "first_name", "body", "text", "recipient"})


def test_the_daily_retention_job_runs_it(venue, django_assert_max_num_queries):
    BookingFactory(
        session=_session(venue, at(timezone.localdate() - datetime.timedelta(days=2), 14))
    )
    result = retention_run()
    assert result.agenda.contacts_after_session == 1
    assert result.as_dict()["agenda_contacts_after_session"] == 1
    assert "1 inscription ou demande de rendez-vous allégée" in result.summary
    with django_assert_max_num_queries(40):
        assert retention_run().agenda.total == 0


def test_queries_per_batch_do_not_grow_with_rows(venue, django_assert_max_num_queries):
    def past_bookings(count):
        for _i in range(count):
            BookingFactory(
                session=_session(venue, at(D(2026, 3, 2), 14)),
                status=BookingStatus.CANCELLED,
                cancelled_by=CancelledBy.STRUCTURE,
            )

    past_bookings(2)
    with django_assert_max_num_queries(30) as few:
        agenda_minimise(now=NOW, batch_size=100)
    past_bookings(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert agenda_minimise(now=NOW, batch_size=100).contacts_after_session == 20
