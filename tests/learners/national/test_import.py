"""Importing a file of the national standard: a real-looking network file (accents, quotes,
commas, line breaks, a formula, markup, `|` and `;`), preview then all-or-nothing, update
by `id`, every vocabulary and pattern checked, each role in its own structure."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from learners.imports import import_job_create, import_run
from learners.models import ImportStatus, Venue
from learners.national import lieux
from learners.services.exports import export_build
from tests.factories.learners import VenueFactory

from .standard import communes

FIXTURES = Path(__file__).parent / "fixtures"
NETWORK_FILE = (FIXTURES / "lieux-reseau-vendee.csv").read_bytes()

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    return communes()


def run(user, content, *, fmt="csv", dry_run=False, **kwargs):
    return import_run(
        user=user, kind="venues", content=content, format=fmt, dry_run=dry_run, **kwargs
    )


def test_preview_then_import_of_a_network_file(counsellor_a, structure_a, places):
    preview = run(counsellor_a, NETWORK_FILE, dry_run=True)
    assert preview.ok, [str(e) for e in preview.errors]
    assert preview.count("venue", "create") == 4
    assert not Venue.objects.exists()  # a preview writes nothing

    plan = run(counsellor_a, NETWORK_FILE)
    assert plan.ok and plan.result == {"created": 4, "updated": 0}
    venues = {v.external_id: v for v in Venue.objects.all()}
    assert {v.structure for v in venues.values()} == {structure_a}

    library = venues["vendee-001"]
    assert library.name == "Médiathèque Benjamin-Rabier – espace numérique"
    assert library.emails == ["mediatheque@example.org", "numerique@example.org"]
    assert library.typology == ["BIB", "MUNI"]
    assert library.description == "Ateliers le mercredi.\nPrêt de liseuses."
    assert library.national_programmes == [
        "Bibliothèques numérique de référence",
        "Conseillers numériques",
    ]
    assert library.opening_hours == "Tu-Sa 10:00-18:00"

    cafe = venues["vendee-002"]
    assert cafe.name == 'Café "Le Lien", tiers-lieu d\'Olonne'
    assert cafe.pivot == "W851234567"
    assert cafe.typology == ["ASSO", "TIERS_LIEUX"]  # `;` as the standard's README says
    assert cafe.audiences == ["Jeunes", "Étudiants"]  # case and accents aside
    assert cafe.fees == ["Gratuit sous condition", "Payant"]
    assert cafe.phone == "+33251320000"
    # Hostile text is kept as text: the pages escape it, the open CSV quotes it.
    assert cafe.summary.startswith("<script>alert('x')</script>")
    assert cafe.description == '=HYPERLINK("http://example.com";"clic")'
    assert cafe.other_training_labels == "Pass numérique 🎫"

    bus = venues["vendee-003"]
    assert bus.mobility == ["Itinérant"]
    assert (bus.latitude, bus.longitude) == (46.45865, -0.78873)  # the commune's centre


def test_importing_the_same_file_again_changes_nothing(counsellor_a, places):
    assert run(counsellor_a, NETWORK_FILE).ok
    again = run(counsellor_a, NETWORK_FILE, dry_run=True)
    assert again.ok and not again.has_changes, again.summary()


def test_our_export_comes_back_unchanged_and_updates_by_id(counsellor_a, places):
    assert run(counsellor_a, NETWORK_FILE).ok
    VenueFactory(structure=counsellor_a.counsellor.structure, commune=places["85118"])
    exported = export_build(user=counsellor_a, kind="venues", format="xlsx").content
    again = run(counsellor_a, exported, fmt="xlsx", dry_run=True)
    assert again.ok and not again.has_changes, [str(e) for e in again.errors]

    # A changed cell updates the venue the id names, ours (pasapas-lieu-N) included.
    created = Venue.objects.get(commune=places["85118"])
    both = "Insertion professionnelle via le numérique|Aide aux démarches administratives"
    rows = [
        ["id", "nom", "code_insee", "services"],
        [f"pasapas-lieu-{created.pk}", created.name, "85118", "Aide aux démarches administratives"],
        ["vendee-004", "Espace emploi des Herbiers", "85109", both],
    ]
    plan = run(counsellor_a, _csv(rows))
    assert plan.ok and plan.result == {"created": 0, "updated": 2}, [str(e) for e in plan.errors]
    created.refresh_from_db()
    assert created.services == ["Aide aux démarches administratives"]
    assert Venue.objects.get(external_id="vendee-004").services == [
        "Aide aux démarches administratives",
        "Insertion professionnelle via le numérique",
    ]


def test_one_bad_cell_and_nothing_is_imported(counsellor_a, places):
    text = NETWORK_FILE.decode()
    text = text.replace("Gratuit sous condition;Payant", "Gratuit sous condition;Sur devis")
    text = text.replace("+33251690000", "+49 30 1234567")
    plan = run(counsellor_a, text.encode())
    assert not plan.ok
    messages = [str(e) for e in plan.errors]
    assert messages == [
        "Ligne 4, colonne « frais_a_charge » : « Sur devis » n'est pas une valeur admise. "
        "Valeurs admises : Gratuit | Gratuit sous condition | Payant.",
        "Ligne 5, colonne « telephone » : « +49 30 1234567 » : un numéro français attendu, "
        "par exemple +33123456789.",
    ]
    assert not Venue.objects.exists()


def test_an_xlsx_file_with_semicolons(counsellor_a, places):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "pivot", "nom", "commune", "code_postal", "adresse", "services"])
    services = "Aide aux démarches administratives ; Accès internet et matériel informatique"
    sheet.append(["x-1", "21850191700016", "Point numérique", "La Roche-sur-Yon", "85000",
                  "Place Napoléon", services])  # fmt: skip
    content = _xlsx(book)
    plan = run(counsellor_a, content, fmt="xlsx")
    assert plan.ok, [str(e) for e in plan.errors]
    venue = Venue.objects.get(external_id="x-1")
    assert venue.commune == places["85191"]  # found by its name
    assert venue.services == [
        "Aide aux démarches administratives",
        "Accès internet et matériel informatique",
    ]


def test_the_standard_s_own_example_file(counsellor_a, places):
    plan = run(counsellor_a, (FIXTURES / "exemple-valide.csv").read_bytes())
    assert plan.ok, [str(e) for e in plan.errors]
    venue = Venue.objects.get(external_id="structure-1")
    row = lieux.venue_standard_row(venue)
    assert row["formations_labels"] == (
        "Formé à « Mon Espace Santé »|Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
    )
    assert row["modalites_accompagnement"] == (
        "En autonomie|Accompagnement individuel|Dans un atelier collectif|À distance"
    )


def test_a_counsellor_imports_into_their_structure_only(
    counsellor_a, counsellor_b, structure_b, places
):
    assert run(counsellor_b, NETWORK_FILE).ok
    plan = run(counsellor_a, NETWORK_FILE, dry_run=True)
    assert not plan.ok
    # Lines as the file counts them (the first venue's description spans two lines).
    assert str(plan.errors[0]) == (
        "Ligne 3, colonne « id » : ce lieu appartient à une autre structure : "
        "vous ne pouvez pas le modifier."
    )
    # A « Structure » column naming another structure is refused too.
    rows = [["nom", "code_insee", "Structure"], ["Lieu", "85191", structure_b.name]]
    plan = run(counsellor_a, _csv(rows), dry_run=True)
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Structure » : vous ne pouvez importer que pour votre structure."
    ]


def test_a_coordinator_imports_for_a_structure(coordinator, structure_b, places):
    plan = run(coordinator, NETWORK_FILE, structure=structure_b)
    assert plan.ok
    assert set(Venue.objects.values_list("structure", flat=True)) == {structure_b.pk}


def test_an_invalid_upload_keeps_nothing(counsellor_a, places):
    bad = NETWORK_FILE.decode().replace("Itinérant", "En bus").encode()
    job = import_job_create(user=counsellor_a, kind="venues", filename="l.csv", content=bad)
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "line": 5,
            "column": "itinerance",
            "message": "« En bus » n'est pas une valeur admise. "
            "Valeurs admises : Itinérant | Fixe.",
            "value": "En bus",
        }
    ]
    assert not Venue.objects.exists()


def _csv(rows) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(book) -> bytes:
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
