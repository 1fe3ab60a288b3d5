"""/donnees/lieux-de-mediation-numerique.csv and .json: public, in the national standard
(validated against the vendored schema with frictionless), active venues only, no personal
data, one query whatever the number of venues."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from learners.national.lieux import COLUMNS
from learners.services.exports import export_build
from tests.factories.learners import (
    LearnerFactory,
    StructureFactory,
    VenueFactory,
    coordinator_user,
    counsellor_user,
)
from tests.learners.national.standard import communes, csv_errors, records_errors

pytestmark = pytest.mark.django_db

CSV_URL = "/donnees/lieux-de-mediation-numerique.csv"
JSON_URL = "/donnees/lieux-de-mediation-numerique.json"


@pytest.fixture
def network(db):
    places = communes()
    agglo = StructureFactory(name="Agglomération", siret="20004019900017")
    no_siret = StructureFactory(name="Collectif sans SIRET", siret="")
    venues = {
        "rich": VenueFactory(
            structure=agglo,
            commune=places["85191"],
            name='Espace "Simbrandière", Bourg-sous-la-Roche',
            address="12 rue de la Simbrandière",
            postal_code="85000",
            latitude=46.66594,
            longitude=-1.4162,
            typology=["EPN", "MUNI"],
            phone="+33251000001",
            emails=["espace@example.org", "ateliers@example.org"],
            website="https://example.org",
            opening_hours="Tu-Fr 09:00-12:00",
            summary="Aide aux démarches ; ateliers « premiers pas ».",
            description="Ligne 1\nLigne 2, avec virgule",
            services=["Aide aux démarches administratives", "Loisirs et créations numériques"],
            audiences=["Seniors"],
            specific_support=["Surdité"],
            fees=["Gratuit"],
            national_programmes=["Conseillers numériques"],
            training_labels=["Étapes numériques(La Poste)"],
            access_modes=["Se présenter"],
            support_modes=["À distance"],
            mobility=["Fixe"],
            acceslibre_url="https://acceslibre.beta.gouv.fr/app/85/a/x/erp/y/",
            booking_url="https://rdv.example.org/",
            external_id="vendee-001",
        ),
        "plain": VenueFactory(
            structure=agglo, commune=places["85194"], name="Salle des fêtes", postal_code=""
        ),
        "rna": VenueFactory(
            structure=no_siret,
            commune=places["85109"],
            name="Tiers-lieu associatif",
            pivot="W851234567",
            other_training_labels='=HYPERLINK("http://x")',
        ),
        "closed": VenueFactory(structure=agglo, commune=places["85118"], is_active=False),
        "no_address": VenueFactory(structure=agglo, commune=places["85118"], address=""),
        "no_pivot": VenueFactory(structure=no_siret, commune=places["85092"]),
    }
    return venues


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _csv_records(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_csv_is_public_and_validates_against_the_schema(client, network, tmp_path):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = _content(response)
    assert content.decode("utf-8").splitlines()[0] == ",".join(COLUMNS)
    assert csv_errors(content, tmp_path) == []
    records = {row["nom"]: row for row in _csv_records(content)}
    assert set(records) == {
        'Espace "Simbrandière", Bourg-sous-la-Roche',
        "Salle des fêtes",
        "Tiers-lieu associatif",
    }  # not the closed venue, nor those the national map could not place
    rich = records['Espace "Simbrandière", Bourg-sous-la-Roche']
    assert rich["id"] == "vendee-001"
    assert rich["services"] == "Aide aux démarches administratives|Loisirs et créations numériques"
    assert rich["courriels"] == "espace@example.org|ateliers@example.org"
    assert rich["presentation_detail"] == "Ligne 1\nLigne 2, avec virgule"
    assert rich["date_maj"] == timezone.localdate().isoformat()
    plain = records["Salle des fêtes"]
    assert plain["id"] == f"pasapas-lieu-{network['plain'].pk}"
    assert (plain["pivot"], plain["code_postal"]) == ("20004019900017", "85100")
    assert records["Tiers-lieu associatif"]["pivot"] == "W851234567"
    # Text is published as typed: a formula is a string for the harvester, not a formula.
    assert records["Tiers-lieu associatif"]["autres_formations_labels"] == '=HYPERLINK("http://x")'


def test_the_json_holds_the_same_records_and_validates(client, network, tmp_path):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    records = json.loads(_content(response))
    assert [list(record) for record in records] == [list(COLUMNS)] * 3
    assert records_errors(records) == []
    csv_records = _csv_records(_content(client.get(CSV_URL)))
    for from_json, from_csv in zip(records, csv_records, strict=True):
        as_text = {k: "" if v is None else str(v) for k, v in from_json.items()}
        assert as_text == from_csv
    rich = next(r for r in records if r["id"] == "vendee-001")
    assert (rich["latitude"], rich["longitude"]) == (46.66594, -1.4162)  # numbers


def test_file_names_follow_the_standard(client, network, settings):
    settings.OPEN_DATA_PRODUCER = "Réseau numérique de Vendée"
    settings.OPEN_DATA_TERRITORY = "Vendée"
    today = timezone.localdate().isoformat()
    stem = f"{today}_reseau-numerique-de-vendee_lieux-de-mediation-numerique_vendee"
    response = client.get(CSV_URL)
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.csv"'
    assert _csv_records(_content(response))[0]["source"] == "Réseau numérique de Vendée"
    response = client.get(JSON_URL)
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.json"'


def test_stable_addresses_and_only_reading(client, db):
    assert reverse("opendata:venues_csv") == CSV_URL
    assert reverse("opendata:venues_json") == JSON_URL
    assert client.post(CSV_URL).status_code == 405
    assert json.loads(_content(client.get(JSON_URL))) == []
    assert _content(client.get(CSV_URL)).decode() == ",".join(COLUMNS) + "\n"


def test_no_personal_data(client, network):
    counsellor = counsellor_user(structure=network["rich"].structure)
    counsellor.email = "camille.conseillere@example.org"
    counsellor.save()
    LearnerFactory(structure=network["rich"].structure, first_name="Odette", last_name="Guillemot")
    for url in (CSV_URL, JSON_URL):
        text = _content(client.get(url)).decode()
        for private in ("Odette", "Guillemot", "camille", counsellor.username):
            assert private not in text


class _Counter:
    """Counts every statement sent to the database, server-side cursors included."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)


def _queries(client, url) -> list[str]:
    _content(client.get(url))  # warm-up
    counter = _Counter()
    with connection.execute_wrapper(counter):
        _content(client.get(url))
    return counter.statements


def test_one_query_whatever_the_number_of_venues(client, network):
    few = {url: _queries(client, url) for url in (CSV_URL, JSON_URL)}
    structure, commune = network["rich"].structure, network["rich"].commune
    VenueFactory.create_batch(40, structure=structure, commune=commune)
    for url in (CSV_URL, JSON_URL):
        statements = _queries(client, url)
        assert len(statements) == len(few[url]) == 1, statements
        assert "learners_venue" in statements[0]


def test_the_admin_export_has_the_standard_s_columns(network):
    coordinator = coordinator_user()
    export = export_build(user=coordinator, kind="venues", format="csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    # Every venue the user may see, inactive ones and incomplete ones included.
    assert len(rows) - 1 == len(network)
    by_id = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["vendee-001"]["services"] == (
        "Aide aux démarches administratives|Loisirs et créations numériques"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", by_id["vendee-001"]["date_maj"])
