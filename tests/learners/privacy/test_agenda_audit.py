"""Reads of sign-ups and appointment requests are logged like reads of people: one row
per row shown, ids only, the linked person named, found again by the exports."""

import pytest

from learners.choices import AuditAction
from learners.models import AuditLog
from learners.roles import user_roles
from learners.selectors.bookings_privacy import (
    bookings_of_contact,
    contact_data_export,
    contact_parse,
)
from learners.selectors.privacy import learner_data_export
from learners.services.bookings_audit import (
    PURPOSE_SIGN_IN_SHEET,
    agenda_erasure_log,
    appointment_requests_access_log,
    booking_check_in_log,
    session_bookings_read_log,
    structure_bookings_read_log,
)
from learners.services.bookings_privacy import contact_erase
from tests.factories.agenda_privacy import AppointmentRequestFactory
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    venue = world.venues[0]
    return SessionFactory(structure=venue.structure, venue=venue)


def test_list_read_logged_per_sign_up_without_personal_data(
    world, session, counsellor_a, django_assert_max_num_queries
):
    josiane = world.people[0]
    bookings = [
        BookingFactory(session=session, first_name="Ginette", email="ginette@example.org"),
        BookingFactory(session=session, learner=josiane, first_name="Josiane"),
        BookingFactory(session=session, first_name="Lucien"),
    ]
    user_roles(counsellor_a)  # the roles are read once per request
    with django_assert_max_num_queries(2):
        rows = session_bookings_read_log(user=counsellor_a, bookings=bookings)

    assert len(rows) == 3
    stored = list(AuditLog.objects.order_by("id"))
    assert [r.action for r in stored] == [AuditAction.READ] * 3
    assert {r.structure_id for r in stored} == {session.structure_id}
    assert [r.learner_id for r in stored] == [None, josiane.pk, None]
    assert stored[1].learner_network_id == josiane.network_id
    for row, booking in zip(stored, bookings, strict=True):
        assert row.detail.startswith(f"inscription:{booking.pk} ;")
        for secret in (booking.first_name, booking.phone, "ginette@example.org"):
            assert secret not in row.detail
    # The person's own export lists the read of her sign-up.
    audit = learner_data_export(user=counsellor_a, learner_id=josiane.pk)["journal_des_acces"]
    assert any(entry["detail"].startswith(f"inscription:{bookings[1].pk} ;") for entry in audit)


def test_sheet_check_in_and_requests(world, session, counsellor_a, coordinator):
    booking = BookingFactory(session=session)
    request = AppointmentRequestFactory(venue=world.venues[0])

    session_bookings_read_log(user=counsellor_a, bookings=[booking], sheet=True)
    structure_bookings_read_log(user=counsellor_a, bookings=[booking])
    booking_check_in_log(user=counsellor_a, booking=booking)
    appointment_requests_access_log(user=counsellor_a, action=AuditAction.READ, requests=[request])

    rows = list(AuditLog.objects.order_by("id"))
    assert [r.action for r in rows] == [
        AuditAction.READ,
        AuditAction.READ,
        AuditAction.UPDATE,
        AuditAction.READ,
    ]
    assert PURPOSE_SIGN_IN_SHEET in rows[0].detail
    assert rows[3].detail.startswith(f"demande-rdv:{request.pk} ;")
    assert "Marcel" not in rows[3].detail
    structure_bookings_read_log(user=coordinator, bookings=[booking])
    assert AuditLog.objects.order_by("id").last().structure_id is None  # the coordination

    # The export by contact gives the person these entries (the coordination sees all,
    # a structure those of its own staff).
    contact = contact_parse(phone=booking.phone)
    entries = contact_data_export(user=coordinator, contact=contact)["journal_des_acces"]
    assert len(entries) == 4
    own = contact_data_export(user=counsellor_a, contact=contact)["journal_des_acces"]
    assert len(own) == 3


def test_erasure_logged_before_it(world, session, coordinator):
    booking = BookingFactory(session=session)
    request = AppointmentRequestFactory(venue=world.venues[0], phone=booking.phone)
    contact = contact_parse(phone=booking.phone)
    agenda_erasure_log(
        user=coordinator,
        bookings=list(bookings_of_contact(user=coordinator, contact=contact)),
        requests=[request],
    )
    contact_erase(user=coordinator, contact=contact)
    rows = AuditLog.objects.filter(action=AuditAction.ANONYMIZE).order_by("id")
    assert [r.detail.split(" ;")[0] for r in rows] == [
        f"inscription:{booking.pk}",
        f"demande-rdv:{request.pk}",
    ]
