"""Erasure of the agenda's personal data: with the person's record, by contact (phone or
e-mail) for someone who only signed up online, and from the person's own page."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learners.models import AppointmentRequest, MessageSent
from learners.models.bookings import BookingStatus, CancelledBy
from learners.selectors.bookings_privacy import contact_parse
from learners.selectors.places import session_places
from learners.services.bookings_privacy import (
    ANONYMIZED_FIRST_NAME,
    booking_contacts_erase_by_person,
    booking_contacts_erase_cancelled,
    contact_erase,
)
from learners.services.privacy import learner_anonymize
from tests.factories.agenda_privacy import AppointmentRequestFactory, message_sent
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory

pytestmark = pytest.mark.django_db

JOSIANE_PHONE = "+33612345678"  # "06 12 34 56 78" on her record


def _row(obj):
    return type(obj).objects.get(pk=obj.pk)


def _wiped(booking) -> bool:
    row = _row(booking)
    return (row.first_name, row.phone, row.email) == (ANONYMIZED_FIRST_NAME, "", "") and (
        row.contact_erased_at is not None
    )


@pytest.fixture
def sessions(world):
    va, vb = world.venues
    return (
        SessionFactory(structure=va.structure, venue=va, capacity=12),
        SessionFactory(structure=vb.structure, venue=vb, capacity=12),
    )


def test_erasing_a_person_erases_their_sign_ups_and_requests(world, sessions, coordinator):
    josiane = world.people[0]
    linked = BookingFactory(session=sessions[0], learner=josiane, first_name="Josiane")
    message_sent(linked)
    same_phone_elsewhere = BookingFactory(session=sessions[1], phone=JOSIANE_PHONE)
    request = AppointmentRequestFactory(venue=world.venues[1], email="Josiane.Mercier@example.org")
    someone_else = BookingFactory(session=sessions[0], first_name="Marcel")
    places_before = session_places(sessions[0])

    learner_anonymize(user=coordinator, learner=josiane)

    assert _wiped(linked) and _wiped(same_phone_elsewhere)
    row = _row(linked)
    assert row.status == BookingStatus.CONFIRMED and row.learner_id == josiane.pk
    assert row.reminder_consent is False
    assert _row(request).first_name == ANONYMIZED_FIRST_NAME
    assert _row(request).email == _row(request).topic == ""
    assert _row(someone_else).first_name == "Marcel"
    assert session_places(sessions[0]) == places_before  # places unchanged
    assert MessageSent.objects.filter(booking=linked).count() == 1  # counts kept


def test_a_counsellor_erases_only_what_their_structure_holds(world, sessions, counsellor_a):
    marcel = world.people[1]  # followed by structure A only
    marcel.phone = "0698765432"
    marcel.save()
    own = BookingFactory(session=sessions[0], phone="+33698765432")
    other_structure = BookingFactory(session=sessions[1], phone="+33698765432")

    learner_anonymize(user=counsellor_a, learner=marcel)

    assert _wiped(own)
    assert _row(other_structure).phone == "+33698765432"


def test_erase_by_contact_as_coordinator(world, sessions, coordinator):
    a = BookingFactory(session=sessions[0], phone="+33611111111", email="")
    b = BookingFactory(session=sessions[1], phone="", email="lucie@example.org")
    linked = BookingFactory(session=sessions[1], phone="+33611111111", learner=world.people[2])
    request = AppointmentRequestFactory(venue=world.venues[0], phone="+33611111111")
    contact = contact_parse(phone="06 11 11 11 11", email="LUCIE@example.org")

    result = contact_erase(user=coordinator, contact=contact)

    assert (result.bookings, result.appointment_requests) == (2, 1)
    assert result.summary == "Effacé : 2 inscriptions et 1 demande de rendez-vous."
    assert _wiped(a) and _wiped(b)
    assert _row(request).phone == ""
    # A sign-up linked to a person goes with that person's erasure.
    assert _row(linked).phone == "+33611111111"
    again = contact_erase(user=coordinator, contact=contact)
    assert again.appointment_requests == 0


def test_erase_by_contact_as_counsellor_stays_in_their_structure(sessions, counsellor_a):
    own = BookingFactory(session=sessions[0], phone="+33611111111")
    other = BookingFactory(session=sessions[1], phone="+33611111111")
    contact_erase(user=counsellor_a, contact=contact_parse(phone="+33 6 11 11 11 11"))
    assert _wiped(own)
    assert _row(other).phone == "+33611111111"


@pytest.mark.parametrize("who", ["partner_editor", "anonymous"])
def test_erase_by_contact_refused(sessions, who, partner_editor):
    from django.contrib.auth.models import AnonymousUser

    user = partner_editor if who == "partner_editor" else AnonymousUser()
    booking = BookingFactory(session=sessions[0], phone="+33611111111")
    with pytest.raises(PermissionDenied):
        contact_erase(user=user, contact=contact_parse(phone="0611111111"))
    assert _row(booking).phone == "+33611111111"


PHONE_REFUSED = (
    "Ce numéro de téléphone n'est pas complet ou contient une erreur. "
    "Écrivez-le comme sur votre téléphone, par exemple 06 12 34 56 78."
)
EMAIL_REFUSED = "Cette adresse e-mail n'est pas complète. Elle s'écrit comme nom@exemple.fr."


@pytest.mark.parametrize(
    ("phone", "email", "message"),
    [
        ("", "", "Indiquez un numéro de téléphone ou une adresse e-mail."),
        ("06 12", "", PHONE_REFUSED),
        ("bonjour", "", PHONE_REFUSED),
        ("", "josiane@", EMAIL_REFUSED),
    ],
)
def test_contact_parse_refuses_bad_input_in_french(phone, email, message):
    with pytest.raises(ValidationError) as error:
        contact_parse(phone=phone, email=email)
    assert error.value.messages == [message]


def test_contact_parse_normalises():
    contact = contact_parse(phone="06.12.34.56.78", email=" Josiane@Example.org ")
    assert (contact.phone, contact.email) == (JOSIANE_PHONE, "josiane@example.org")


def test_person_erases_their_contacts_after_cancelling(sessions):
    group = uuid.uuid4()
    cancelled = [
        BookingFactory(
            session=session,
            group=group,
            phone=JOSIANE_PHONE,
            status=BookingStatus.CANCELLED,
            cancelled_by=CancelledBy.PERSON,
        )
        for session in sessions
    ]
    other_form = BookingFactory(session=sessions[0], phone="+33622222222")

    assert booking_contacts_erase_by_person(booking=cancelled[0]) == 2
    assert all(_wiped(b) for b in cancelled)
    assert _row(other_form).phone == "+33622222222"
    assert booking_contacts_erase_by_person(booking=_row(cancelled[0])) == 2  # idempotent
    assert all(_wiped(b) for b in cancelled)


def test_person_must_cancel_first(sessions):
    live = BookingFactory(session=sessions[0], status=BookingStatus.WAITING)
    with pytest.raises(PermissionDenied) as refusal:
        booking_contacts_erase_by_person(booking=live)
    assert "Annulez d'abord votre inscription" in str(refusal.value)
    assert _row(live).phone == live.phone and _row(live).contact_erased_at is None


def test_linked_sign_up_keeps_its_first_name_from_the_persons_page(world, sessions):
    booking = BookingFactory(
        session=sessions[0],
        learner=world.people[0],
        status=BookingStatus.CANCELLED,
        cancelled_by=CancelledBy.PERSON,
    )
    booking_contacts_erase_by_person(booking=booking)
    row = _row(booking)
    assert (row.first_name, row.phone, row.learner_id) == ("Josiane", "", world.people[0].pk)


def test_contacts_erased_after_a_cancellation_by_the_person(sessions):
    by_person = BookingFactory(
        session=sessions[0], status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.PERSON
    )
    live = BookingFactory(session=sessions[0])
    by_structure = BookingFactory(
        session=sessions[0], status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.STRUCTURE
    )
    ids = [by_person.pk, live.pk, by_structure.pk]
    assert booking_contacts_erase_cancelled(booking_ids=ids) == 1
    assert _row(by_person).phone == "" and _row(by_person).first_name == "Josiane"
    assert _row(live).phone and _row(by_structure).phone
    assert booking_contacts_erase_cancelled(booking_ids=ids) == 0
    assert AppointmentRequest.objects.count() == 0
