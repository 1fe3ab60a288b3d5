"""Editing a venue's standard fields in the admin (panels, checkboxes; coordinators edit,
counsellors see their own structure's venues, as before) and the public venue page
showing them in plain French."""

import html

import pytest
from django.urls import reverse

from learners.models import Venue
from tests.factories.learners import VenueFactory
from tests.learners.admin_views.people_helpers import assert_refused, login

from .standard import communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue(structure_a):
    return VenueFactory(structure=structure_a, commune=communes()["85118"], name="Salle du conseil")


def standard_data(**overrides):
    data = {
        "name": "Salle du conseil",
        "pivot": "21850118000017",
        "typology": ["MUNI"],
        "address": "1 place de la Mairie",
        "address_complement": "Rez-de-chaussée",
        "postal_code": "85150",
        "commune_q": "Landeronde",
        "commune": "85118",
        "summary": "Une permanence numérique le jeudi.",
        "services": ["Aide aux démarches administratives"],
        "support_modes": ["Accompagnement individuel", "À distance"],
        "fees": ["Gratuit"],
        "audiences": ["Seniors"],
        "specific_support": ["Illettrisme"],
        "access_modes": ["Téléphoner"],
        "phone": "02 51 00 00 02",
        "emails": "mairie@example.org\naccueil@example.org",
        "national_programmes": ["Conseillers numériques"],
        "booking_url": "rdv.example.org/landeronde",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_the_form_shows_every_standard_field_in_panels(client, request, venue):
    login(client, request, "coordinator")
    page = client.get(reverse("lieux:edit", args=[venue.pk])).content.decode()
    for legend in (
        "Le lieu",
        "Adresse et horaires",
        "Ce que le lieu propose",
        "Les publics accueillis",
        "Contact et rendez-vous",
        "Dispositifs, formations et labels",
    ):
        assert f'<legend class="w-h2">{html.escape(legend)}</legend>' in page
    assert 'type="checkbox" name="services" value="Aide aux démarches administratives"' in page
    assert "Formé à « Mon Espace Santé »" in page
    assert 'maxlength="280"' in page


def test_a_coordinator_edits_every_standard_field(client, request, venue):
    login(client, request, "coordinator")
    response = client.post(reverse("lieux:edit", args=[venue.pk]), standard_data())
    assert response.status_code == 302, response.content.decode()[-3000:]
    venue.refresh_from_db()
    assert venue.phone == "+33251000002"
    assert venue.emails == ["mairie@example.org", "accueil@example.org"]
    assert venue.support_modes == ["Accompagnement individuel", "À distance"]
    assert venue.booking_url == "https://rdv.example.org/landeronde"
    assert venue.pivot == "21850118000017"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": "x" * 281}, "280 caractères"),
        ({"services": ["Cours de cuisine"]}, "Cours de cuisine"),
        ({"phone": "12"}, "Ce numéro de téléphone n&#x27;est pas complet"),
        ({"phone": "+49 30 1234567"}, "Un numéro français au format international"),
        ({"emails": "mairie@example"}, "n&#x27;est pas une adresse e-mail complète"),
        ({"pivot": "123"}, "Un SIRET (14 chiffres) ou un RNA"),
    ],
)
def test_bad_input_is_refused_in_french(client, request, venue, overrides, message):
    login(client, request, "coordinator")
    response = client.post(reverse("lieux:edit", args=[venue.pk]), standard_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    venue.refresh_from_db()
    assert venue.services == [] and venue.phone == ""


def test_the_counsellor_of_the_structure_sees_the_standard_fields(client, request, venue):
    venue.services = ["Aide aux démarches administratives", "Loisirs et créations numériques"]
    venue.typology = ["MUNI"]
    venue.save()
    login(client, request, "counsellor_a")
    page = client.get(reverse("lieux:inspect", args=[venue.pk])).content.decode()
    assert "Aide aux démarches administratives, Loisirs et créations numériques" in page
    assert "Municipalités" in page and "[" not in page.split("<main")[1]
    # Read-only, as before: the coordinators edit venues.
    response = client.post(reverse("lieux:edit", args=[venue.pk]), standard_data(name="Pris"))
    assert response.status_code in {302, 403, 404}
    assert Venue.objects.get(pk=venue.pk).name == "Salle du conseil"


def test_a_counsellor_of_another_structure_is_refused(client, request, venue):
    login(client, request, "counsellor_b")
    assert client.get(reverse("lieux:inspect", args=[venue.pk])).status_code == 404
    response = client.post(reverse("lieux:edit", args=[venue.pk]), standard_data(name="Pris"))
    assert response.status_code in {302, 403, 404}
    assert Venue.objects.get(pk=venue.pk).name == "Salle du conseil"
    assert "Salle du conseil" not in client.get(reverse("lieux:index")).content.decode()


@pytest.mark.parametrize("role", ["partner_editor", "anonymous"])
def test_others_are_refused(client, request, venue, role):
    login(client, request, role)
    response = client.get(reverse("lieux:edit", args=[venue.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert_refused(response)


def test_the_public_page_shows_the_useful_fields(client, venue):
    venue.summary = "Une permanence numérique le jeudi."
    venue.services = ["Aide aux démarches administratives"]
    venue.other_services = "Café numérique"
    venue.support_modes = ["Accompagnement individuel", "À distance"]
    venue.fees = ["Gratuit sous condition"]
    venue.audiences = ["Seniors", "Jeunes"]
    venue.specific_support = ["Illettrisme", "Surdité"]
    venue.access_modes = ["Téléphoner"]
    venue.emails = ["mairie@example.org", "accueil@example.org"]
    venue.description = "<b>Venez</b> avec vos papiers."
    venue.save()
    page = client.get(f"/pres-de-chez-vous/lieux/{venue.pk}/").content.decode()
    for expected in (
        "Une permanence numérique le jeudi.",
        "<li>Aide aux démarches administratives</li>",
        "<li>Café numérique</li>",
        "Comment on vous accompagne",
        "<li>À distance</li>",
        "<dt>Tarif</dt><dd>Gratuit sous condition</dd>",
        "<dd>Jeunes, Seniors</dd>",
        "Un accompagnement adapté en cas de",
        "<dd>Surdité, Illettrisme</dd>",
        "<dt>Pour être reçu</dt>",
        "<dt>Courriels</dt>",
        "&lt;b&gt;Venez&lt;/b&gt; avec vos papiers.",
    ):
        assert expected in page, expected
