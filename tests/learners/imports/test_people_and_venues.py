"""People and venue imports: encodings, separators, XLSX round trip, matching, roles."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from learners.imports import import_job_create, import_run
from learners.models import ImportStatus, Learner, Venue
from learners.services.exports import export_build
from tests.factories.learners import LearnerFactory, VenueFactory

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["Prénom", "Nom", "Année de naissance", "Code INSEE", "Genre", "Informée le"],
    ["Hélène", "Durand", "1948", "85191", "F", "25/03/2024"],
    ["Rémi", "Léger", "1971", "85191", "Homme", "2024-03-26"],
]


def run(user, content, fmt="csv", **kwargs):
    return import_run(user=user, kind="people", content=content, format=fmt, **kwargs)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [
        (";", "cp1252", False),
        (",", "utf-8", True),
        (";", "utf-8", False),
        (",", "cp1252", False),
        ("\t", "utf-8", True),
    ],
    ids=["french-excel", "utf8-bom-comma", "utf8-semicolon", "cp1252-comma", "tab"],
)
def test_encodings_and_separators(counsellor_a, roche, delimiter, encoding, bom):
    content = csv_bytes(ROWS, delimiter=delimiter, encoding=encoding, bom=bom)
    plan = run(counsellor_a, content, dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    helene = Learner.objects.get(first_name="Hélène")
    assert helene.gender == "feminin" and helene.commune_id == "85191"
    assert str(helene.information_given_at) == "2024-03-25"
    assert Learner.objects.get(first_name="Rémi").last_name == "Léger"


def test_spreadsheet_damage_is_repaired(counsellor_a, db):
    from tests.factories.learners import CommuneFactory

    CommuneFactory(insee_code="01053", name="Bourg-en-Bresse", department_code="01")
    rows = [
        ["Prénom", "Code INSEE", "Téléphone", "Accord pour être contactée"],
        ["Ana", "1053", "612345678", "oui"],  # Excel dropped both leading zeros
    ]
    plan = run(counsellor_a, csv_bytes(rows), dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    ana = Learner.objects.get()
    assert (ana.commune_id, ana.phone, ana.contact_consent) == ("01053", "0612345678", True)
    assert ana.contact_consent_at is not None


def test_xlsx_round_trip_and_edit(counsellor_a, structure_a, roche, sables):
    person = LearnerFactory(structure=structure_a, first_name="Zoé", commune=roche)
    exported = export_build(user=counsellor_a, kind="people", format="xlsx").content
    plan = run(counsellor_a, exported, "xlsx")
    assert plan.ok and not plan.has_changes, [str(e) for e in plan.errors]

    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("Code INSEE") + 1, value="85194")
    sheet.cell(row=2, column=header.index("Commune") + 1, value="Les Sables-d'Olonne")
    sheet.append(["", "", "Maël", "Roux", 1999.0])  # a number typed as a float by Excel
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = run(counsellor_a, buffer.getvalue(), "xlsx", dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    assert (plan.count("person", "update"), plan.count("person", "create")) == (1, 1)
    person.refresh_from_db()
    assert person.commune_id == "85194"
    assert Learner.objects.get(first_name="Maël").birth_year == 1999


def test_insee_and_commune_name_must_agree(counsellor_a, roche, sables):
    rows = [["Prénom", "Code INSEE", "Commune"], ["Ana", "85191", "Les Sables-d'Olonne"]]
    plan = run(counsellor_a, csv_bytes(rows))
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Commune » : le code INSEE 85191 est celui de « La Roche-sur-Yon » : "
        "corrigez le code ou le nom de la commune."
    ]
    rows = [["Prénom", "Commune"], ["Ana", "les sables d olonne"]]
    plan = run(counsellor_a, csv_bytes(rows), dry_run=False)
    assert plan.ok and Learner.objects.get().commune == sables


def test_model_rules_are_errors_on_their_column(counsellor_a, roche):
    rows = [
        ["Prénom", "Téléphone", "Accord pour être contactée", "Année de naissance"],
        ["Ana", "0612345678", "non", "1950"],
        ["Bo", "", "", "1850"],
        ["", "", "", ""],
        ["Cy", "", "peut-être", ""],
    ]
    plan = run(counsellor_a, csv_bytes(rows), dry_run=False)
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Téléphone » : Un téléphone ne peut être enregistré qu'avec "
        "l'accord de la personne.",
        "Ligne 3, colonne « Année de naissance » : année de naissance sur 4 chiffres attendue "
        f"(1900 à {__import__('datetime').date.today().year}), jamais la date.",
        "Ligne 5, colonne « Accord pour être contactée » : répondez « oui » ou « non ».",
    ]
    assert not Learner.objects.exists()


def test_matching_in_scope_and_elsewhere(counsellor_a, structure_a, structure_b, roche):
    mine = LearnerFactory(
        structure=structure_a,
        first_name="Helene",
        last_name="DURAND",
        birth_year=1948,
        commune=None,
    )
    LearnerFactory(structure=structure_b, first_name="Rémi", last_name="Léger", birth_year=1971)
    plan = run(counsellor_a, csv_bytes(ROWS), dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.count("person", "update") == 1  # matched: only blank fields completed
    assert plan.count("person", "create") == 1
    flags = {line.label: " ".join(line.flags) for line in plan.flagged}
    assert "rattachée, pas de doublon" in flags["Helene D. (1948)"]
    assert "autre structure" in flags["Rémi L. (1971)"]
    from learners.models import LinkRequest

    [link_request] = LinkRequest.objects.all()
    assert link_request.learner.structure == structure_b
    assert link_request.own_record.structure == structure_a
    mine.refresh_from_db()
    assert mine.commune_id == "85191" and mine.first_name == "Helene"  # name kept
    assert Learner.objects.filter(normalized_name="helenedurand").count() == 1


def test_a_record_created_elsewhere_keeps_its_held_fields(
    counsellor_b, structure_a, structure_b, roche
):
    """B follows Hélène (created by A, with notes and a phone): B's import by network id
    changes her identity fields but neither shows nor changes A's held fields."""
    from django.utils import timezone

    from learners.models import LearnerStructure

    helene = LearnerFactory(
        structure=structure_a,
        first_name="Hélène",
        birth_year=1948,
        notes="Vient avec sa voisine",
        phone="0611223344",
        contact_consent=True,
        contact_consent_at=timezone.now(),
    )
    LearnerStructure.objects.create(learner=helene, structure=structure_b)
    rows = [
        ["Identifiant réseau", "Prénom", "Téléphone", "Remarques", "Année de naissance"],
        [helene.network_id, "Hélène", "0700000000", "écrasé", "1949"],
    ]
    plan = run(counsellor_b, csv_bytes(rows), dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    preview = " ".join(str(change) for line in plan.lines for change in line.changes)
    assert "0611223344" not in preview and "Vient avec sa voisine" not in preview
    helene.refresh_from_db()
    assert helene.birth_year == 1949
    assert (helene.phone, helene.notes) == ("0611223344", "Vient avec sa voisine")


def test_duplicates_inside_the_file(counsellor_a, roche):
    rows = [*ROWS, ["helene", "DURAND", "1948", "85191", "", ""]]
    plan = run(counsellor_a, csv_bytes(rows))
    assert [str(e) for e in plan.errors] == [
        "Ligne 4, colonne « Prénom » : cette personne apparaît déjà ligne 2."
    ]


def test_several_matches_are_skipped_and_flagged(counsellor_a, structure_a, roche):
    for _n in range(2):
        LearnerFactory(
            structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=None
        )
    plan = run(counsellor_a, csv_bytes(ROWS[:2]), dry_run=False)
    assert plan.ok and plan.count("person", "skip") == 1
    assert "plusieurs fiches existantes" in plan.flagged[0].flags[0]
    assert Learner.objects.count() == 2


def test_counsellor_structure_column(counsellor_a, structure_b, roche):
    rows = [["Prénom", "Structure"], ["Ana", structure_b.name]]
    plan = run(counsellor_a, csv_bytes(rows))
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Structure » : vous ne pouvez importer que pour votre structure."
    ]


def test_permissions(partner_editor, counsellor_a, coordinator, structure_b, roche):
    content = csv_bytes(ROWS)
    with pytest.raises(PermissionDenied):
        run(partner_editor, content)
    with pytest.raises(PermissionDenied):
        import_job_create(user=partner_editor, kind="people", filename="p.csv", content=content)
    rows = [[*ROWS[0], "Structure"], *[[*row, structure_b.name] for row in ROWS[1:]]]
    plan = run(coordinator, csv_bytes(rows), dry_run=False)
    assert plan.ok
    assert set(Learner.objects.values_list("structure", flat=True)) == {structure_b.pk}


def test_unreadable_files(counsellor_a):
    job_rows = [["Nom", "Ville"], ["Martin", "Nantes"]]
    plan = run(counsellor_a, csv_bytes(job_rows))
    assert "Colonne manquante : « Prénom » ou « Identifiant réseau »" in str(plan.errors[0])
    plan = run(counsellor_a, 'Prénom;Nom\n"Ana;Roux\n'.encode())
    assert "Le fichier CSV est mal formé" in str(plan.errors[0])
    plan = run(counsellor_a, b"Pr\xe9nom;Nom\n")
    assert "Le fichier ne contient aucune ligne" in str(plan.errors[0])


# --- Venues -------------------------------------------------------------------------------


VENUE_ROWS = [
    ["id", "nom", "adresse", "code_postal", "code_insee", "commune", "telephone", "courriels",
     "site_web", "horaires", "services"],
    ["lieu-85-001", "Espace numérique", "1 rue de la Poste", "85000", "85191", "La Roche-sur-Yon",
     "02 51 00 00 00", "contact@example.org", "https://example.org", "Mo-Fr 09:00-12:00",
     "Aide aux démarches administratives; Maîtrise des outils numériques du quotidien"],
]  # fmt: skip


def test_venues_from_the_national_standard(counsellor_a, structure_a, roche):
    plan = import_run(
        user=counsellor_a,
        kind="venues",
        content=csv_bytes(VENUE_ROWS, delimiter=","),
        format="csv",
        dry_run=False,
    )
    assert plan.ok, [str(e) for e in plan.errors]
    venue = Venue.objects.get()
    assert (venue.structure, venue.commune, venue.external_id) == (
        structure_a,
        roche,
        "lieu-85-001",
    )
    assert venue.services == [
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
    ]
    assert venue.phone == "+33251000000" and venue.emails == ["contact@example.org"]
    assert venue.latitude == roche.latitude  # the commune's centre by default

    exported = export_build(user=counsellor_a, kind="venues", format="csv").content
    again = import_run(user=counsellor_a, kind="venues", content=exported, format="csv")
    assert again.ok and not again.has_changes, again.summary()


def test_venue_of_another_structure_cannot_be_changed(counsellor_a, structure_b, roche):
    VenueFactory(structure=structure_b, commune=roche, external_id="lieu-85-001")
    plan = import_run(user=counsellor_a, kind="venues", content=csv_bytes(VENUE_ROWS), format="csv")
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « id » : ce lieu appartient à une autre structure : vous ne pouvez "
        "pas le modifier."
    ]


def test_venue_found_by_name_and_commune(counsellor_a, structure_a, roche):
    venue = VenueFactory(structure=structure_a, commune=roche, name="Espace Numérique", address="")
    plan = import_run(
        user=counsellor_a,
        kind="venues",
        content=csv_bytes([row[1:] for row in VENUE_ROWS]),
        format="csv",
        dry_run=False,
    )
    assert plan.ok and plan.count("venue", "update") == 1
    venue.refresh_from_db()
    assert venue.address == "1 rue de la Poste"
    assert Venue.objects.count() == 1


def test_invalid_job_keeps_no_file(counsellor_a, roche):
    rows = [*ROWS, ["Zoé", "Roux", "1999", "85191", "", "le 3 mars"]]
    job = import_job_create(
        user=counsellor_a, kind="people", filename="p.csv", content=csv_bytes(rows)
    )
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "line": 4,
            "column": "Informée le",
            "message": "date non reconnue : écrivez-la 25/03/2024 (ou 2024-03-25).",
            "value": "le 3 mars",
        }
    ]
    assert bytes(job.content) == b""
    assert not Learner.objects.exists()


def test_venue_hours_are_checked_like_the_form(counsellor_a, structure_a, roche):
    rows = [VENUE_ROWS[0], [*VENUE_ROWS[1][:9], "lundi 9h-12h", VENUE_ROWS[1][10]]]
    plan = import_run(
        user=counsellor_a,
        kind="venues",
        content=csv_bytes(rows, delimiter=","),
        format="csv",
        dry_run=False,
    )
    [error] = [str(e) for e in plan.errors]
    assert error.startswith("Ligne 2, colonne « horaires » : Ces horaires ne sont pas au format")
    assert not Venue.objects.exists()


def test_venue_import_refreshes_the_agenda(counsellor_a, structure_a, roche):
    from caching import versions

    before = versions.current(versions.AGENDA)
    plan = import_run(
        user=counsellor_a,
        kind="venues",
        content=csv_bytes(VENUE_ROWS, delimiter=","),
        format="csv",
        dry_run=False,
    )
    assert plan.ok
    assert versions.current(versions.AGENDA) != before
