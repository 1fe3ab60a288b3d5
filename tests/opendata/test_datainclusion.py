"""The data·inclusion files: every record valid against the `data-inclusion-schema`
package's own models (warnings raised as errors), the vocabularies, which sessions make a
service, no personal data, and the number of queries."""

from __future__ import annotations

import datetime
import json

import pytest
from data_inclusion.schema import v1
from django.urls import reverse
from wagtail.models import Site

from learners.choices import SessionKind
from learners.models import Venue
from opendata.datainclusion import datainclusion_files, datainclusion_services
from opendata.datainclusion.records import _name
from opendata.datainclusion.thematiques import FALLBACK, THEMES, thematiques_for
from tests.factories.learners import SessionFactory, StructureFactory, VenueFactory
from tests.factories.workshops import AtelierPageFactory, theme
from tests.queries import count_queries
from workshops import reference_data
from workshops.models import Theme

from .conftest import COUNSELLOR, LEARNER, at, hidden_sessions, public_session

pytestmark = pytest.mark.django_db

STRUCTURES_URL = "/donnees/data-inclusion/structures.json"
SERVICES_URL = "/donnees/data-inclusion/services.json"
STRICT = {"ignore_warnings": False}


def _get(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def test_urls_are_stable():
    assert reverse("opendata:datainclusion_structures") == STRUCTURES_URL
    assert reverse("opendata:datainclusion_services") == SERVICES_URL


def test_every_record_validates_with_the_package_models(client, opendata_network):
    structures = _get(client, STRUCTURES_URL)
    services = _get(client, SERVICES_URL)
    assert len(structures) == 2 and len(services) == 3
    for record in structures:
        v1.Structure.model_validate(record, context=STRICT)
    for record in services:
        v1.Service.model_validate(record, context=STRICT)
    # Every service belongs to a published structure; ids are unique.
    structure_ids = {s["id"] for s in structures}
    assert {s["structure_id"] for s in services} <= structure_ids
    assert len({s["id"] for s in services}) == len(services)


def test_vocabulary_values(client, opendata_network):
    services = _get(client, SERVICES_URL)
    known = {t.value for t in v1.Thematique}
    for service in services:
        assert service["type"] in {t.value for t in v1.TypeService}
        assert set(service["thematiques"]) <= known
        assert service["frais"] == v1.Frais.GRATUIT.value
        assert service["publics"] == [v1.Public.TOUS_PUBLICS.value]
        assert set(service["modes_accueil"]) <= {m.value for m in v1.ModeAccueil}
        assert set(service["modes_mobilisation"]) <= {m.value for m in v1.ModeMobilisation}
        assert set(service["mobilisable_par"]) <= {p.value for p in v1.PersonneMobilisatrice}
    structures = _get(client, STRUCTURES_URL)
    networks = {r.value for r in v1.ReseauPorteur}
    for structure in structures:
        assert set(structure["reseaux_porteurs"] or []) <= networks


def test_structure_record(client, opendata_network):
    yon = opendata_network["yon"]
    record = _by_id(_get(client, STRUCTURES_URL))[f"pas-a-pas--{yon.pk}"]
    bourg = opendata_network["bourg"]
    assert record["source"] == "pas-a-pas"
    assert record["nom"] == "Ville de La Roche-sur-Yon"
    assert record["siret"] == "21850191700011"
    # Its address and contact: its venue in its own commune.
    assert (record["commune"], record["code_insee"], record["code_postal"]) == (
        "La Roche-sur-Yon",
        "85191",
        "85000",
    )
    assert record["adresse"] == "10 rue du Bourg"
    assert record["telephone"] == "+33251000001"
    assert record["courriel"] == "bourg@mairie-exemple.fr"
    assert record["horaires_accueil"] == bourg.opening_hours
    assert record["lien_source"] == f"http://localhost/pres-de-chez-vous/lieux/{bourg.pk}/"
    assert record["reseaux_porteurs"] == ["communes", "conseillers-numeriques"]
    # The latest change of the structure or its venues, as a UTC date.
    latest = max(yon.created_at, bourg.updated_at, opendata_network["mairie"].updated_at)
    assert record["date_maj"] == latest.astimezone(datetime.UTC).date().isoformat()


def test_atelier_service_record(client, opendata_network):
    yon, email = opendata_network["yon"], opendata_network["email"]
    bourg = opendata_network["bourg"]
    record = _by_id(_get(client, SERVICES_URL))[f"pas-a-pas--atelier-{yon.pk}-{email.pk}"]
    assert record["structure_id"] == f"pas-a-pas--{yon.pk}"
    assert record["type"] == "atelier"
    assert record["nom"] == "Créer son adresse e-mail"
    assert record["description"].startswith(email.summary)
    assert "Niveau : débutant. Durée : 1 h 30." in record["description"]
    # e-mail → the basics; a housing procedure → online services, procedures, housing.
    assert record["thematiques"] == sorted(
        [
            "numerique--maitriser-les-fondamentaux-du-numerique",
            "numerique--acceder-a-des-services-en-ligne",
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
            "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
        ]
    )
    assert record["publics_precisions"] == "Conçu pour : Seniors, Parents."
    # All its dates are at one venue: that venue's address, hours and phone.
    assert record["code_insee"] == "85191" and record["adresse"] == "10 rue du Bourg"
    assert record["horaires_accueil"] == bourg.opening_hours
    assert record["modes_mobilisation"] == ["telephoner", "utiliser-lien-mobilisation"]
    # The venues' communes and the counsellors' (Landeronde).
    assert record["zone_eligibilite"] == ["85118", "85155", "85191"]
    # The atelier's public page, absolute, where its next dates are listed.
    assert record["lien_mobilisation"] == email.get_full_url()
    assert record["lien_mobilisation"].startswith("http://localhost/")
    page = client.get(email.url)
    assert "Prochaines dates" in page.content.decode()


def test_an_atelier_at_several_venues_has_no_single_address(client, opendata_network):
    yon, scams = opendata_network["yon"], opendata_network["scams"]
    record = _by_id(_get(client, SERVICES_URL))[f"pas-a-pas--atelier-{yon.pk}-{scams.pk}"]
    assert record["adresse"] is None and record["horaires_accueil"] is None
    assert "Espace numérique du Bourg (La Roche-sur-Yon)" in record["description"]
    assert "Médiathèque Benjamin-Rabier (Mouilleron-le-Captif)" in record["description"]
    # No theme at all: the basics.
    assert record["thematiques"] == [t.value for t in FALLBACK]


def test_appointment_service_record(client, opendata_network):
    bourg = opendata_network["bourg"]
    record = _by_id(_get(client, SERVICES_URL))[f"pas-a-pas--rendez-vous-{bourg.pk}"]
    assert record["type"] == "accompagnement"
    assert record["nom"] == "Rendez-vous individuel : Espace numérique du Bourg"
    assert record["lien_mobilisation"] == (
        f"http://localhost/pres-de-chez-vous/lieux/{bourg.pk}/rendez-vous/"
    )
    request_page = record["lien_mobilisation"].removeprefix("http://localhost")
    assert client.get(request_page).status_code == 200


def test_a_structure_without_public_sessions_has_no_atelier_service(client, opendata_network):
    quiet = opendata_network["quiet"]
    public_session(
        opendata_network["quiet_venue"],
        days=3,
        atelier=opendata_network["email"],
        is_published=False,
    )
    structures = _by_id(_get(client, STRUCTURES_URL))
    assert f"pas-a-pas--{quiet.pk}" in structures  # it has an active venue
    services = _get(client, SERVICES_URL)
    assert not [s for s in services if s["structure_id"] == f"pas-a-pas--{quiet.pk}"]


def test_unpublished_cancelled_past_individual_sessions_never_show(client, opendata_network):
    quiet = opendata_network["quiet"]
    closed = VenueFactory(
        structure=quiet,
        name="Ancien local",
        is_active=False,
        commune=opendata_network["quiet_venue"].commune,
    )
    hidden_sessions(
        venue=opendata_network["quiet_venue"],
        atelier=opendata_network["email"],
        inactive_venue=closed,
    )
    services = _get(client, SERVICES_URL)
    assert not [s for s in services if s["structure_id"] == f"pas-a-pas--{quiet.pk}"]
    # The closed venue is no address of the structure either.
    structures = _by_id(_get(client, STRUCTURES_URL))
    assert structures[f"pas-a-pas--{quiet.pk}"]["adresse"] != "Ancien local"
    assert "Ancien local" not in json.dumps(structures, ensure_ascii=False)


def test_an_unpublished_atelier_page_makes_no_service(client, opendata_network):
    email = opendata_network["email"]
    email.unpublish()
    ids = set(_by_id(_get(client, SERVICES_URL)))
    yon = opendata_network["yon"]
    assert f"pas-a-pas--atelier-{yon.pk}-{email.pk}" not in ids
    assert f"pas-a-pas--atelier-{yon.pk}-{opendata_network['scams'].pk}" in ids


def test_no_personal_data_leaves(client, opendata_network):
    text = client.get(STRUCTURES_URL).content.decode() + client.get(SERVICES_URL).content.decode()
    for value in (*COUNSELLOR.values(), *LEARNER.values()):
        assert value not in text
    counsellor_user = opendata_network["counsellor"].user
    assert counsellor_user.username not in text


def test_query_count_is_bounded_and_constant(client, opendata_network, communes):
    small = (count_queries(client, STRUCTURES_URL), count_queries(client, SERVICES_URL))
    assert small[0] <= 4 and small[1] <= 10
    # Ten more structures, each with two venues and two ateliers with dates.
    for n in range(10):
        structure = StructureFactory(name=f"Structure {n}")
        venues = [
            VenueFactory(structure=structure, commune=communes["85081"], takes_appointments=True)
            for _ in range(2)
        ]
        for atelier in (AtelierPageFactory(themes=[theme("e-mail")]), AtelierPageFactory()):
            for venue in venues:
                public_session(venue, days=3, atelier=atelier)
    assert (count_queries(client, STRUCTURES_URL), count_queries(client, SERVICES_URL)) == small
    assert len(_get(client, SERVICES_URL)) == 3 + 10 * 4


def test_files_agree_with_the_functions(opendata_network):
    files = datainclusion_files()
    assert files.services == datainclusion_services()
    assert len(files.structures) == 2


def test_bad_methods_are_refused(client, opendata_network):
    assert client.post(STRUCTURES_URL).status_code == 405
    assert client.head(SERVICES_URL).status_code == 200


# The theme table ------------------------------------------------------------------------


def test_one_producer_for_every_file(client, opendata_network, settings):
    """data·inclusion's `source` and the venue files' `source` and name come from the setting
    `OPEN_DATA_PRODUCER`, not from the Wagtail site's name."""
    Site.objects.filter(is_default_site=True).update(site_name="Autre nom")
    settings.OPEN_DATA_PRODUCER = "Réseau numérique de Vendée"
    yon = opendata_network["yon"]
    structures = _get(client, STRUCTURES_URL)
    assert {r["source"] for r in structures} == {"reseau-numerique-de-vendee"}
    assert f"reseau-numerique-de-vendee--{yon.pk}" in _by_id(structures)
    services = _get(client, SERVICES_URL)
    assert {r["source"] for r in services} == {"reseau-numerique-de-vendee"}
    venues = client.get(reverse("opendata:venues_json"))
    assert "_reseau-numerique-de-vendee_" in venues["Content-Disposition"]
    rows = json.loads(b"".join(venues.streaming_content))
    assert {r["source"] for r in rows} == {"Réseau numérique de Vendée"}


def test_every_national_theme_is_mapped_to_known_values():
    # The national themes carry their own slugs (La Coop's labels changed, the slugs did not).
    national = {slug for slug, *_ in (*reference_data.THEMES, *reference_data.ADMIN_SUBTHEMES)}
    assert national == set(THEMES)
    assert set(Theme.objects.filter(is_national=True).values_list("slug", flat=True)) == national
    known = {t.value for t in v1.Thematique}
    for values in THEMES.values():
        assert values and {v.value for v in values} <= known
        # Every theme lands on at least one of data·inclusion's digital values.
        assert any(v.value.startswith("numerique--") for v in values)


def test_a_new_theme_takes_its_parents_values():
    assert thematiques_for([("demarches-impots", "aide-aux-demarches-administratives")]) == sorted(
        v.value for v in THEMES["aide-aux-demarches-administratives"]
    )
    assert thematiques_for([("jardinage", None)]) == [v.value for v in FALLBACK]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Espace numérique.", "Espace numérique"),
        ("etc.", "etc."),
        ("AB", "Association AB"),
        ("Très " * 40, None),
    ],
)
def test_names_fit_the_schema(raw, expected):
    name = _name(raw, fallback="Association")
    assert 3 <= len(name) <= 150 and not name.endswith(".") or name == "etc."
    if expected:
        assert name == expected


def test_inactive_venues_and_empty_structures_are_not_published(client, opendata_network):
    empty = StructureFactory(name="Structure sans lieu")
    Venue.objects.filter(pk=opendata_network["quiet_venue"].pk).update(is_active=False)
    ids = set(_by_id(_get(client, STRUCTURES_URL)))
    assert f"pas-a-pas--{empty.pk}" not in ids
    assert f"pas-a-pas--{opendata_network['quiet'].pk}" not in ids


def test_values_the_schema_refuses_are_left_out(client, communes):
    # Rows written without the model's checks (an old import, the shell).
    structure = StructureFactory(name="Espace public numérique.", siret="123")
    venue = VenueFactory(
        structure=structure,
        commune=communes["85194"],  # three postal codes
        postal_code="",
        opening_hours="le matin",
        email="pas-un-courriel",
        website="ftp://exemple.fr",
        phone="  ",
        takes_appointments=True,
    )
    record = _get(client, STRUCTURES_URL)[0]
    v1.Structure.model_validate(record, context=STRICT)
    assert record["nom"] == "Espace public numérique"
    for name in ("siret", "code_postal", "horaires_accueil", "courriel", "site_web", "telephone"):
        assert record[name] is None, name
    (service,) = _get(client, SERVICES_URL)
    v1.Service.model_validate(service, context=STRICT)
    assert service["id"] == f"pas-a-pas--rendez-vous-{venue.pk}"
    assert service["modes_mobilisation"] == ["utiliser-lien-mobilisation"]


def test_a_structure_running_ateliers_at_another_ones_venue(client, opendata_network):
    # A partner without a venue of its own runs an atelier at the Bourg.
    partner = StructureFactory(name="Association Clic Seniors")
    SessionFactory(
        structure=partner,
        venue=opendata_network["bourg"],
        atelier=opendata_network["email"],
        kind=SessionKind.WORKSHOP,
        is_published=True,
        start=at(4),
    )
    structures = _by_id(_get(client, STRUCTURES_URL))
    record = structures[f"pas-a-pas--{partner.pk}"]
    v1.Structure.model_validate(record, context=STRICT)
    assert record["adresse"] is None and record["lien_source"] is None
    service = _by_id(_get(client, SERVICES_URL))[
        f"pas-a-pas--atelier-{partner.pk}-{opendata_network['email'].pk}"
    ]
    v1.Service.model_validate(service, context=STRICT)
    assert service["structure_id"] == record["id"]
    assert service["adresse"] == "10 rue du Bourg"
    assert service["zone_eligibilite"] == ["85191"]
