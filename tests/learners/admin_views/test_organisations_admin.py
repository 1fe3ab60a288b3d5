"""Organisation screens: structures, venues and counsellors managed by coordinators;
counsellors see (not edit) their own structure's venues; partner editors see nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from learners.models import Counsellor, Structure, Venue
from learners.roles import is_counsellor
from tests.factories.learners import (
    CommuneFactory,
    StructureFactory,
    VenueFactory,
    counsellor_user,
)
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login
from workshops.roles import COUNSELLORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def venues(structure_a, structure_b):
    return {
        "a": VenueFactory(structure=structure_a, name="Médiathèque de Landeronde"),
        "b": VenueFactory(structure=structure_b, name="Espace Clic Venansault"),
    }


@pytest.fixture
def landeronde(db):
    return CommuneFactory(name="Landeronde", postal_codes="85150", insee_code="85120")


# --- Structures ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counsellor_a", "partner_editor"])
def test_structures_are_for_coordinators(client, request, structure_a, role):
    login(client, request, role)
    assert_refused(client.get(reverse("structures:index")))
    assert_refused(client.get(reverse("structures:add")))
    assert_refused(client.get(reverse("structures:edit", args=[structure_a.pk])))


def test_structures_anonymous(client, structure_a):
    assert_login_redirect(client.get(reverse("structures:index")))


def test_coordinator_creates_and_edits_a_structure(client, request, landeronde):
    login(client, request, "coordinator")
    response = client.post(
        reverse("structures:add"),
        {"name": " France Services Landeronde ", "kind": "france_services", "commune_q": "85150"},
    )
    assert response.status_code == 302
    structure = Structure.objects.get(name="France Services Landeronde")
    assert structure.commune == landeronde
    assert structure.collection is not None  # its editors' collection (structure_create)
    response = client.post(
        reverse("structures:edit", args=[structure.pk]),
        {
            "name": "France Services du Pays Yonnais",
            "kind": "france_services",
            "siret": "12345678901234",
            "commune_q": "Landeronde",
            "commune": landeronde.pk,
        },
    )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.name == "France Services du Pays Yonnais"
    assert structure.siret == "12345678901234"
    index = client.get(reverse("structures:index")).content.decode()
    assert "France Services du Pays Yonnais" in index


def test_structure_bad_siret_gets_a_french_message(client, request):
    login(client, request, "coordinator")
    response = client.post(
        reverse("structures:add"), {"name": "Asso", "kind": "association", "siret": "123"}
    )
    assert response.status_code == 200
    assert "Le SIRET compte 14 chiffres" in response.content.decode()
    assert not Structure.objects.filter(name="Asso").exists()


def test_nobody_deletes(client, request, structure_a):
    login(client, request, "coordinator")
    assert_refused(client.post(reverse("structures:delete", args=[structure_a.pk])))
    assert Structure.objects.filter(pk=structure_a.pk).exists()


# --- Venues ----------------------------------------------------------------------------


def test_counsellor_sees_own_structure_venues_read_only(client, request, venues):
    login(client, request, "counsellor_a")
    index = client.get(reverse("lieux:index"))
    assert index.status_code == 200
    content = index.content.decode()
    assert "Médiathèque de Landeronde" in content
    assert "Espace Clic Venansault" not in content
    inspect = client.get(reverse("lieux:inspect", args=[venues["a"].pk]))
    assert inspect.status_code == 200
    assert "1 place de la Mairie" in inspect.content.decode()
    assert client.get(reverse("lieux:inspect", args=[venues["b"].pk])).status_code == 404
    assert_refused(client.get(reverse("lieux:add")))
    response = client.post(reverse("lieux:edit", args=[venues["a"].pk]), {"name": "Piraté"})
    assert response.status_code in {302, 403, 404}
    venues["a"].refresh_from_db()
    assert venues["a"].name == "Médiathèque de Landeronde"


def test_partner_editor_sees_no_venue(client, request, venues):
    login(client, request, "partner_editor")
    assert_refused(client.get(reverse("lieux:index")))
    response = client.get(reverse("lieux:inspect", args=[venues["a"].pk]))
    assert response.status_code in {302, 403, 404}
    assert "Médiathèque" not in response.content.decode()


def venue_data(**overrides):
    data = {
        "name": "Tiers-lieu de la gare",
        "address": "2 rue de la Gare",
        "postal_code": "85150",
        "commune_q": "Landeronde",
        "commune": "",
        "opening_hours": "Mo-Fr 09:00-12:00",
        "services": ["Aide aux démarches administratives", "Loisirs et créations numériques"],
        "other_services": "Ateliers",
        "audiences": ["Seniors"],
        "accessibility": "Accessible en fauteuil",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_and_edits_a_venue(client, request, structure_a, landeronde):
    login(client, request, "coordinator")
    response = client.post(reverse("lieux:add"), venue_data(structure=structure_a.pk))
    assert response.status_code == 302
    venue = Venue.objects.get(name="Tiers-lieu de la gare")
    assert venue.structure == structure_a and venue.commune == landeronde
    assert venue.latitude == landeronde.latitude  # the commune's centre by default
    assert venue.services == [
        "Aide aux démarches administratives",
        "Loisirs et créations numériques",
    ]
    assert venue.service_list == [*venue.services, "Ateliers"]
    assert venue.audiences == ["Seniors"]
    response = client.post(
        reverse("lieux:edit", args=[venue.pk]),
        venue_data(name="Tiers-lieu de la gare (étage)", commune=landeronde.pk, is_active=""),
    )
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "Tiers-lieu de la gare (étage)" and not venue.is_active


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postal_code": "851"}, "Le code postal compte 5 chiffres"),
        ({"commune_q": "Nulle-Part-sur-Mer"}, "Aucune commune ne correspond"),
        ({"commune_q": ""}, "Indiquez la commune"),
        ({"opening_hours": "x" * 600}, "au plus 500 caractères"),
    ],
)
def test_venue_bad_input_gets_a_french_message(
    client, request, structure_a, landeronde, overrides, message
):
    login(client, request, "coordinator")
    response = client.post(reverse("lieux:add"), venue_data(structure=structure_a.pk, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Venue.objects.filter(name="Tiers-lieu de la gare").exists()


def test_ambiguous_commune_asks_to_choose(client, request, structure_a):
    CommuneFactory(name="Saint-Martin", postal_codes="85000")
    CommuneFactory(name="Saint-Martin-des-Noyers", postal_codes="85140")
    login(client, request, "coordinator")
    response = client.post(
        reverse("lieux:add"), venue_data(structure=structure_a.pk, commune_q="saint mart")
    )
    assert response.status_code == 200
    assert "Plusieurs communes correspondent" in response.content.decode()


# --- Counsellors ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counsellor_a", "partner_editor"])
def test_counsellors_are_for_coordinators(client, request, role):
    login(client, request, role)
    assert_refused(client.get(reverse("conseillers:index")))
    assert_refused(client.get(reverse("conseillers:add")))


def test_coordinator_creates_a_counsellor(client, request, structure_a, landeronde):
    other = CommuneFactory(name="Venansault", postal_codes="85190", insee_code="85300")
    login(client, request, "coordinator")
    response = client.post(
        reverse("conseillers:add"),
        {
            "username": "lea.moreau",
            "first_name": "Léa",
            "last_name": "Moreau",
            "email": "lea.moreau@example.org",
            "password": "Un-mot-de-passe-solide-42",
            "structure": structure_a.pk,
            "communes_served": "Landeronde\n85190",
            "is_structure_manager": "on",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="lea.moreau")
    assert user.check_password("Un-mot-de-passe-solide-42")
    assert user.groups.filter(name=COUNSELLORS).exists()
    counsellor = Counsellor.objects.get(user=user)
    assert counsellor.structure == structure_a and counsellor.is_structure_manager
    assert set(counsellor.communes.all()) == {landeronde, other}
    assert is_counsellor(user)
    # The new counsellor can log in to the tracking screens.
    client.force_login(user)
    assert client.get(reverse("learners_people")).status_code == 200


def test_counsellor_without_password_needs_an_email(client, request, structure_a):
    login(client, request, "coordinator")
    data = {"username": "sans.mdp", "first_name": "Sam", "last_name": "Dupont"}
    response = client.post(reverse("conseillers:add"), {**data, "structure": structure_a.pk})
    assert response.status_code == 200
    assert "un courriel est nécessaire" in response.content.decode()
    assert not get_user_model().objects.filter(username="sans.mdp").exists()
    client.post(
        reverse("conseillers:add"),
        {**data, "email": "sam@example.org", "structure": structure_a.pk},
    )
    assert not get_user_model().objects.get(username="sans.mdp").has_usable_password()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "123"}, "Ce mot de passe est trop court"),
        ({"communes_served": "Nulle-Part-sur-Mer"}, "aucune commune trouvée"),
        ({"username": "UTILISATEUR0"}, "Cet identifiant est déjà pris"),
    ],
)
def test_counsellor_bad_input(client, request, structure_a, counsellor_a, overrides, message):
    login(client, request, "coordinator")
    data = {
        "username": "nouveau",
        "first_name": "Nina",
        "last_name": "Petit",
        "email": "nina@example.org",
        "structure": structure_a.pk,
        **overrides,
    }
    if overrides.get("username") == "UTILISATEUR0":
        data["username"] = counsellor_a.username.upper()
    response = client.post(reverse("conseillers:add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Counsellor.objects.filter(user__first_name="Nina").exists()


def test_coordinator_moves_and_deactivates_a_counsellor(
    client, request, counsellor_a, structure_b, landeronde
):
    profile = counsellor_a.counsellor
    login(client, request, "coordinator")
    form = client.get(reverse("conseillers:edit", args=[profile.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("conseillers:edit", args=[profile.pk]),
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille@example.org",
            "structure": structure_b.pk,
            "communes_served": "Landeronde (85150)",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    counsellor_a.refresh_from_db()
    assert profile.structure == structure_b
    assert list(profile.communes.all()) == [landeronde]
    assert counsellor_a.first_name == "Camille" and not counsellor_a.is_active


def test_counsellor_index_lists_counsellors(client, request, counsellor_a, counsellor_b):
    login(client, request, "coordinator")
    content = client.get(reverse("conseillers:index")).content.decode()
    assert counsellor_a.username in content and counsellor_b.username in content


def test_organisation_menu(client, request):
    login(client, request, "coordinator")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("structures:index") in home and reverse("conseillers:index") in home
    login(client, request, "counsellor_a")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lieux:index") in home and reverse("structures:index") not in home
    login(client, request, "partner_editor")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lieux:index") not in home


@pytest.mark.parametrize("url_name", ["structures:index", "lieux:index", "conseillers:index"])
def test_list_query_counts_do_not_grow(client, request, url_name, django_assert_max_num_queries):
    def add(count):
        for _n in range(count):
            structure = StructureFactory(commune=CommuneFactory())
            VenueFactory(structure=structure)
            counsellor_user(structure=structure)

    login(client, request, "coordinator")
    add(3)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(url_name)).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
