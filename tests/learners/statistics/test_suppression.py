"""Small-cell suppression: primary (1..threshold-1), complementary along every row and
column of a commune × age band table with margins, and a checker that tries to recover each
hidden value by subtraction (and by any linear combination) and must fail."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learners.statistics.suppression import (
    Constraint,
    cross_table_constraints,
    linearly_determined,
    recover_by_subtraction,
    suppress,
    suppressed_label,
    suppression_threshold,
)

BANDS = ["moins_12", "12_17", "18_24", "25_39", "40_59", "60_69", "70_plus", "nc"]


def commune_band_table(cells: dict[tuple[str, str], int]):
    """values and constraints of a commune × band table with row, column and grand totals."""
    communes = sorted({c for c, _b in cells})
    values = {("cell", c, b): cells.get((c, b), 0) for c in communes for b in BANDS}
    for c in communes:
        values[("commune", c)] = sum(values[("cell", c, b)] for b in BANDS)
    for b in BANDS:
        values[("band", b)] = sum(values[("cell", c, b)] for c in communes)
    values[("total",)] = sum(values[("commune", c)] for c in communes)
    constraints = cross_table_constraints(
        row_keys=communes,
        column_keys=BANDS,
        cell_key=lambda c, b: ("cell", c, b),
        row_total_key=lambda c: ("commune", c),
        column_total_key=lambda b: ("band", b),
        grand_total_key=("total",),
    )
    return values, constraints


def recover_along_rows_and_columns(values, constraints, hidden):
    """The checker of the brief: for each row and column (each constraint), a hidden cell is
    recovered when it is the only hidden member: total − visible parts, or sum of parts."""
    recovered = {}
    for constraint in constraints:
        missing = [k for k in constraint.members if k in hidden]
        if len(missing) == 1:
            key = missing[0]
            if key == constraint.total:
                recovered[key] = sum(values[p] for p in constraint.parts)
            else:
                recovered[key] = values[constraint.total] - sum(
                    values[p] for p in constraint.parts if p != key
                )
    return recovered


def assert_safe(values, constraints, hidden, threshold=5):
    # Every small figure is hidden, zeros may be shown, large ones are shown unless needed.
    for key, value in values.items():
        if 0 < value < threshold:
            assert key in hidden, key
    assert recover_along_rows_and_columns(values, constraints, hidden) == {}
    assert recover_by_subtraction(values, constraints, hidden) == {}
    assert linearly_determined(values, constraints, hidden) == set()


def test_label_and_default_threshold(settings):
    assert suppression_threshold() == 5
    assert suppressed_label() == "< 5"
    settings.STATS_SUPPRESSION_THRESHOLD = 10
    assert suppressed_label() == "< 10"


def test_single_small_cell_in_a_row_forces_a_second_one():
    values, constraints = commune_band_table(
        {
            ("Landeronde", "25_39"): 40,
            ("Landeronde", "40_59"): 3,
            ("Landeronde", "60_69"): 25,
            ("Aizenay", "25_39"): 30,
            ("Aizenay", "40_59"): 12,
            ("Aizenay", "60_69"): 50,
        }
    )
    hidden = suppress(values, constraints, threshold=5)
    assert ("cell", "Landeronde", "40_59") in hidden
    # Without complementary suppression the 3 is the row total minus 40 and 25.
    assert recover_along_rows_and_columns(
        values, constraints, {("cell", "Landeronde", "40_59")}
    ) == {("cell", "Landeronde", "40_59"): 3}
    # The smallest other cell of the row (25) and of the column (12) are hidden too.
    assert ("cell", "Landeronde", "60_69") in hidden
    assert ("cell", "Aizenay", "40_59") in hidden
    assert_safe(values, constraints, hidden)
    # Zeros are not small cells: they stay visible.
    assert ("cell", "Landeronde", "moins_12") not in hidden


def test_zero_is_shown_and_nothing_else_hidden_without_small_cells():
    values, constraints = commune_band_table({("A", "25_39"): 10, ("B", "40_59"): 7})
    assert suppress(values, constraints, threshold=5) == frozenset()


def test_single_breakdown_with_its_total():
    values = {"total": 30, "f": 2, "m": 20, "nc": 8}
    constraints = [Constraint("total", ("f", "m", "nc"))]
    hidden = suppress(values, constraints, threshold=5)
    assert hidden == {"f", "nc"}  # the next smallest part, not the total
    assert_safe(values, constraints, hidden)


def test_implicit_complement_is_protected():
    """'of whom new' shown with 'people reached': the known people (not shown) are
    reached − new; when they are few, 'new' is hidden so they cannot be derived."""
    values = {"reached": 40, "new": 37, "known": 3}
    hidden = suppress(values, [Constraint("reached", ("new", "known"))], threshold=5)
    assert hidden == {"known", "new"}


def test_a_value_recoverable_only_by_combining_constraints_is_found():
    values = {"s1": 15, "s2": 17, "s3": 18, "a": 7, "b": 8, "c": 10}
    constraints = [
        Constraint("s1", ("a", "b")),
        Constraint("s2", ("a", "c")),
        Constraint("s3", ("b", "c")),
    ]
    # Every constraint has two hidden members, yet a, b, c follow from the three sums.
    assert recover_by_subtraction(values, constraints, {"a", "b", "c"}) == {}
    assert linearly_determined(values, constraints, {"a", "b", "c"}) == {"a", "b", "c"}
    values["a"] = 2
    values["s1"], values["s2"] = 10, 12
    hidden = suppress(values, constraints, threshold=5)
    assert_safe(values, constraints, hidden)


def test_large_random_commune_by_band_tables():
    rng = random.Random(20240325)
    for _trial in range(200):
        communes = [f"C{i}" for i in range(rng.randint(1, 22))]
        cells = {
            (c, b): rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 40, 120])
            for c in communes
            for b in BANDS
        }
        values, constraints = commune_band_table(cells)
        hidden = suppress(values, constraints, threshold=5)
        assert_safe(values, constraints, hidden)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=len(BANDS), max_size=len(BANDS)),
        min_size=1,
        max_size=8,
    ),
    st.integers(min_value=2, max_value=11),
)
def test_any_table_any_threshold(rows, threshold):
    cells = {(f"C{i}", b): n for i, row in enumerate(rows) for b, n in zip(BANDS, row, strict=True)}
    values, constraints = commune_band_table(cells)
    hidden = suppress(values, constraints, threshold=threshold)
    assert_safe(values, constraints, hidden, threshold=threshold)


def test_unknown_member_is_a_programming_error():
    with pytest.raises(KeyError):
        suppress({"total": 3}, [Constraint("total", ("missing",))])
