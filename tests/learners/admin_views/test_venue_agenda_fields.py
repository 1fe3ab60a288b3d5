"""Venues for the public agenda: access details, appointments, opening hours checked in
the national syntax (opening-hours-py), a change refreshing the agenda's pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from caching import versions
from learners.models import Venue
from learners.services.organisations import venue_update
from tests.factories.learners import CommuneFactory, VenueFactory
from tests.learners.admin_views.people_helpers import login
from tests.learners.admin_views.test_organisations_admin import venue_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def landeronde(db):
    return CommuneFactory(name="Landeronde", postal_codes="85150", insee_code="85120")


def test_coordinator_sets_access_appointments_and_hours(client, request, structure_a, landeronde):
    login(client, request, "coordinator")
    response = client.post(
        reverse("lieux:add"),
        venue_data(
            structure=structure_a.pk,
            opening_hours="  Tu 09:00-12:00;  Th 14:00-17:30 ",
            access_details="Entrée par la cour, sonnette à gauche",
            takes_appointments="on",
        ),
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Tiers-lieu de la gare")
    assert venue.opening_hours == "Tu 09:00-12:00; Th 14:00-17:30"
    assert venue.access_details == "Entrée par la cour, sonnette à gauche"
    assert venue.takes_appointments is True


def test_hours_not_in_the_national_syntax_are_refused_in_french(
    client, request, structure_a, landeronde
):
    login(client, request, "coordinator")
    response = client.post(
        reverse("lieux:add"), venue_data(structure=structure_a.pk, opening_hours="mardi 9h-12h")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "format national" in content and "Tu 09:00-12:00" in content
    assert not Venue.objects.filter(name="Tiers-lieu de la gare").exists()


def test_the_service_refuses_bad_hours_and_bumps_the_agenda(coordinator, structure_a):
    venue = VenueFactory(structure=structure_a, opening_hours="Mo 09:00-12:00")
    with pytest.raises(ValidationError):
        venue_update(user=coordinator, venue=venue, data={"opening_hours": "Tu 25:00-26:00"})
    venue.refresh_from_db()
    assert venue.opening_hours == "Mo 09:00-12:00"
    before = versions.current(versions.AGENDA)
    venue_update(user=coordinator, venue=venue, data={"access_details": "Rampe à droite"})
    assert versions.current(versions.AGENDA) > before


def test_a_counsellor_cannot_change_another_structure_s_venue(counsellor_a, structure_b):
    from django.core.exceptions import PermissionDenied

    venue = VenueFactory(structure=structure_b)
    with pytest.raises(PermissionDenied):
        venue_update(user=counsellor_a, venue=venue, data={"takes_appointments": True})
    venue.refresh_from_db()
    assert venue.takes_appointments is False
