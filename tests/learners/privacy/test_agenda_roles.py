"""Role matrix of the agenda's personal data (services and selectors of this part): who
reads, exports and erases sign-ups and appointment requests. Each role: counsellor of the
structure, counsellor of another structure, structure manager, coordinator, partner
editor, anonymous visitor. The pages (agenda:booking, the admin lists of sign-ups and
requests, the sign-in sheet) join the site's role matrix when their branches are merged."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from learners.models import Booking, Learner
from learners.selectors.bookings import bookings_visible
from learners.selectors.bookings_privacy import (
    contact_data_export,
    contact_parse,
)
from learners.selectors.privacy import learner_data_export
from learners.selectors.session_bookings import appointment_requests_visible
from learners.services.bookings_privacy import contact_erase
from tests.factories.agenda_privacy import AppointmentRequestFactory
from tests.factories.bookings import BookingFactory
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    counsellor_user,
)

pytestmark = pytest.mark.django_db

PHONE = "+33611111111"
ROLES = ["counsellor_a", "counsellor_b", "manager_a", "coordinator", "partner_editor", "anonymous"]
# role -> (sign-ups read of A, of B; requests read of A, of B)
READS = {
    "counsellor_a": (1, 0, 1, 0),
    "manager_a": (1, 0, 1, 0),
    "counsellor_b": (0, 1, 0, 1),
    "coordinator": (1, 1, 1, 1),
    "partner_editor": (0, 0, 0, 0),
    "anonymous": (0, 0, 0, 0),
}


@pytest.fixture
def agenda(structure_a, structure_b):
    venue_a = VenueFactory(structure=structure_a)
    venue_b = VenueFactory(structure=structure_b)
    person = LearnerFactory(structure=structure_a, first_name="Odette")
    return {
        "a": BookingFactory(
            session=SessionFactory(structure=structure_a, venue=venue_a), phone=PHONE
        ),
        "b": BookingFactory(
            session=SessionFactory(structure=structure_b, venue=venue_b), phone=PHONE
        ),
        "linked": BookingFactory(
            session=SessionFactory(structure=structure_a, venue=venue_a), learner=person
        ),
        "request_a": AppointmentRequestFactory(venue=venue_a, phone=PHONE),
        "request_b": AppointmentRequestFactory(venue=venue_b, phone=PHONE),
        "person": person,
    }


@pytest.fixture
def user_of(request, structure_a):
    def get(role):
        if role == "anonymous":
            return AnonymousUser()
        if role == "manager_a":
            return counsellor_user(structure=structure_a, manager=True)
        return request.getfixturevalue(role)

    return get


@pytest.mark.parametrize("role", ROLES)
def test_reads(role, agenda, user_of):
    user = user_of(role)
    bookings = bookings_visible(user)
    requests = appointment_requests_visible(user)
    assert (
        bookings.filter(pk=agenda["a"].pk).count(),
        bookings.filter(pk=agenda["b"].pk).count(),
        requests.filter(pk=agenda["request_a"].pk).count(),
        requests.filter(pk=agenda["request_b"].pk).count(),
    ) == READS[role]
    data = contact_data_export(user=user, contact=contact_parse(phone=PHONE))
    a_reads, b_reads, ra_reads, rb_reads = READS[role]
    assert len(data["inscriptions"]) == a_reads + b_reads
    assert len(data["demandes_de_rendez_vous"]) == ra_reads + rb_reads


@pytest.mark.parametrize("role", ROLES)
def test_erase_by_contact(role, agenda, user_of):
    user = user_of(role)
    a_reads, b_reads, _ra, _rb = READS[role]
    if not (a_reads or b_reads):
        with pytest.raises(PermissionDenied):
            contact_erase(user=user, contact=contact_parse(phone=PHONE))
    else:
        contact_erase(user=user, contact=contact_parse(phone=PHONE))
    phones = dict(Booking.objects.values_list("pk", "phone"))
    assert (phones[agenda["a"].pk] == "", phones[agenda["b"].pk] == "") == (
        bool(a_reads),
        bool(b_reads),
    )


@pytest.mark.parametrize("role", ROLES)
def test_person_export_sign_ups(role, agenda, user_of):
    user = user_of(role)
    person = agenda["person"]  # followed by structure A only
    if role in ("counsellor_a", "manager_a", "coordinator"):
        items = learner_data_export(user=user, learner_id=person.pk)["inscriptions_en_ligne"]
        assert [i["prenom"] for i in items] == ["Josiane"]
    else:
        with pytest.raises((Learner.DoesNotExist, PermissionDenied)):
            learner_data_export(user=user, learner_id=person.pk)
