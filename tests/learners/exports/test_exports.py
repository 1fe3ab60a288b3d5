"""Exports: scoped exactly like the lists for every role, typed cells, neutralised formulas,
audited, bounded queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learners.choices import AuditAction, SessionKind
from learners.imports import import_job_create
from learners.models import AuditLog, ImportStatus
from learners.selectors.exports import ExportFilters
from learners.services.exports import KINDS, export_build
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at
from tests.learners.imports.conftest import assert_refused, csv_bytes, csv_rows
from workshops.models import Theme

from .conftest import csv_table, xlsx_sheet, xlsx_table

pytestmark = pytest.mark.django_db


def markers(network, key: str) -> dict[str, set[str]]:
    """What identifies structure `key`'s rows in each export."""
    data = network[key]
    ids = {p.network_id for p in data["people"]}
    return {
        "people": ids,
        "sessions": {data["session"].title},
        "attendance": ids,
        "venues": {data["venue"].name},
        "observations": {data["people"][0].network_id},
        "activity": {data["session"].title},
        "coop_activity": {data["session"].title},
        "coop_people": {p.last_name for p in data["people"]},
    }


COLUMN = {
    "people": "Identifiant réseau",
    "sessions": "Intitulé",
    "attendance": "Identifiant réseau",
    "venues": "nom",  # the national standard's column
    "observations": "Identifiant réseau",
    "activity": "Titre de l'atelier",
    "coop_activity": "Nom de l’atelier",
    "coop_people": "Nom",
}


def values(content: bytes, kind: str) -> set[str]:
    return {row[COLUMN[kind]] for row in csv_table(content)}


@pytest.mark.parametrize("kind", KINDS)
def test_counsellor_exports_only_their_structure(kind, network, counsellor_a, counsellor_b):
    # The Coop's own-activity layout holds the sessions each counsellor led.
    network["a"]["session"].counsellors.add(counsellor_a.counsellor)
    network["b"]["session"].counsellors.add(counsellor_b.counsellor)
    mine = values(export_build(user=counsellor_a, kind=kind, format="csv").content, kind)
    assert mine == markers(network, "a")[kind]
    theirs = values(export_build(user=counsellor_b, kind=kind, format="csv").content, kind)
    assert theirs == markers(network, "b")[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_coordinator_exports_the_network(kind, network, coordinator):
    found = values(export_build(user=coordinator, kind=kind, format="csv").content, kind)
    assert found == markers(network, "a")[kind] | markers(network, "b")[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_partner_editor_and_anonymous_are_refused(kind, client, network, partner_editor):
    with pytest.raises(PermissionDenied):
        export_build(user=partner_editor, kind=kind, format="csv")
    url = reverse("learners_export", args=[kind]) + "?format=csv"
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(partner_editor)
    assert_refused(client.get(url))
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_filters_never_reach_another_structure(client, network, counsellor_b):
    client.force_login(counsellor_b)
    other_session = network["a"]["session"]
    other_person = network["a"]["people"][0]
    response = client.get(
        reverse("learners_export", args=["attendance"]),
        {"format": "csv", "seance": other_session.pk},
    )
    assert csv_table(response.content) == []
    response = client.get(
        reverse("learners_export", args=["observations"]),
        {"format": "csv", "personne": other_person.pk},
    )
    assert csv_table(response.content) == []
    response = client.get(
        reverse("learners_export", args=["people"]), {"format": "csv", "q": "Hélène"}
    )
    assert csv_table(response.content) == []


def test_export_view_serves_a_private_download_and_audits(client, network, counsellor_a):
    client.force_login(counsellor_a)
    response = client.get(
        reverse("learners_export", args=["people"]), {"format": "xlsx", "q": "helene"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="personnes-')
    assert "no-store" in response["Cache-Control"]
    rows = xlsx_table(response.content)
    assert [row["Prénom"] for row in rows] == ["Hélène"]  # the list's search applies
    entry = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert entry.user == counsellor_a
    assert entry.detail == "export people xlsx : 1 lignes, recherche"
    assert "elene" not in entry.detail.lower()  # never what was typed


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "ods"}, "Format d&#x27;export inconnu"),
        ({"format": "csv", "du": "32/13/2024"}, "Date non reconnue"),
        ({"format": "csv", "seance": "abc"}, "doit être un nombre"),
    ],
)
def test_bad_parameters_get_a_french_message(client, counsellor_a, params, message):
    client.force_login(counsellor_a)
    response = client.get(reverse("learners_export", args=["attendance"]), params, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_sessions_period_filters(client, network, counsellor_a):
    client.force_login(counsellor_a)
    url = reverse("learners_export", args=["sessions"])
    past = csv_table(client.get(url, {"format": "csv", "periode": "passees"}).content)
    upcoming = csv_table(client.get(url, {"format": "csv", "periode": "a_venir"}).content)
    day = csv_table(
        client.get(url, {"format": "csv", "du": "25/03/2024", "au": "2024-03-25"}).content
    )
    assert [r["Intitulé"] for r in past] == ["Atelier a"]
    assert upcoming == []
    assert [r["Date"] for r in day] == ["25/03/2024"]


def test_xlsx_numbers_are_numbers_and_dates_are_dates(network, counsellor_a):
    person = network["a"]["people"][0]
    person.information_given_at = datetime.date(2024, 3, 1)
    person.save()
    sheet = xlsx_sheet(export_build(user=counsellor_a, kind="people", format="xlsx").content)
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == person.network_id)
    year = row[header.index("Année de naissance")]
    informed = row[header.index("Informée le")]
    insee = row[header.index("Code INSEE")]
    assert year.data_type == "n" and year.value == person.birth_year
    assert informed.is_date and informed.value.date() == datetime.date(2024, 3, 1)
    assert informed.number_format == "DD/MM/YYYY"
    assert insee.data_type == "s" and insee.value == "85191"  # codes stay text

    sheet = xlsx_sheet(export_build(user=counsellor_a, kind="sessions", format="xlsx").content)
    header = [cell.value for cell in sheet[1]]
    row = list(sheet.iter_rows(min_row=2))[0]
    assert row[header.index("Date")].is_date
    assert row[header.index("Heure")].value == datetime.time(14, 0)
    assert row[header.index("Durée (minutes)")].value == 60
    assert row[header.index("Présents")].value == 2


def test_csv_is_for_french_spreadsheets(network, counsellor_a):
    content = export_build(user=counsellor_a, kind="sessions", format="csv").content
    row = csv_table(content)[0]
    assert row["Date"] == "25/03/2024"
    assert row["Heure"] == "14:00"
    assert row["Durée (minutes)"] == "60"
    assert row["Type de séance"] == "Atelier collectif"


FORMULAS = {
    "first_name": '=HYPERLINK("http://example.org";"clic")',
    "last_name": "+33 6 12",
    "notes": "@SUM(A1:A9)",
    "external_id": "-2+3",
}


def test_formula_looking_cells_are_neutralised(structure_a, counsellor_a):
    person = LearnerFactory(structure=structure_a, birth_year=1950, **FORMULAS)
    table = csv_table(export_build(user=counsellor_a, kind="people", format="csv").content)
    row = table[0]
    assert row["Prénom"] == "'" + FORMULAS["first_name"]
    assert row["Nom"] == "'+33 6 12"
    assert row["Remarques"] == "'@SUM(A1:A9)"
    assert row["Identifiant externe"] == "'-2+3"
    assert row["Année de naissance"] == "1950"  # numbers are not touched

    sheet = xlsx_sheet(export_build(user=counsellor_a, kind="people", format="xlsx").content)
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, list(sheet.iter_rows(min_row=2))[0], strict=True))
    for column, value in (
        ("Prénom", FORMULAS["first_name"]),
        ("Nom", "+33 6 12"),
        ("Remarques", "@SUM(A1:A9)"),
        ("Identifiant externe", "-2+3"),
    ):
        assert cells[column].value == value  # unchanged text…
        assert cells[column].data_type == "s"  # …stored as text, never as a formula
        assert cells[column].quotePrefix
    assert cells["Année de naissance"].data_type == "n"

    # Round trip: the CSV neutralisation is undone on import, nothing changes.
    content = export_build(user=counsellor_a, kind="people", format="csv").content
    job = import_job_create(
        user=counsellor_a, kind="people", filename="p.csv", content=csv_bytes(csv_rows(content))
    )
    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["entities"]["person"]["unchanged"] == 1
    person.refresh_from_db()
    assert person.first_name == FORMULAS["first_name"]


def test_export_queries_do_not_grow_with_rows(network, structure_a, counsellor_a):
    def count(kind):
        with CaptureQueriesContext(connection) as captured:
            export_build(user=counsellor_a, kind=kind, format="xlsx")
        return len(captured)

    count("people")  # the user's roles are read once, then cached on the user
    before = {kind: count(kind) for kind in KINDS}
    for _n in range(30):
        LearnerFactory(structure=structure_a)
    venue = network["a"]["venue"]
    for day in range(1, 6):
        session = SessionFactory(
            structure=structure_a,
            venue=venue,
            kind=SessionKind.WORKSHOP if day % 2 else SessionKind.DROP_IN,
            start=at(datetime.date(2024, 5, day), 10),
        )
        session.themes.set(Theme.objects.all()[:3])
        for _person in range(3):
            AttendanceFactory(session=session)
    after = {kind: count(kind) for kind in KINDS}
    assert after == before
    assert max(after.values()) <= 12


def test_national_activity_record(network, counsellor_a, structure_a, socle):
    from learners.age_bands import AgeBand
    from learners.choices import AttendanceStatus, Equipment, Gender, PlaceType, SessionKind
    from learners.models import AnonymousParticipants
    from tests.factories.learners import AttendanceFactory, SessionFactory, at
    from workshops.models import Theme

    session = network["a"]["session"]
    hel, jean = network["a"]["people"]
    hel.birth_year, hel.gender = 1950, Gender.FEMALE
    hel.save()
    jean.birth_year, jean.gender = 2000, Gender.MALE
    jean.save()
    AnonymousParticipants.objects.create(
        session=session, age_band=AgeBand.FROM_70, gender=Gender.UNKNOWN, count=2
    )
    papers = Theme.objects.get(slug="demarches-papiers")
    session.themes.set([Theme.objects.get(name="E-mail"), papers])
    permanence = SessionFactory(
        structure=structure_a,
        kind=SessionKind.DROP_IN,
        place_type=PlaceType.REMOTE,
        venue=None,
        start=at(datetime.date(2024, 4, 2), 10),
        duration_minutes=30,
    )
    AttendanceFactory(
        session=permanence,
        learner=hel,
        equipment=Equipment.PHONE,
        autonomy="autonome",
        referred_to="CAF",
    )
    AttendanceFactory(session=permanence, learner=jean, status=AttendanceStatus.ABSENT)

    rows = xlsx_table(export_build(user=counsellor_a, kind="activity", format="xlsx").content)
    collective, individual = rows
    assert collective["Type d'accompagnement"] == "Collectif"
    assert collective["Nombre de participants"] == 4  # 2 present + 2 anonymous
    assert collective["Âge : 70 ans et plus"] == 3  # Hélène (74 in 2024) + 2 anonymous
    assert collective["Âge : 18-24 ans"] == 1
    assert collective["Genre : Féminin"] == 1 and collective["Genre : Non communiqué"] == 2
    assert collective["Thématiques"] == "E-mail; Aide aux démarches administratives"
    assert collective["Sous-thématiques administratives"] == "Papiers - Élections - Citoyenneté"
    assert collective["Code INSEE du lieu"] == "85191"
    assert collective["Date"].date() == datetime.date(2024, 3, 25)
    assert individual["Type d'accompagnement"] == "Individuel"
    assert individual["Nombre de participants"] == 1  # Jean was absent
    assert individual["Type de lieu"] == "À distance" and individual["Lieu"] is None
    assert (individual["Matériel"], individual["Autonomie"]) == ("Téléphone", "Autonome")
    assert individual["Orientation vers une structure"] == "CAF"
    assert individual["Durée (minutes)"] == 30
    assert individual["Âge : 70 ans et plus"] == 1 and individual["Genre : Féminin"] == 1
    assert sum(v for k, v in individual.items() if k.startswith("Âge")) == 1

    filtered = export_build(
        user=counsellor_a,
        kind="activity",
        format="csv",
        filters=ExportFilters(start_from=datetime.date(2024, 4, 1)),
    )
    assert [r["Type d'accompagnement"] for r in csv_table(filtered.content)] == ["Individuel"]


def test_a_large_export_is_read_in_one_pass(network, structure_a, counsellor_a):
    """More rows than django-import-export's page of 100: still the same queries (its
    OFFSET pagination of prefetching querysets was quadratic on large exports)."""
    from learners.models import Attendance

    def count():
        with CaptureQueriesContext(connection) as captured:
            export = export_build(user=counsellor_a, kind="attendance", format="csv")
        return len(captured), export.rows

    count()
    queries, rows = count()
    session = network["a"]["session"]
    session.themes.set(Theme.objects.all()[:2])
    people = LearnerFactory.create_batch(230, structure=structure_a)
    Attendance.objects.bulk_create(Attendance(session=session, learner=p) for p in people)
    assert count() == (queries, rows + 230)
