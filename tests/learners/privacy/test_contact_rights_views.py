"""« Demande d'une personne inscrite en ligne »: the export and erasure by phone or e-mail
in the admin, every role; and the person's data page listing their sign-ups."""

import json

import pytest
from django.urls import reverse

from learners.choices import AuditAction
from learners.models import AppointmentRequest, AuditLog, Booking
from tests.factories.agenda_privacy import AppointmentRequestFactory
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

pytestmark = pytest.mark.django_db

URL = "/admin/donnees-par-coordonnees/"
PHONE = "+33611111111"


@pytest.fixture
def agenda(world):
    va, vb = world.venues
    return {
        "a": BookingFactory(
            session=SessionFactory(structure=va.structure, venue=va),
            phone=PHONE,
            first_name="Ginette",
        ),
        "b": BookingFactory(
            session=SessionFactory(structure=vb.structure, venue=vb),
            phone=PHONE,
            first_name="Ginou",
        ),
        "request_b": AppointmentRequestFactory(venue=vb, phone=PHONE, topic="carte grise"),
    }


def test_address(agenda):
    assert reverse("learners_contact_rights") == URL


@pytest.mark.parametrize(
    ("role", "expected", "shown", "hidden"),
    [
        ("coordinator", 200, ["Ginette", "Ginou", "carte grise"], []),
        ("counsellor_a", 200, ["Ginette"], ["Ginou", "carte grise"]),
        ("counsellor_b", 200, ["Ginou", "carte grise"], ["Ginette"]),
        ("partner_editor", 403, [], ["Ginette", "Ginou"]),
        ("anonymous", "login", [], ["Ginette", "Ginou"]),
    ],
)
def test_search_per_role(client, request, agenda, role, expected, shown, hidden):
    login(client, request, role)
    response = client.post(URL, {"phone": "06 11 11 11 11", "action": "search"})
    html = response.content.decode()
    if expected == "login":
        assert_login_redirect(response)
    elif expected == 403:
        assert_refused(response)
    else:
        assert response.status_code == 200
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text
    exports = AuditLog.objects.filter(action=AuditAction.EXPORT)
    assert exports.count() == (len(shown) if expected == 200 else 0)


def test_get_shows_the_form_only(client, coordinator, agenda):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert "Numéro de téléphone" in html and "Ginette" not in html
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "", "email": ""}, "Indiquez un numéro de téléphone ou une adresse e-mail."),
        ({"phone": "06 12"}, "Ce numéro de téléphone n&#x27;est pas complet"),
        ({"email": "ginette@"}, "Cette adresse e-mail n&#x27;est pas complète."),
    ],
)
def test_bad_input_gets_a_french_message(client, coordinator, agenda, data, message):
    client.force_login(coordinator)
    response = client.post(URL, {**data, "action": "search"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditLog.objects.exists()


def test_json_download(client, coordinator, agenda):
    client.force_login(coordinator)
    response = client.post(URL, {"email": "", "phone": "0611111111", "action": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert sorted(i["prenom"] for i in data["inscriptions"]) == ["Ginette", "Ginou"]
    assert data["demandes_de_rendez_vous"][0]["objet"] == "carte grise"


def test_erase_needs_confirmation_then_erases_in_scope(client, counsellor_b, agenda):
    client.force_login(counsellor_b)
    response = client.post(URL, {"phone": PHONE, "action": "erase"})
    assert "Cochez la case pour confirmer l&#x27;effacement." in response.content.decode()
    assert Booking.objects.get(pk=agenda["b"].pk).phone == PHONE

    response = client.post(URL, {"phone": PHONE, "action": "erase", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    assert Booking.objects.get(pk=agenda["b"].pk).phone == ""
    assert AppointmentRequest.objects.get(pk=agenda["request_b"].pk).topic == ""
    assert Booking.objects.get(pk=agenda["a"].pk).phone == PHONE  # structure A's
    erased = AuditLog.objects.filter(action=AuditAction.ANONYMIZE)
    assert erased.count() == 2
    assert all(PHONE not in row.detail for row in erased)
    page = client.get(URL).content.decode()
    assert "Effacé : 1 inscription et 1 demande de rendez-vous." in page


def test_person_data_page_lists_sign_ups(client, coordinator, world):
    josiane = world.people[0]
    BookingFactory(
        session=SessionFactory(structure=world.venues[0].structure, venue=world.venues[0]),
        learner=josiane,
        phone="+33612345678",
    )
    client.force_login(coordinator)
    html = client.get(reverse("learners_person_data", args=[josiane.pk])).content.decode()
    assert "Inscriptions en ligne" in html
    assert "1 inscription" in html and "+33612345678" in html
