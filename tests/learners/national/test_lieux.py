"""learners.national.lieux against the vendored schema: columns, vocabularies, a venue's
row and a standard row's fields."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from learners.national import lieux
from learners.national.lieux import SCHEMA_PATH, StandardRowError
from tests.factories.learners import StructureFactory, VenueFactory

from .standard import communes, records_errors

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
FIELDS = {field["name"]: field for field in SCHEMA["fields"]}


def pattern_values(column: str) -> list[str]:
    """The values a column's pattern allows: the alternatives of « (?:(?:^|\\|)(A|B))+$ »."""
    pattern = FIELDS[column]["constraints"]["pattern"]
    inner = re.search(r"\\\|\)\((.*)\)\)\+\$$", pattern).group(1)
    return [re.sub(r"\\(.)", r"\1", value) for value in re.split(r"(?<!\\)\|", inner)]


def test_the_vendored_schema_is_version_1_0_2():
    assert SCHEMA["version"] == "v1.0.2"
    assert SCHEMA["licenses"][0]["name"] == "etalab-2.0"


def test_columns_and_required_ones_are_the_schema_s():
    assert lieux.COLUMNS == tuple(FIELDS)
    required = tuple(n for n, f in FIELDS.items() if f.get("constraints", {}).get("required"))
    assert lieux.REQUIRED == required


@pytest.mark.parametrize("column", [c for c in lieux.LIST_COLUMNS if c != "typologie"])
def test_each_vocabulary_is_the_schema_s_pattern(column):
    _field, vocabulary = lieux.LIST_COLUMNS[column]
    assert [value for value, _label in vocabulary] == pattern_values(column)


def test_typologies_are_data_inclusion_codes_with_french_labels():
    _field, vocabulary = lieux.LIST_COLUMNS["typologie"]
    labels = dict(vocabulary)
    assert {"ASSO", "BIB", "CCAS", "MUNI", "RFS", "TIERS_LIEUX"} <= set(labels)
    assert str(labels["BIB"]) == "Bibliothèque / Médiathèque"


@pytest.fixture
def rich_venue(db):
    roche = communes()["85191"]
    structure = StructureFactory(name="Ville de La Roche-sur-Yon", siret="21850191700016")
    return VenueFactory(
        structure=structure,
        commune=roche,
        name="Médiathèque Benjamin-Rabier",
        address="Esplanade Jeannie-Mazurelle",
        postal_code="",
        phone="+33251470000",
        emails=["mediatheque@example.org", "numerique@example.org"],
        services=["Loisirs et créations numériques", "Accès internet et matériel informatique"],
        fees=["Gratuit"],
        typology=["MUNI", "BIB"],
        summary="Postes en libre accès.",
    )


@override_settings(OPEN_DATA_PRODUCER="Réseau numérique Vendée")
def test_a_venue_s_row(rich_venue):
    row = lieux.venue_standard_row(rich_venue)
    assert list(row) == list(lieux.COLUMNS)
    assert row["id"] == f"pasapas-lieu-{rich_venue.pk}"
    assert row["pivot"] == "21850191700016"  # the structure's SIRET by default
    assert row["code_postal"] == "85000"  # the commune's when the venue has none
    assert (row["commune"], row["code_insee"]) == ("La Roche-sur-Yon", "85191")
    assert row["courriels"] == "mediatheque@example.org|numerique@example.org"
    # In the vocabulary's order, whatever the order of the stored list.
    assert row["services"] == (
        "Loisirs et créations numériques|Accès internet et matériel informatique"
    )
    assert row["typologie"] == "BIB|MUNI"
    assert row["source"] == "Réseau numérique Vendée"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date_maj"])
    assert row["itinerance"] is None and row["prise_rdv"] is None
    assert records_errors([row]) == []


def test_own_pivot_and_external_id_win(rich_venue):
    rich_venue.pivot, rich_venue.external_id = "W851234567", "vendee-001"
    row = lieux.venue_standard_row(rich_venue)
    assert (row["pivot"], row["id"]) == ("W851234567", "vendee-001")


def test_a_venue_without_siret_anywhere_lacks_the_pivot(db):
    venue = VenueFactory(structure=StructureFactory(siret=""), address="")
    assert lieux.missing_required(lieux.venue_standard_row(venue)) == ["pivot", "adresse"]


def test_a_standard_row_s_fields():
    fields = lieux.standard_row_to_fields(
        {
            "id": "vendee-002",
            "nom": "  Café « Le Lien »  ",
            "telephone": "02 51 32 00 00",
            "courriels": "Contact@Le-Lien.example.org ; ateliers@le-lien.example.org",
            "services": "utilisation sécurisée du numérique ; Compréhension du monde numérique",
            "frais_a_charge": "Payant|Gratuit sous condition",
            "typologie": "Associations|TIERS_LIEUX",
            "latitude": "46,4967",
            "site_web": "https://a.example.org|https://b.example.org",
            "source": "ignored",
            "date_maj": "2024-10-15",
        }
    )
    assert fields == {
        "external_id": "vendee-002",
        "name": "Café « Le Lien »",
        "phone": "+33251320000",
        "emails": ["contact@le-lien.example.org", "ateliers@le-lien.example.org"],
        "services": ["Utilisation sécurisée du numérique", "Compréhension du monde numérique"],
        "fees": ["Gratuit sous condition", "Payant"],
        "typology": ["ASSO", "TIERS_LIEUX"],
        "latitude": 46.4967,
        "website": "https://a.example.org",
    }


def test_our_own_ids_name_the_venue():
    assert lieux.standard_row_to_fields({"id": "pasapas-lieu-42"}) == {"venue_pk": 42}


def test_every_bad_cell_is_named_with_the_allowed_values():
    with pytest.raises(StandardRowError) as caught:
        lieux.standard_row_to_fields(
            {
                "pivot": "123",
                "services": "Aide aux démarches administratives|Cours de cuisine",
                "telephone": "+4930123456",
                "courriels": "pas-une-adresse",
                "presentation_resume": "x" * 281,
                "code_postal": "8500",
            }
        )
    errors = caught.value.errors
    assert set(errors) == {
        "pivot",
        "services",
        "telephone",
        "courriels",
        "presentation_resume",
        "code_postal",
    }
    assert errors["services"].startswith("« Cours de cuisine » n'est pas une valeur admise.")
    assert "Valeurs admises : Aide aux démarches administratives | " in errors["services"]
    assert errors["presentation_resume"] == "281 caractères : 280 au plus."


def test_the_model_refuses_values_outside_the_vocabulary(db):
    venue = VenueFactory.build(
        structure=StructureFactory(), commune=communes()["85191"], services=["Cuisine"]
    )
    with pytest.raises(ValidationError) as caught:
        venue.full_clean()
    assert "Valeur inconnue : « Cuisine »" in str(caught.value.message_dict["services"])
    venue.services, venue.summary = [], "x" * 281
    with pytest.raises(ValidationError) as caught:
        venue.full_clean()
    assert set(caught.value.message_dict) == {"summary"}
    venue.summary, venue.phone = "", "0251000000"
    with pytest.raises(ValidationError) as caught:
        venue.full_clean()
    assert "format international" in caught.value.message_dict["phone"][0]
