"""/api/v1/statistiques: the dashboard's figures, its small-cell suppression, scopes."""

import datetime

import pytest
from django.utils import timezone

from api.scopes import Scope
from learners.selectors.statistics import (
    SCOPE_NETWORK,
    SCOPE_STRUCTURE,
    StatisticsFilters,
    StatisticsScope,
)
from learners.statistics import snapshots
from learners.statistics.dashboard import statistics_dashboard_for_scope
from learners.statistics.suppression import linearly_determined, recover_by_subtraction
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    at,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistiques"


def _year_day(month: int) -> datetime.date:
    return datetime.date(timezone.localdate().year, month, 10)


@pytest.fixture
def network():
    """Structure « big » (Vendée, 85): 12 people at 4 sessions; structure « small »
    (Loire-Atlantique, 44): 3 people at one session, a small cell."""
    big = StructureFactory(name="Grande structure")
    big_venue = VenueFactory(structure=big, commune=CommuneFactory(department_code="85"))
    people = [LearnerFactory(structure=big) for _ in range(12)]
    for month in range(1, 5):
        session = SessionFactory(structure=big, venue=big_venue, start=at(_year_day(month)))
        for person in people[month - 1 :: 2]:
            AttendanceFactory(session=session, learner=person)
    small = StructureFactory(name="Petite structure")
    small_venue = VenueFactory(structure=small, commune=CommuneFactory(department_code="44"))
    session = SessionFactory(structure=small, venue=small_venue, start=at(_year_day(3)))
    for _ in range(3):
        AttendanceFactory(session=session, learner=LearnerFactory(structure=small))
    return {"big": big, "small": small}


def _get(client, headers, status=200, **params):
    response = client.get(URL, params, **headers)
    assert response.status_code == status, response.content
    return response.json()


def _table(document, key):
    tables = document["data"]["attributes"]["tableaux"]
    return next(t for t in tables if t["cle"] == key)


def _headline(document, row):
    line = next(r for r in _table(document, "headline")["lignes"] if r["cle"] == row)
    return line["valeurs"]["value"], line["masquees"]


def _this_year() -> StatisticsFilters:
    return StatisticsFilters.year(timezone.localdate().year)


def test_the_figures_are_the_dashboards_with_the_same_cells_hidden(client, make_key, network):
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    document = _get(client, headers)
    dashboard = statistics_dashboard_for_scope(
        scope=StatisticsScope(level=SCOPE_NETWORK), filters=_this_year()
    )
    tables = document["data"]["attributes"]["tableaux"]
    assert [t["cle"] for t in tables] == [t.key for t in dashboard.report.tables]
    for published, table in zip(tables, dashboard.report.tables, strict=True):
        for line, row in zip(published["lignes"], table.rows, strict=True):
            for column, cell in zip(table.columns, row.cells, strict=True):
                expected = None if cell.suppressed else cell.value
                assert line["valeurs"][column.key] == expected, (table.key, row.key)
                assert (column.key in line["masquees"]) == cell.suppressed
    attributes = document["data"]["attributes"]
    assert attributes["perimetre"] == "reseau"
    assert attributes["seuil_secret"] == 5
    assert _headline(document, "people") == (15, [])
    assert _headline(document, "sessions") == (5, [])


def test_a_small_cell_never_leaves_nor_can_be_recovered(client, make_key, network):
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    document = _get(client, headers, **{"filter[structure]": network["small"].pk})
    people, hidden = _headline(document, "people")
    assert people is None and hidden == ["value"]
    presences, hidden = _headline(document, "presences")
    assert presences is None and hidden == ["value"]
    # The count (3 people, 3 presences) appears nowhere: the session is 1, its hours 1.
    values = [
        value
        for table in document["data"]["attributes"]["tableaux"]
        for line in table["lignes"]
        for value in line["valeurs"].values()
    ]
    assert 3 not in values
    assert document["data"]["attributes"]["valeurs_masquees"] > 0
    # The hidden cells are those of the dashboard, which no subtraction or linear
    # combination of the shown figures recovers.
    dashboard = statistics_dashboard_for_scope(
        scope=StatisticsScope(level=SCOPE_NETWORK),
        filters=StatisticsFilters(
            start=_this_year().start, end=_this_year().end, structure_id=network["small"].pk
        ),
    )
    values, constraints, hidden_keys = dashboard.report.suppression_inputs
    assert ("people",) in hidden_keys
    assert recover_by_subtraction(values, constraints, hidden_keys) == {}
    assert linearly_determined(values, constraints, hidden_keys) == set()


def test_the_departement_filter_keeps_its_sessions(client, make_key, network):
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    vendee = _get(client, headers, **{"filter[departement]": "85"})
    assert _headline(vendee, "sessions") == (4, [])
    assert _headline(vendee, "people") == (12, [])
    assert vendee["data"]["attributes"]["departement"] == "85"
    loire = _get(client, headers, **{"filter[departement]": "44"})
    assert _headline(loire, "sessions") == (1, [])
    assert _headline(loire, "people") == (None, ["value"])


def test_a_session_without_venue_counts_in_its_structures_departement(client, make_key):
    structure = StructureFactory(commune=CommuneFactory(department_code="29"))
    SessionFactory(structure=structure, venue=None, place_type="distance", start=at(_year_day(2)))
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    assert _headline(_get(client, headers, **{"filter[departement]": "29"}), "sessions") == (
        1,
        [],
    )
    assert _headline(_get(client, headers, **{"filter[departement]": "85"}), "sessions") == (
        0,
        [],
    )


def test_a_structure_bound_key_reads_its_structure_only(client, make_key, network):
    _client, headers = make_key(scopes=[Scope.STATISTICS], structure=network["big"])
    document = _get(client, headers)
    assert document["data"]["attributes"]["perimetre"] == "structure"
    assert document["data"]["attributes"]["structure_id"] == str(network["big"].pk)
    assert _headline(document, "sessions") == (4, [])
    dashboard = statistics_dashboard_for_scope(
        scope=StatisticsScope(level=SCOPE_STRUCTURE, structure_id=network["big"].pk),
        filters=_this_year(),
    )
    assert _headline(document, "people")[0] == dashboard.report.headline["people"].value
    refused = _get(client, headers, status=403, **{"filter[structure]": network["small"].pk})
    assert refused["errors"][0]["source"]["parameter"] == "filter[structure]"
    # Its own structure named explicitly is fine.
    _get(client, headers, **{"filter[structure]": network["big"].pk})


def test_keys_without_the_scope_are_refused(client, make_key, network):
    _client, activities_only = make_key(scopes=[Scope.ACTIVITIES])
    assert client.get(URL, **activities_only).status_code == 403
    assert client.get(URL).status_code == 401


def test_a_period_is_chosen_and_checked(client, make_key, network):
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    year = timezone.localdate().year
    march = _get(
        client,
        headers,
        **{"filter[periode][debut]": f"{year}-03-01", "filter[periode][fin]": f"{year}-03-31"},
    )
    assert march["data"]["attributes"]["periode"] == {
        "debut": f"{year}-03-01",
        "fin": f"{year}-03-31",
    }
    assert _headline(march, "sessions") == (2, [])
    backwards = _get(
        client,
        headers,
        status=400,
        **{"filter[periode][debut]": f"{year}-03-31", "filter[periode][fin]": f"{year}-03-01"},
    )
    assert backwards["errors"][0]["source"]["parameter"] == "filter[periode][fin]"
    ancient = _get(client, headers, status=400, **{"filter[periode][debut]": "0001-01-01"})
    assert ancient["errors"][0]["source"]["parameter"] == "filter[periode][debut]"
    unknown = _get(client, headers, status=400, **{"filter[commune]": "85191"})
    assert unknown["errors"][0]["source"]["parameter"] == "filter[commune]"


def test_a_large_selection_is_computed_by_a_worker_then_read_from_its_snapshot(
    client, make_key, network, settings
):
    """Beyond the live limit the dashboard's path is taken: 202 while a worker computes the
    figures (its job starts after the commit), then the stored snapshot."""
    settings.STATS_LIVE_MAX_ROWS = 0
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    response = client.get(URL, **headers)
    assert response.status_code == 202
    assert response["Retry-After"] == "60"
    assert response.json()["meta"]["statut"] == "en_cours"
    snapshots.snapshot_compute(scope=StatisticsScope(level=SCOPE_NETWORK), filters=_this_year())
    document = _get(client, headers)
    assert document["data"]["attributes"]["instantane"] is True
    assert _headline(document, "people") == (15, [])
