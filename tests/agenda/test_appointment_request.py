"""Appointment requests: form, service, e-mail to the venue's structure, abuse limits."""

import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from learners.models import AppointmentRequest
from learners.services.appointments import appointment_request_create
from tests.factories.learners import VenueFactory, counsellor_user

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def url(venue):
    return reverse("agenda:appointment_request", kwargs={"venue_id": venue.pk})


@pytest.fixture
def venue(structure):
    return VenueFactory(structure=structure, takes_appointments=True, name="France Services")


def form_data(**extra):
    values = {
        "first_name": "Marcel",
        "phone": "07 81 23 45 67",
        "email": "",
        "availability": "le mardi matin",
        "topic": "ma déclaration d'impôts",
        "site_web": "",
    }
    values.update(extra)
    return values


def test_request_sent_to_the_venue_and_confirmed(client, venue, django_capture_on_commit_callbacks):
    venue.emails = ["accueil@france-services.example"]
    venue.save()
    assert "Demander un rendez-vous" in text(client.get(url(venue)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(venue), form_data())
    assert response.status_code == 303
    assert "Votre demande est envoyée" in text(client.get(response["Location"]))
    request = AppointmentRequest.objects.get()
    assert (request.phone, request.topic) == ("+33781234567", "ma déclaration d'impôts")
    assert [m.to for m in mail.outbox] == [["accueil@france-services.example"]]
    assert "07 81" not in mail.outbox[0].subject and "Marcel" in mail.outbox[0].body


def test_without_venue_email_the_counsellors_are_told(
    venue, structure, django_capture_on_commit_callbacks
):
    counsellor = counsellor_user(structure=structure)
    counsellor.email = "conseillere@mairie.example"
    counsellor.save()
    counsellor_user()  # another structure's: not told
    with django_capture_on_commit_callbacks(execute=True):
        appointment_request_create(
            venue=venue,
            first_name="Marcel",
            phone="",
            email="m@exemple.fr",
            availability="",
            topic="",
        )
    assert [m.to for m in mail.outbox] == [["conseillere@mairie.example"]]


def test_a_contact_is_required_and_errors_are_linked(client, venue):
    response = client.post(url(venue), form_data(phone="", email=""))
    assert response.status_code == 400
    page = text(response)
    assert "Indiquez un numéro de téléphone ou une adresse e-mail" in page
    assert 'href="#id_phone"' in page
    assert not AppointmentRequest.objects.exists()


@pytest.mark.parametrize("change", [{"takes_appointments": False}, {"is_active": False}])
def test_404_for_a_venue_without_appointments(client, venue, change):
    for field, value in change.items():
        setattr(venue, field, value)
    venue.save()
    assert client.get(url(venue)).status_code == 404
    assert client.post(url(venue), form_data()).status_code == 404
    with pytest.raises(ValidationError):
        appointment_request_create(
            venue=venue, first_name="M", phone="0781234567", email="", availability="", topic=""
        )
    assert not AppointmentRequest.objects.exists()


def test_honeypot(client, venue):
    response = client.post(url(venue), form_data(site_web="x"))
    assert response.status_code == 200
    assert not AppointmentRequest.objects.exists()


@override_settings(AGENDA_SIGNUP_LIMITS={"per_address": "2/h", "per_contact": "100/h"})
def test_rate_limit_per_address(venue):
    client = Client(REMOTE_ADDR="198.51.100.4")
    for n in range(2):
        assert client.post(url(venue), form_data(phone=f"06 11 22 33 {n:02d}")).status_code == 303
    assert client.post(url(venue), form_data(phone="06 11 22 33 99")).status_code == 429
    assert AppointmentRequest.objects.count() == 2


@override_settings(AGENDA_SIGNUP_LIMITS={"per_address": "100/h", "per_contact": "1/h"})
def test_rate_limit_per_contact(venue):
    assert Client(REMOTE_ADDR="198.51.100.5").post(url(venue), form_data()).status_code == 303
    assert Client(REMOTE_ADDR="198.51.100.6").post(url(venue), form_data()).status_code == 429
    assert AppointmentRequest.objects.count() == 1
