"""The 'Statistiques' admin page: access per role, filters in the query string, French
errors, suppression in the page and in exports, bounded queries."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learners.models import StatisticsSnapshot
from learners.selectors.statistics import StatisticsFilters, StatisticsScope
from learners.statistics.snapshots import snapshot_key
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db

URL = "/admin/statistiques/"
YEAR_2024 = {"du": "2024-01-01", "au": "2024-12-31"}


def cells(html: str, table_key: str) -> list[list[str]]:
    """The rows (header cell then data cells) of a published table in the page."""
    section = html.split(f'id="pap-stats-{table_key}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S):
        rows.append(
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
        )
    return rows


def test_url_name():
    assert reverse("learners_statistics") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def assert_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a
    message ("you do not have permission"): never the figures."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    assert b"Landeronde" not in response.content
    assert not response.get("Content-Disposition")


def test_partner_editor_is_refused(client, partner_editor, world):
    client.force_login(partner_editor)
    assert_refused(client.get(URL, YEAR_2024))
    assert_refused(client.get(URL, {**YEAR_2024, "export": "csv"}))
    assert_refused(client.get(URL, {**YEAR_2024, "export": "xlsx"}))


def test_menu_item_only_for_tracking_roles(client, coordinator, partner_editor):
    client.force_login(coordinator)
    assert "learners-statistics" in unescape(client.get("/admin/").content.decode())
    client.force_login(partner_editor)
    assert "learners-statistics" not in unescape(client.get("/admin/").content.decode())


def test_coordinator_sees_the_network(client, coordinator, world, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1  # no suppression: check the figures
    client.force_login(coordinator)
    response = client.get(URL, YEAR_2024)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "l'ensemble du réseau" in html
    headline = dict(row for row in cells(html, "kinds") if len(row) == 2) or None
    assert headline is None  # the kinds table has 7 columns
    kinds = {row[0]: row[1:] for row in cells(html, "kinds")}
    assert kinds["Atelier collectif"] == ["3", "5,5", "4", "5", "3", "8"]
    assert kinds["Ensemble"][2] == "4"  # p1, seen by two counsellors, counts once
    # Every chart has its table: a caption and scoped headers.
    assert html.count("<caption") >= 10
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') >= 8


def test_counsellor_sees_only_own_sessions(client, counsellor_a, world, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    client.force_login(counsellor_a)
    html = unescape(client.get(URL, YEAR_2024).content.decode())
    assert "vos propres séances" in html
    kinds = {row[0]: row[1:] for row in cells(html, "kinds")}
    assert kinds["Ensemble"][2] == "3"  # s1 and s6: p1, p2, p5
    assert 'name="structure"' not in html and 'name="conseiller"' not in html
    # A forged structure filter does not widen the scope: it is not even a field.
    html = unescape(
        client.get(URL, {**YEAR_2024, "structure": world.structure_b.pk}).content.decode()
    )
    assert {row[0]: row[1:] for row in cells(html, "kinds")}["Ensemble"][2] == "3"


def test_structure_manager_sees_the_structure(client, world, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    client.force_login(world.manager.user)
    html = unescape(client.get(URL, YEAR_2024).content.decode())
    assert "votre structure" in html
    kinds = {row[0]: row[1:] for row in cells(html, "kinds")}
    assert kinds["Ensemble"][2:4] == ["3", "5"]
    # Counsellors of another structure are not offered, nor accepted.
    response = client.get(URL, {**YEAR_2024, "conseiller": world.cb.pk})
    assert response.status_code == 400
    assert "n'est pas dans votre périmètre" in unescape(response.content.decode())


def test_filters_in_the_query_string(client, coordinator, world, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    client.force_login(coordinator)
    html = unescape(client.get(URL, {**YEAR_2024, "commune": "Landeronde"}).content.decode())
    assert "Commune de résidence : <strong>Landeronde (T8501)</strong>" in html
    assert {row[0]: row[1:] for row in cells(html, "kinds")}["Ensemble"][2] == "2"
    html = unescape(client.get(URL, {**YEAR_2024, "type": "atelier"}).content.decode())
    assert {row[0]: row[1:] for row in cells(html, "kinds")}["Ensemble"][0] == "3"
    html = client.get(URL, {"du": "01/01/2024", "au": "31/12/2024", "lieu": world.va.pk}).content
    assert {row[0]: row[1:] for row in cells(unescape(html.decode()), "kinds")}["Ensemble"][
        0
    ] == "2"
    # The export links keep the filters.
    assert "type=atelier" in unescape(
        client.get(URL, {**YEAR_2024, "type": "atelier"}).content.decode()
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2024-13-45"}, "Date de début invalide"),
        ({"du": "2024-12-31", "au": "2024-01-01"}, "La date de fin doit être après"),
        ({"du": "2000-01-01", "au": "2024-01-01"}, "ne peut pas dépasser 10 ans"),
        ({"type": "cours"}, "Ce type de séance n'existe pas"),
        ({"structure": "999999"}, "n'existe pas ou n'est pas dans votre périmètre"),
        ({"structure": "abc"}, "n'existe pas ou n'est pas dans votre périmètre"),
        ({"commune": "Zzzyx"}, "Aucune commune ne correspond"),
        ({"export": "pdf"}, "Format d'export inconnu"),
    ],
)
def test_invalid_filters_get_a_french_message(client, coordinator, params, message):
    client.force_login(coordinator)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_small_cells_never_leak_in_page_or_exports(client, coordinator, world):
    """Default threshold 5: the world has 4 people, so every count of people is hidden,
    in the page, the CSV and the XLSX, and so are the complements."""
    client.force_login(coordinator)
    html = unescape(client.get(URL, YEAR_2024).content.decode())
    kinds = {row[0]: row[1:] for row in cells(html, "kinds")}
    assert kinds["Permanence"][2:] == ["< 5", "< 5", "0", "< 5"]
    assert kinds["Ensemble"][2] == "< 5"
    assert "pap-stats__hidden" in html
    residence = cells(html, "residence")
    landeronde = next(r for r in residence if r[0] == "Landeronde")
    assert "1" not in landeronde[1:9] and "2" not in landeronde[1:9]

    response = client.get(URL, {**YEAR_2024, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    kinds_csv = {r[0]: r[1:] for r in rows if r and r[0] in ("Permanence", "Ensemble")}
    assert kinds_csv["Permanence"][2:] == ["< 5", "< 5", "0", "< 5"]
    people_row = next(r for r in rows if r and r[0] == "Personnes accompagnées (distinctes)")
    assert people_row[1] == "< 5"

    response = client.get(URL, {**YEAR_2024, "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Séances, heures et participatio"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Permanence"][:2] == (1, 1)  # sessions and hours are numbers
    assert values["Permanence"][2] == "< 5"
    assert values["Atelier collectif"][5] == 8  # participations: a number


def test_exports_neutralise_formulas(client, coordinator, world, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    world.email.name = '=HYPERLINK("http://example.org")'
    world.email.save()
    client.force_login(coordinator)
    text = client.get(URL, {**YEAR_2024, "export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
    workbook = load_workbook(io.BytesIO(client.get(URL, {**YEAR_2024, "export": "xlsx"}).content))
    sheet = workbook["Participation par thématique"]
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("="))
    assert cell.data_type == "s"  # text, never a formula


def _add_sessions(count, structure, venue, start_index=0):
    import datetime

    for i in range(start_index, start_index + count):
        session = SessionFactory(
            structure=structure, venue=venue, start=at(datetime.date(2024, 1 + i % 12, 1 + i % 28))
        )
        AttendanceFactory(session=session, learner=LearnerFactory(structure=structure))


def test_query_count_does_not_grow_with_data(client, coordinator, structure_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    venue = VenueFactory(structure=structure_a)
    _add_sessions(3, structure_a, venue)
    client.force_login(coordinator)
    client.get(URL, YEAR_2024)  # warm caches (content types, user roles)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, YEAR_2024).status_code == 200
    _add_sessions(27, structure_a, venue, start_index=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, YEAR_2024).status_code == 200
    assert len(large) == len(small)
    # About 30 on SQLite; on PostgreSQL also savepoints, SET LOCAL, EXPLAIN and the bounded count.
    assert len(small) <= 50, [q["sql"][:80] for q in small.captured_queries]


def test_pending_selection_shows_a_waiting_page(client, coordinator, world, settings):
    """A selection too large to compute live is handed to a worker; while its job is
    pending the page says so instead of timing out."""
    from django.utils import timezone

    settings.STATS_LIVE_MAX_ROWS = 0  # everything goes to workers
    filters = StatisticsFilters.year(2024)
    StatisticsSnapshot.objects.create(
        key=snapshot_key(StatisticsScope(level="network"), filters),
        scope_level="network",
        period_start=filters.start,
        period_end=filters.end,
        requested_at=timezone.now(),
    )
    client.force_login(coordinator)
    html = unescape(client.get(URL, YEAR_2024).content.decode())
    assert "Statistiques en cours de calcul" in html
    assert "pap-stats-kinds" not in html


def test_heavy_selection_computed_by_the_job(
    client, coordinator, world, settings, django_capture_on_commit_callbacks
):
    """The job starts once the request's transaction commits (here: when the callbacks
    run); the next visit shows its stored result, and asking again does not start a
    second job while one is pending."""
    settings.STATS_LIVE_MAX_ROWS = 0
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as pending_jobs:
        client.get(URL, YEAR_2024)
        client.get(URL, YEAR_2024)
    assert len(pending_jobs) == 1
    with django_capture_on_commit_callbacks(execute=True):
        html = unescape(client.get(URL, {**YEAR_2024, "type": "atelier"}).content.decode())
    assert "Statistiques en cours de calcul" in html
    html = unescape(client.get(URL, {**YEAR_2024, "type": "atelier"}).content.decode())
    assert "Chiffres pré-calculés le" in html
    assert {row[0]: row[1:] for row in cells(html, "kinds")}["Ensemble"][0] == "3"
    assert StatisticsSnapshot.objects.filter(status="ready").count() == 1
