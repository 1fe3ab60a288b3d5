"""Hours of support: one figure, rounded half up to one decimal (never truncated), the
same in the headline, the table, the CSV, the XLSX (a number showing its decimal) and
the API (tests/api/test_statistics_hours.py)."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from learners.choices import SessionKind
from learners.selectors.statistics import StatisticsFilters, statistics_compute
from learners.statistics.report import _hours, report_build
from tests.factories.learners import AttendanceFactory, SessionFactory, VenueFactory, at

pytestmark = pytest.mark.django_db

URL = "/admin/statistiques/"
YEAR_2024 = {"du": "2024-01-01", "au": "2024-12-31"}
HEADLINE_HOURS = "Heures d'accompagnement"


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [
        (150, 2.5),  # 3 sessions of 50 min
        (119, 2.0),  # 1 h 59 min: 2,0 h, not 1,9 (truncated)
        (135, 2.3),  # 2,25 h: half up, not half to even (2,2)
        (3, 0.1),  # 0,05 h: half up
        (2, 0.0),
        (0, 0.0),
        (61, 1.0),
    ],
)
def test_hours_are_rounded_half_up_to_one_decimal(minutes, hours):
    assert _hours(minutes) == hours


@pytest.fixture
def three_sessions_of_fifty_minutes(structure_a):
    """3 drop-in sessions of 50 min in 2024: 2,5 h, which the headline used to show as 2."""
    venue = VenueFactory(structure=structure_a)
    for month in (2, 3, 4):
        session = SessionFactory(
            structure=structure_a,
            venue=venue,
            kind=SessionKind.DROP_IN,
            start=at(datetime.date(2024, month, 5)),
            duration_minutes=50,
        )
        AttendanceFactory(session=session)


def test_headline_hours_agree_with_the_table(coordinator, three_sessions_of_fifty_minutes):
    data = statistics_compute(user=coordinator, filters=StatisticsFilters.year(2024))
    report = report_build(data, threshold=1)
    headline = report.headline["hours"]
    kinds = report.table("kinds")
    hours_index = kinds.column_index("hours")
    total = kinds.rows[-1].cells[hours_index]
    drop_in = next(r for r in kinds.rows if r.key == SessionKind.DROP_IN).cells[hours_index]
    assert (headline.value, headline.text) == (2.5, "2,5")
    assert (total.value, total.text) == (2.5, "2,5")
    assert (drop_in.value, drop_in.text) == (2.5, "2,5")


def test_page_and_exports_show_the_decimal(
    client, coordinator, three_sessions_of_fifty_minutes, settings
):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    client.force_login(coordinator)
    page = client.get(URL, YEAR_2024).content.decode()
    assert "<dd>2,5</dd>" in page

    text = client.get(URL, {**YEAR_2024, "export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [HEADLINE_HOURS, "2,5"] in rows

    content = client.get(URL, {**YEAR_2024, "export": "xlsx"}).content
    workbook = load_workbook(io.BytesIO(content))
    headline_sheet = workbook["Chiffres clés"]
    headline = next(r[1] for r in headline_sheet.iter_rows() if r[0].value == HEADLINE_HOURS)
    kinds_sheet = workbook["Séances, heures et participatio"]
    kinds = [r[2] for r in kinds_sheet.iter_rows() if r[0].value in ("Permanence", "Ensemble")]
    assert len(kinds) == 2
    for cell in (headline, *kinds):
        # A number showing its decimal (the format "0" displayed 2,5 as 3).
        assert (cell.value, cell.data_type, cell.number_format) == (2.5, "n", "0.0")
