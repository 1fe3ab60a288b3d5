"""Competence levels in the attendance import: people, sessions and levels in one sheet,
as counsellors keep them (XLSX and French CSV), hostile cells, all or nothing, roles, and
bounded queries."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from learners.choices import AuditAction, ObservationSource
from learners.imports import ImportPlan, import_run
from learners.imports.values import EXCEL_EPOCH
from learners.models import AuditLog, CompetenceSummary, Learner, Observation, Session
from learners.services.progress import observations_record_many
from tests.factories.learners import LearnerFactory, SessionFactory, level

from .conftest import assert_bulk, csv_bytes, query_profile

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 12, 9)
NEXT = datetime.date(2025, 12, 16)
# Header variants a counsellor types: case, accents, trailing spaces, code or name.
HEADER = [
    "prénom ",
    "NOM",
    "Annee de naissance",
    "Date",
    "heure",
    "Type de séance",
    "Intitulé",
    "Présence",
    "s2.2",
    "envoyer des photos et des MESSAGES",
    "S3.1 Naviguer sur internet",
]


def serial(day: datetime.date) -> int:
    return (day - EXCEL_EPOCH).days


def sheet_rows(*, as_text: bool = False) -> list[list]:
    """Two sessions, two people (one at both), levels by name, abbreviation or variant.
    Dates as XLSX dates, as Excel day numbers and as French text."""
    first = DAY.strftime("%d/%m/%Y") if as_text else DAY
    return [
        list(HEADER),
        ["Hélène ", "Durand", "1948", first, "14:00", "Atelier", "Envoyer un e-mail ",
         "présente", "En cours", "acquise", ""],
        ["Marc", "Petit", "1962", DAY.strftime("%d/%m/%Y"), "14h00", "atelier",
         "Envoyer un e-mail", "x", "Non-acquis", "", "AUTONOME"],
        ["helene", "DURAND", "1948", str(serial(NEXT)), "10:00", "Permanence", "", "présent",
         "acquis", "", ""],
    ]  # fmt: skip


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(user, content: bytes, fmt: str, **kwargs):
    return import_run(user=user, kind="attendance", content=content, format=fmt, **kwargs)


def run_csv(user, rows, **kwargs):
    return run(user, csv_bytes(rows, encoding="utf-8", bom=True), "csv", **kwargs)


def levels_of(learner: Learner) -> list[tuple[str, str, datetime.date]]:
    return list(
        Observation.objects.filter(learner=learner)
        .order_by("observed_on", "competence__code")
        .values_list("competence__code", "level__name", "observed_on")
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_people_attendance_and_levels_in_one_sheet(counsellor_a, structure_a, socle, fmt):
    rows = sheet_rows(as_text=fmt == "csv")
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows, encoding="utf-8", bom=True)
    preview = run(counsellor_a, content, fmt)
    assert preview.ok, [str(e) for e in preview.errors]
    assert not preview.notices
    assert preview.count("observation", "create") == 5
    assert not Observation.objects.exists()  # the preview writes nothing

    plan = run(counsellor_a, content, fmt, dry_run=False)
    assert plan.ok and plan.result["observations_created"] == 5
    assert plan.count("person", "create") == 2 and plan.count("session", "create") == 2
    assert plan.count("attendance", "create") == 3
    helene = Learner.objects.get(first_name="Hélène")
    assert Learner.objects.count() == 2  # « helene DURAND 1948 » is the same person
    assert levels_of(helene) == [
        ("S2.2", "En cours", DAY),
        ("S2.4", "Acquis", DAY),
        ("S2.2", "Acquis", NEXT),
    ]
    assert levels_of(Learner.objects.get(first_name="Marc")) == [
        ("S2.2", "Non acquis", DAY),
        ("S3.1", "Autonome", DAY),
    ]
    observation = Observation.objects.filter(learner=helene).first()
    assert observation.author == counsellor_a
    assert observation.structure == structure_a
    assert observation.source == ObservationSource.COUNSELLOR
    assert observation.session.structure == structure_a
    summary = CompetenceSummary.objects.get(learner=helene, competence__code="S2.2")
    assert summary.current_level.name == "Acquis" and summary.first_level.name == "En cours"
    assert summary.last_observed_on == NEXT and summary.observation_count == 2

    again = run(counsellor_a, content, fmt, dry_run=False)
    assert again.ok and not again.has_changes
    assert again.count("observation", "unchanged") == 5
    assert Observation.objects.count() == 5 and Learner.objects.count() == 2


def test_a_new_level_for_a_known_session_is_appended(counsellor_a, socle):
    run_csv(counsellor_a, sheet_rows(as_text=True), dry_run=False)
    rows = sheet_rows(as_text=True)
    rows[1][8] = "Autonome"
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert plan.ok and plan.count("observation", "create") == 1
    assert plan.count("observation", "unchanged") == 4
    helene = Learner.objects.get(first_name="Hélène")
    assert [lv for code, lv, day in levels_of(helene) if code == "S2.2"] == [
        "En cours",
        "Autonome",
        "Acquis",
    ]  # append-only: the first level stays, in date order
    assert AuditLog.objects.filter(
        learner=helene, action=AuditAction.UPDATE, detail__contains="niveaux"
    ).exists()


def test_numbered_levels_and_level_names_of_the_crcn(counsellor_a):
    rows = [
        ["Prénom", "Nom", "Date", "Type de séance", "1.1", "Interagir"],
        ["Zoé", "Roux", "02/12/2025", "Atelier", "3", "niveau 2"],
    ]
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    assert levels_of(Learner.objects.get()) == [
        ("1.1", "Niveau 3", datetime.date(2025, 12, 2)),
        ("2.1", "Niveau 2", datetime.date(2025, 12, 2)),
    ]


def assert_nothing_stored():
    assert not Observation.objects.exists()
    assert not Learner.objects.exists()
    assert not Session.objects.exists()


def test_unknown_level_names_line_column_and_allowed_values(counsellor_a, socle):
    rows = sheet_rows(as_text=True)
    rows[2][8] = "presque"
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert not plan.ok and plan.error_count == 1  # one bad row: nothing is written
    issue = plan.errors[0]
    assert (issue.line, issue.column, issue.value) == (3, "s2.2", "presque")
    assert issue.message == (
        "niveau inconnu. Valeurs admises : « Non acquis », « En cours », « Acquis », « Autonome »."
    )
    assert_nothing_stored()


def test_unknown_competence_column_is_refused(counsellor_a, socle):
    rows = sheet_rows(as_text=True)
    rows[0][10] = "S9.9"
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert not plan.ok
    assert "Compétence(s) inconnue(s) : « S9.9 »" in plan.errors[0].message
    assert_nothing_stored()


def test_levels_need_a_known_person(counsellor_a, counsellor_b, socle):
    someone_else = LearnerFactory(structure=counsellor_b.counsellor.structure)
    rows = [
        ["Identifiant réseau", "Prénom", "Date", "Type de séance", "S2.2"],
        ["", "Lina", "02/12/2025", "Atelier", "acquis"],
        [someone_else.network_id, "", "02/12/2025", "Atelier", "acquis"],
        ["", "", "02/12/2025", "Atelier", "acquis"],
    ]
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert [(e.line, e.column) for e in plan.errors] == [
        (3, "Identifiant réseau"),
        (4, "Prénom"),
    ]
    assert "inconnu" in plan.errors[0].message and "non identifiée" in plan.errors[1].message
    assert not Observation.objects.exists() and not Session.objects.exists()
    assert list(Learner.objects.all()) == [someone_else]  # Lina was not created
    assert not Observation.objects.filter(learner=someone_else).exists()

    without_people = run_csv(
        counsellor_a, [["Date", "Type de séance", "S2.2"], ["02/12/2025", "Atelier", "acquis"]]
    )
    assert "Les niveaux de compétence demandent" in without_people.errors[0].message


def test_formula_cells_are_flagged_and_stored_as_text(counsellor_a, socle):
    rows = sheet_rows(as_text=True)
    rows[0].append("Orientation")
    rows[1][0] = '=HYPERLINK("http://exemple.invalid","Hélène")'
    rows[1].append("- CCAS de la ville")
    rows[2].append("-")  # a lone dash is an empty cell, not a formula
    rows[3].append("@SUM(1+1)")
    preview = run_csv(counsellor_a, rows)
    assert preview.ok, [str(e) for e in preview.errors]
    flagged = [(w.line, w.column, w.value[:3]) for w in preview.warnings]
    assert flagged == [(2, "prénom", "=HY"), (2, "Orientation", "- C"), (4, "Orientation", "@SU")]
    assert "formule" in preview.warnings[0].message
    assert preview.summary()["warnings"] == 3

    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert plan.ok
    # Data, never run: stored as typed (every export neutralises it again).
    assert Learner.objects.filter(first_name__startswith="=HYPERLINK").exists()


def test_a_huge_cell_is_an_error_quoted_short(counsellor_a, socle):
    rows = sheet_rows(as_text=True)
    rows[2][0] = "M" * 20_000  # within the reader's line limit, far beyond a name's
    plan = run_csv(counsellor_a, rows, dry_run=False)
    issue = plan.errors[0]
    assert (issue.line, issue.column) == (3, "prénom")
    assert issue.message.startswith("20000 caractères")
    assert len(issue.value) == 60 and issue.value.endswith("…")
    assert_nothing_stored()


def test_columns_are_named_in_french_never_by_their_key(counsellor_a, socle):
    """Errors about a column the file lacks name it as our exports do (never « kind »)."""
    rows = [["Prénom", "Date", "S2.2"], ["Zoé", "02/12/2025", "acquis"]]
    plan = run_csv(counsellor_a, rows)
    assert [(e.line, e.column) for e in plan.errors] == [(2, "Type de séance")]
    for issue in plan.errors:
        assert "kind" not in str(issue)
    # Any key without a French name is left out rather than shown.
    bare = ImportPlan("attendance", {}, 1, labels={"kind": "Type de séance"})
    assert bare.column_name("kind") == "Type de séance"
    assert bare.column_name("duration_minutes") == ""
    assert bare.column_name("Genre du bénéficiaire") == "Genre du bénéficiaire"


# --- Roles ---------------------------------------------------------------------------


def test_a_counsellor_cannot_write_levels_for_another_structure(counsellor_a, structure_b, socle):
    rows = [
        ["Structure", "Prénom", "Date", "Type de séance", "S2.2"],
        [structure_b.name, "Zoé", "02/12/2025", "Atelier", "acquis"],
    ]
    plan = run_csv(counsellor_a, rows, dry_run=False)
    assert plan.errors[0].message == "vous ne pouvez importer que pour votre structure."
    assert_nothing_stored()

    session_b = SessionFactory(structure=structure_b)
    person = LearnerFactory(structure=structure_b)
    with pytest.raises(PermissionDenied):
        observations_record_many(
            user=counsellor_a, levels=[(session_b, person.pk, socle[0].pk, level("socle", 2).pk)]
        )
    assert not Observation.objects.exists()


def test_a_coordinator_writes_levels_for_the_structure_named(coordinator, structure_b, socle):
    rows = [
        ["Structure", "Prénom", "Date", "Type de séance", "S2.2"],
        [structure_b.name, "Zoé", "02/12/2025", "Atelier", "acquis"],
    ]
    plan = run_csv(coordinator, rows, dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    observation = Observation.objects.get()
    assert observation.structure == structure_b and observation.author == coordinator


def test_a_partner_editor_cannot_import_levels(partner_editor, socle):
    with pytest.raises(PermissionDenied):
        run_csv(partner_editor, sheet_rows(as_text=True), dry_run=False)
    assert_nothing_stored()


# --- Queries -------------------------------------------------------------------------


def level_rows(count: int, prefix: str) -> list[list[str]]:
    words = ["non acquis", "en cours", "acquis", "autonome"]
    rows = [["Identifiant personne", "Prénom", "Nom", "Date", "Type de séance", "Intitulé",
             "S1.1", "S2.2", "S3.1"]]  # fmt: skip
    for n in range(count):
        day = DAY - datetime.timedelta(days=n % 10)
        rows.append(
            [f"{prefix}N{n}", f"P{prefix}{n}", f"Nom{n}", day.strftime("%d/%m/%Y"), "Atelier",
             f"Atelier {n % 10}", words[n % 4], words[(n + 1) % 4], ""]
        )  # fmt: skip
    return rows


def test_level_import_queries_do_not_grow_with_rows(counsellor_a, structure_a, socle):
    def queries(count: int, prefix: str) -> tuple[int, int]:
        LearnerFactory(structure=structure_a, external_id=f"{prefix}N1")
        with CaptureQueriesContext(connection) as captured:
            plan = run_csv(counsellor_a, level_rows(count, prefix), dry_run=False)
        assert plan.ok, [str(e) for e in plan.errors]
        assert plan.result["observations_created"] == 2 * count
        return query_profile(captured)

    queries(5, "w")  # warm the user's roles
    small, large = queries(50, "s"), queries(500, "l")
    # Each row writes a person, an attendance, two observations and two summaries: bulk
    # statements grow with the lines written (SQLite batches them by its parameter limit),
    # at most one per 20 of them; a query per row would be 450 more.
    assert_bulk(small, large, 450 * 2)
    assert large[0] <= 20
