"""The activity export in La Coop de la médiation numérique's worksheet layout: compared
column by column with the fixture read from the Coop's source, real rows in the Coop's
vocabularies, scoped like the other exports, formula-looking text kept as text."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from learners.age_bands import AgeBand
from learners.choices import (
    AttendanceStatus,
    AuditAction,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
    SocialStatus,
)
from learners.models import AnonymousParticipants, AuditLog
from learners.national import coop_activities, coop_source
from learners.services.exports import ExportTooLarge, export_build
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at
from tests.learners.imports.conftest import assert_refused
from workshops.choices import WorkshopLevel
from workshops.models import Theme

from .conftest import activity_table, fixture, workbook

pytestmark = pytest.mark.django_db
SPEC = fixture("coop_activites_columns.json")


def vocabulary(name: str) -> set[str]:
    return set(SPEC["vocabularies"][name].values())


def test_the_fixture_is_read_from_the_commit_the_code_names():
    assert SPEC["source"]["commit"] == coop_source.COOP_COMMIT
    assert SPEC["source"]["path"] == coop_source.ACTIVITIES_SOURCE


@pytest.mark.parametrize(
    ("self_export", "key"), [(True, "columns_self_export"), (False, "columns_other_export")]
)
def test_columns_are_the_coops_in_its_order(self_export, key):
    ours = coop_activities.columns(self_export=self_export)
    assert len(ours) == len(SPEC[key])
    for index, (mine, theirs) in enumerate(zip(ours, SPEC[key], strict=True)):
        assert mine == theirs, f"column {index + 1}"


def test_theme_labels_are_the_coops_current_ones(db):
    national = set(Theme.objects.filter(is_national=True).values_list("name", flat=True))
    assert national == vocabulary("thematiques_non_administratives") | vocabulary(
        "thematiques_administratives"
    )


@pytest.fixture
def activity(network, structure_a, counsellor_a, counsellor_b):
    """Structure a's atelier (2 present, 2 anonymous) and a remote individual session, both
    led by counsellor a; structure b's session led by counsellor b."""
    session = network["a"]["session"]
    session.counsellors.add(counsellor_a.counsellor)
    network["b"]["session"].counsellors.add(counsellor_b.counsellor)
    session.level = WorkshopLevel.INTERMEDIATE
    session.save()
    hel, jean = network["a"]["people"]
    hel.birth_year, hel.gender, hel.social_status = 1950, Gender.FEMALE, SocialStatus.RETIRED
    hel.last_name = "Durand"
    hel.save()
    AnonymousParticipants.objects.create(
        session=session, age_band=AgeBand.FROM_70, gender=Gender.UNKNOWN, count=2
    )
    session.themes.set(
        [Theme.objects.get(slug="e-mail"), Theme.objects.get(slug="demarches-papiers")]
    )
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
        autonomy=Autonomy.AUTONOMOUS,
        referred_to="CAF",
        status=AttendanceStatus.PRESENT,
    )
    AttendanceFactory(session=permanence, learner=jean, status=AttendanceStatus.ABSENT)
    permanence.counsellors.add(counsellor_a.counsellor)
    return session, permanence


def test_a_counsellors_own_activity_holds_only_the_sessions_they_led(
    activity, structure_a, counsellor_a, coordinator
):
    """That layout has no counsellor column: La Coop would file a colleague's session under
    whoever imports the file. A coordinator's network layout still holds every session."""
    colleague = SessionFactory(structure=structure_a, start=at(datetime.date(2024, 4, 3), 10))
    AttendanceFactory(
        session=colleague,
        learner=LearnerFactory(structure=structure_a, first_name="Colette"),
        status=AttendanceStatus.PRESENT,
    )
    csv = export_build(user=counsellor_a, kind="coop_activity", format="csv")
    assert csv.rows == 5
    assert b"Colette" not in csv.content
    assert export_build(user=coordinator, kind="coop_activity", format="csv").rows > 6


def test_the_size_limit_counts_the_worksheets_lines(activity, counsellor_a):
    """Two sessions but five lines (three people present, two anonymous participants)."""
    with override_settings(EXPORT_MAX_ROWS=4), pytest.raises(ExportTooLarge) as caught:
        export_build(user=counsellor_a, kind="coop_activity", format="csv")
    assert "Cet export compterait 5 lignes" in caught.value.messages[0]
    with override_settings(EXPORT_MAX_ROWS=5):
        assert export_build(user=counsellor_a, kind="coop_activity", format="csv").rows == 5


def test_the_worksheet_layout_and_rows(activity, counsellor_a):
    atelier, permanence = activity
    content = export_build(user=counsellor_a, kind="coop_activity", format="xlsx").content
    book = workbook(content)
    assert book.sheetnames == [SPEC["sheet_title"]]
    sheet = book[SPEC["sheet_title"]]
    assert sheet["A1"].value == SPEC["metadata_title"] and sheet["A1"].font.bold
    assert [sheet.cell(row=r, column=1).value for r in range(2, 8)] == SPEC["metadata_labels"]
    assert sheet["B5"].value == 5  # Total: the table's lines
    assert sheet["A9"].value == SPEC["filters_title"]
    assert [sheet.cell(row=r, column=1).value for r in range(10, 20)] == SPEC["filter_labels"]
    assert list(sheet.tables) == [SPEC["table_name"]]
    header, rows = activity_table(content)
    assert header == SPEC["columns_self_export"]
    assert len(rows) == 5  # 4 participants of the atelier, 1 of the permanence
    first, *others, individual = rows
    assert [r["Participants"] for r in rows[:4]] == ["1/4", "2/4", "3/4", "4/4"]
    assert (
        first["Type"] == "Atelier collectif" and individual["Type"] == "Accompagnement individuel"
    )
    assert first["Date"].date() == datetime.date(2024, 3, 25)
    assert sheet.tables["Activités"].ref.startswith("A22:")  # after a blank separator line
    assert first["Nom du lieu"] == "Médiathèque a" and first["Code Insee"] == "85191"
    assert first["Commune"] == "La Roche-sur-Yon"
    assert first["Thématique(s) d’accompagnement"] == (
        "E-mail\nAide aux démarches administratives\nPapiers - Élections - Citoyenneté"
    )
    assert first["Niveau d’autonomie (ou de l’atelier)"] == "2/3"
    assert first["Nom de l’atelier"] == "Atelier a"
    names = {r["Bénéficiaire"] for r in rows[:4]}
    assert names == {"Hélène Durand", network_name(atelier, 1), "Bénéficiaire anonyme"}
    anonymous = rows[3]
    assert anonymous["Tranche d’âge du bénéficiaire"] == "70 ans et plus"
    assert anonymous["Statut du bénéficiaire"] == "Non communiqué ou hétérogène"
    assert individual["Participants"] == 1 and individual["Bénéficiaire"] == "Hélène Durand"
    assert individual["Canaux d’accompagnement"] == "À distance"
    assert individual["Matériel numérique utilisé"] == "Téléphone"
    assert individual["Niveau d’autonomie (ou de l’atelier)"] == "3/3"
    assert individual["Bénéficiaire réorienté"] == "Oui"
    assert individual["Structure de redirection"] == "Autre"
    assert individual["Durée (min)"] == 30
    assert individual["Genre du bénéficiaire"] == "Féminin"
    assert individual["Tranche d’âge du bénéficiaire"] == "70 ans et plus"
    assert individual["Statut du bénéficiaire"] == "Retraité"
    assert individual["ID CRA"] == str(permanence.pk)
    for row in rows:
        assert row["Type"] in vocabulary("type_activite")
        assert row["Canaux d’accompagnement"] in vocabulary("type_lieu")
        assert row["Genre du bénéficiaire"] in vocabulary("genre")
        assert row["Tranche d’âge du bénéficiaire"] in vocabulary("tranche_age")
        assert row["Statut du bénéficiaire"] in vocabulary("statut_social")
        for theme in (row["Thématique(s) d’accompagnement"] or "").split("\n"):
            assert not theme or theme in vocabulary("thematiques_non_administratives") | vocabulary(
                "thematiques_administratives"
            )
        for equipment in (row["Matériel numérique utilisé"] or "").split("\n"):
            assert not equipment or equipment in vocabulary("materiel")
        assert row["Bénéficiaire réorienté"] in {None, "Oui", "Non"}
        assert row["Structure de redirection"] in vocabulary("structures_redirection") | {None}


def network_name(session, index: int) -> str:
    person = session.attendances.order_by("created_at", "id")[index].learner
    return f"{person.first_name} {person.last_name}".strip()


def test_counsellors_see_their_structure_only(activity, network, counsellor_a, counsellor_b):
    _header, mine = activity_table(
        export_build(user=counsellor_a, kind="coop_activity", format="xlsx").content
    )
    _header, theirs = activity_table(
        export_build(user=counsellor_b, kind="coop_activity", format="xlsx").content
    )
    assert {r["Nom du lieu"] for r in mine} == {"Médiathèque a", None}
    assert {r["Nom du lieu"] for r in theirs} == {"Médiathèque b"}
    assert not {r["Bénéficiaire"] for r in theirs} & {r["Bénéficiaire"] for r in mine} - {
        "Bénéficiaire anonyme"
    }


def test_coordinator_gets_the_network_layout_without_names(activity, network, coordinator):
    content = export_build(user=coordinator, kind="coop_activity", format="xlsx").content
    header, rows = activity_table(content)
    assert header == SPEC["columns_other_export"]
    assert {r["Nom du lieu"] for r in rows} == {"Médiathèque a", "Médiathèque b", None}
    flat = repr([list(r.values()) for r in rows])
    for key in ("a", "b"):
        for person in network[key]["people"]:
            assert person.first_name not in flat


def test_refused_roles(client, activity, partner_editor):
    with pytest.raises(PermissionDenied):
        export_build(user=partner_editor, kind="coop_activity", format="xlsx")
    url = reverse("learners_export", args=["coop_activity"]) + "?format=xlsx"
    assert "/admin/login/" in client.get(url)["Location"]
    client.force_login(partner_editor)
    assert_refused(client.get(url))
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_formula_looking_text_stays_text_and_the_export_is_audited(activity, counsellor_a):
    atelier, _permanence = activity
    atelier.title = '=HYPERLINK("http://example.invalid","clic")'
    atelier.save()
    content = export_build(user=counsellor_a, kind="coop_activity", format="xlsx").content
    sheet = workbook(content)["Activités"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == atelier.title]
    assert cells and all(c.data_type == "s" for c in cells)
    assert AuditLog.objects.filter(
        action=AuditAction.EXPORT, detail__startswith="export coop_activity xlsx : 5 lignes"
    ).exists()
    csv = export_build(user=counsellor_a, kind="coop_activity", format="csv").content
    assert b"'=HYPERLINK" in csv


def test_queries_do_not_grow_with_sessions(
    activity, structure_a, counsellor_a, django_assert_max_num_queries
):
    export_build(user=counsellor_a, kind="coop_activity", format="xlsx")
    for n in range(5):
        session = SessionFactory(structure=structure_a, start=at(datetime.date(2024, 5, 1 + n), 10))
        AttendanceFactory(
            session=session,
            learner=LearnerFactory(structure=structure_a),
            status=AttendanceStatus.PRESENT,
        )
        session.counsellors.add(counsellor_a.counsellor)
    with django_assert_max_num_queries(14):
        export_build(user=counsellor_a, kind="coop_activity", format="xlsx")


def test_old_theme_labels_name_existing_themes(db):
    from workshops.theme_labels import CURRENT_LABELS, OLD_LABELS

    slugs = set(Theme.objects.values_list("slug", flat=True))
    assert set(OLD_LABELS.values()) <= slugs
    assert set(CURRENT_LABELS) <= slugs
    for old in OLD_LABELS:
        assert old not in CURRENT_LABELS.values() or OLD_LABELS[old] == next(
            s for s, label in CURRENT_LABELS.items() if label == old
        )
