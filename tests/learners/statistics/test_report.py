"""Published tables: suppression applied once across tables (a figure shown twice is hidden
in both), derived figures (rates, medians) follow their inputs, charts never draw a hidden
value, and the filter form's parsing."""

import datetime

import pytest

from learners.forms.statistics import StatisticsFilterForm
from learners.selectors.statistics import (
    StatisticsFilters,
    StatisticsScope,
    statistics_compute,
)
from learners.statistics.charts import table_chart
from learners.statistics.report import _median, report_build
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db

NETWORK = StatisticsScope(level="network")


def test_median_of_a_histogram():
    assert _median(((0, 2), (1, 1))) == 0
    assert _median(((0, 1), (2, 1))) == 1
    assert _median(((0, 1), (1, 1), (3, 2))) == 2
    assert _median(()) is None


def test_same_figure_hidden_everywhere_and_charts_do_not_draw_it(world, coordinator):
    data = statistics_compute(user=coordinator, filters=StatisticsFilters.year(2024))
    report = report_build(data, threshold=3)
    people_total = report.headline["people"]
    assert people_total.value == 4 and not people_total.suppressed
    # The same 'Ensemble' figure in every people table.
    for key in ("age_bands", "gender", "social", "age_bands_2021"):
        total = report.table(key).rows[-1].cells[0]
        assert (total.value, total.suppressed) == (4, False)
    # A band with 1 person is hidden in the band table and in the cross table's margin.
    bands = {row.key: row.cells[0] for row in report.table("age_bands").rows}
    margin = {
        c.key: cell
        for c, cell in zip(
            report.table("residence").columns, report.table("residence").rows[-1].cells, strict=True
        )
    }
    assert bands["12_17"].suppressed and margin["12_17"].suppressed
    for key in bands:
        if key != "total":
            assert bands[key].suppressed == margin[key].suppressed
    # The chart of a hidden figure has no bar for it and says "< 3".
    chart = str(table_chart(report.table("age_bands")))
    assert chart.count("<rect") == sum(
        1 for row in report.table("age_bands").rows[:-1] if row.cells[0].value
    )
    assert "&lt; 3" in chart


def test_rate_and_median_hidden_with_their_counts(world, coordinator):
    data = statistics_compute(user=coordinator, filters=StatisticsFilters.year(2024))
    shown = report_build(data, threshold=1)
    rate = shown.table("retention").rows[0].cells[3]
    assert (rate.value, rate.text) == (50.0, "50 %")
    median = shown.table("progress").rows[0].cells[2]
    assert median.value == 1.0  # gains 0 and 2
    hidden = report_build(data, threshold=5)
    assert hidden.table("retention").rows[0].cells[3].text == "< 5"
    assert hidden.table("progress").rows[0].cells[2].text == "< 5"


def test_age_band_follows_the_first_session_of_the_period(structure_a):
    """Born in 2007: 17 at a session on 20/12/2024, 18 on 10/01/2025. Over both years the
    person is counted once, in the band of the first session (12-18)."""
    person = LearnerFactory(structure=structure_a, birth_year=2007)
    for day in (datetime.date(2024, 12, 20), datetime.date(2025, 1, 10)):
        AttendanceFactory(
            session=SessionFactory(structure=structure_a, start=at(day)), learner=person
        )
    from learners.selectors.statistics import statistics_compute_for_scope

    both = statistics_compute_for_scope(
        scope=NETWORK,
        filters=StatisticsFilters(start=datetime.date(2024, 6, 1), end=datetime.date(2025, 6, 30)),
    )
    assert [(row[1], row[-1]) for row in both["people_cube"]] == [("12_17", 1)]
    only_2025 = statistics_compute_for_scope(scope=NETWORK, filters=StatisticsFilters.year(2025))
    assert [(row[1], row[-1]) for row in only_2025["people_cube"]] == [("18_24", 1)]


def test_form_defaults_and_commune_lookup(settings):
    CommuneFactory(insee_code="85120", name="Landeronde", postal_codes="85150")
    CommuneFactory(insee_code="85001", name="Saint-Martin", postal_codes="85200")
    CommuneFactory(insee_code="17001", name="Saint-Martin", postal_codes="17200")
    form = StatisticsFilterForm({}, scope=NETWORK)
    assert form.is_valid()
    year = datetime.date.today().year
    assert (form.filters().start, form.filters().end) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
    )
    for text in ("Landeronde", "landeronde", "85150", "85120"):
        form = StatisticsFilterForm({"commune": text}, scope=NETWORK)
        assert form.is_valid(), form.errors
        assert form.filters().commune_code == "85120"
    form = StatisticsFilterForm({"commune": "Saint-Martin"}, scope=NETWORK)
    assert not form.is_valid()
    assert "Plusieurs communes" in form.errors["commune"][0]
    assert "Saint-Martin (85001)" in form.errors["commune"][0]
    form = StatisticsFilterForm({"du": "15/03/2024"}, scope=NETWORK)
    assert form.is_valid()
    assert form.filters().end == datetime.date(2024, 12, 31)


def test_long_lists_wait_for_a_structure(world, monkeypatch):
    from learners.forms import statistics as form_module

    monkeypatch.setattr(form_module, "MAX_OPTIONS", 1)
    form = StatisticsFilterForm({}, scope=NETWORK)
    assert [value for value, _label in form.fields["conseiller"].choices] == [""]
    assert "Choisissez d'abord une structure" in str(form.fields["conseiller"].help_text)
    form = StatisticsFilterForm({"structure": world.structure_b.pk}, scope=NETWORK)
    assert [value for value, _label in form.fields["conseiller"].choices] == ["", world.cb.pk]
    # A counsellor id from a shared URL is still accepted and shown.
    form = StatisticsFilterForm({"conseiller": world.ca.pk}, scope=NETWORK)
    assert form.is_valid()
    assert world.ca.pk in [value for value, _label in form.fields["conseiller"].choices]


@pytest.mark.parametrize("threshold", [2, 3, 4, 5, 6])
def test_whole_page_never_leaks(world, coordinator, threshold):
    """Every published table of the page together: no small figure shown, no hidden figure
    recoverable by subtraction or by any linear combination of what is shown."""
    from learners.statistics.suppression import linearly_determined, recover_by_subtraction

    data = statistics_compute(user=coordinator, filters=StatisticsFilters.year(2024))
    report = report_build(data, threshold=threshold)
    values, constraints, hidden = report.suppression_inputs
    assert recover_by_subtraction(values, constraints, hidden) == {}
    assert linearly_determined(values, constraints, hidden) == set()
    for table in report.tables:
        for column_index, column in enumerate(table.columns):
            if column.key in ("sessions", "hours", "cycles", "median", "rate"):
                continue
            for row in table.rows:
                if table.key == "headline" and row.key in ("sessions", "hours"):
                    continue  # activity, not people
                cell = row.cells[column_index]
                assert cell.suppressed or cell.value is None or not 0 < cell.value < threshold, (
                    table.key,
                    row.key,
                    column.key,
                )
