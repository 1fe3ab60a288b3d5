"""Small-cell suppression of published statistics (statistical disclosure control).

Rule (the usual one, e.g. INSEE's "secret statistique" and the NHS/ONS small-number rules):

- **primary suppression**: a figure about people (distinct people, attendances, anonymous
  participants) from 1 to `threshold - 1` is not shown; the page and the exports print
  "< 5" (for the default threshold of 5, setting `STATS_SUPPRESSION_THRESHOLD`) instead.
  **Zero is shown**: "nobody" identifies nobody, and hiding zeros would blank most of a
  sparse table for no protection;
- **complementary (secondary) suppression**: a figure shown together with its total (a
  table row or column with its margin, a single breakdown with its total, a part with the
  whole it belongs to, such as "of whom new" within "people reached") could otherwise be
  recovered by subtraction. Every such relation is a `Constraint` (total = sum of parts).
  Whenever a constraint has exactly one hidden member, its smallest visible part is hidden
  too (a positive one first; then a zero, unless it is part of a shown total of 0, which
  would give it away; then the total); this repeats until no
  constraint has a single hidden member. A final linear-algebra check then hides more
  cells until no hidden value is a linear combination of the shown ones (which would catch
  a value recoverable by combining several rows and columns, not only one).

A hidden part the page does not show at all (the complement "already known" of "of whom
new", "not progressed" of "in progress") is still a member of the constraint, with its own
key: if it is small, the shown part is hidden, so the complement cannot be derived.

All hidden cells print the same "< 5", whether hidden because small or as a complement:
a distinct mark for complements would tell a reader which cell is the small one and let
them narrow it down (a complement is at least 5). The page's legend says so.

What this does not claim: bounds. A reader still knows every count is ≥ 0 and that the
hidden members of a constraint sum to the difference shown; with the complement chosen as
the smallest visible cell that difference is usually larger than the threshold, so no hidden
value can be pinned down, but the rule does not solve the interval (linear programming)
problem of national statistics offices.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings

DEFAULT_THRESHOLD = 5

Key = Hashable


def suppression_threshold() -> int:
    """The configured threshold (setting `STATS_SUPPRESSION_THRESHOLD`, default 5, min 1)."""
    return max(1, int(getattr(settings, "STATS_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)))


def suppressed_label(threshold: int | None = None) -> str:
    """The text printed for a hidden figure, in the page and in exports: "< 5"."""
    return f"< {threshold if threshold is not None else suppression_threshold()}"


@dataclass(frozen=True)
class Constraint:
    """`total` = sum of `parts`, as shown together (a margin and its row, a whole and its
    parts). Keys name cells in the values mapping given to `suppress`."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def is_small(value: int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def suppress(
    values: Mapping[Key, int],
    constraints: Sequence[Constraint] = (),
    *,
    threshold: int | None = None,
) -> frozenset[Key]:
    """The keys of `values` to hide: primary (1 .. threshold-1) plus complementary.

    `values` maps every sensitive cell (figures about people, shown or implied) to its
    count; every constraint member must be a key of `values`.
    """
    if threshold is None:
        threshold = suppression_threshold()
    for constraint in constraints:
        for key in constraint.members:
            if key not in values:
                raise KeyError(f"Constraint member {key!r} has no value")
    hidden = {key for key, value in values.items() if is_small(value, threshold)}
    while True:
        changed = _complete_single_hidden(values, constraints, hidden)
        if changed:
            continue
        determined = linearly_determined(values, constraints, hidden)
        if not determined:
            break
        if not _hide_more_around(values, constraints, hidden, determined):
            break  # pragma: no cover - a determined cell always has a visible neighbour
    return frozenset(hidden)


def _certainly_zero(key: Key, values: Mapping[Key, int], constraints, hidden: set) -> bool:
    """A zero cell that is part of a shown total of 0: hiding it protects nothing, since
    counts are never negative."""
    return any(
        key in constraint.parts and constraint.total not in hidden and values[constraint.total] == 0
        for constraint in constraints
    )


def _complement(
    constraint: Constraint, values: Mapping[Key, int], hidden: set, constraints=()
) -> Key | None:
    """The cell to hide with the only hidden member of `constraint`: the smallest positive
    part; else a zero part not known to be zero elsewhere; else the total; else any part."""
    visible_parts = [
        (position, key) for position, key in enumerate(constraint.parts) if key not in hidden
    ]
    positive = [(values[key], position, key) for position, key in visible_parts if values[key] > 0]
    if positive:
        return min(positive)[2]
    for _position, key in visible_parts:
        if not _certainly_zero(key, values, constraints, hidden):
            return key
    if constraint.total not in hidden:
        return constraint.total
    if visible_parts:
        return visible_parts[0][1]
    return None


def _complete_single_hidden(
    values: Mapping[Key, int], constraints: Sequence[Constraint], hidden: set
) -> bool:
    changed = False
    for constraint in constraints:
        hidden_members = [key for key in constraint.members if key in hidden]
        if len(hidden_members) == 1:
            extra = _complement(constraint, values, hidden, constraints)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return changed


def _hide_more_around(
    values: Mapping[Key, int], constraints: Sequence[Constraint], hidden: set, determined: set
) -> bool:
    for key in sorted(determined, key=repr):
        for constraint in constraints:
            if key in constraint.members:
                extra = _complement(constraint, values, hidden, constraints)
                if extra is not None:
                    hidden.add(extra)
                    return True
    return False


def recover_by_subtraction(
    values: Mapping[Key, int], constraints: Sequence[Constraint], hidden: Iterable[Key]
) -> dict[Key, int]:
    """What a reader recovers by subtraction: repeatedly take a constraint with exactly one
    unknown member and compute it from the others (total − visible parts, or the sum of
    the parts), treating recovered values as known. Returns {key: recovered value}; after
    `suppress` it must be empty."""
    unknown = set(hidden)
    recovered: dict[Key, int] = {}
    progress = True
    while progress:
        progress = False
        for constraint in constraints:
            missing = [key for key in constraint.members if key in unknown]
            if len(missing) != 1:
                continue
            (key,) = missing
            if key == constraint.total:
                value = sum(values[part] for part in constraint.parts)
            else:
                value = values[constraint.total] - sum(
                    values[part] for part in constraint.parts if part != key
                )
            recovered[key] = value
            unknown.discard(key)
            progress = True
    return recovered


def _hidden_rows(constraints: Sequence[Constraint], hidden: set[Key]) -> list[dict[Key, Fraction]]:
    """Each constraint as coefficients of its hidden keys only (total +1, parts −1), the
    shown figures moving to the other side; constraints with no hidden key left out."""
    rows: list[dict[Key, Fraction]] = []
    for constraint in constraints:
        coefficients: dict[Key, Fraction] = {}
        for key, sign in ((constraint.total, 1), *((part, -1) for part in constraint.parts)):
            if key in hidden:
                coefficients[key] = coefficients.get(key, Fraction(0)) + sign
        coefficients = {key: c for key, c in coefficients.items() if c != 0}
        if coefficients:
            rows.append(coefficients)
    return rows


def _eliminate(
    collection: list[dict[Key, Fraction]], column: Key, pivot_row: dict[Key, Fraction]
) -> None:
    """Subtract the (normalised) pivot row from every row of `collection` naming `column`."""
    for i, row in enumerate(collection):
        c = row.get(column)
        if c:
            merged = dict(row)
            for key, value in pivot_row.items():
                merged[key] = merged.get(key, Fraction(0)) - c * value
            collection[i] = {key: v for key, v in merged.items() if v != 0}


def linearly_determined(
    values: Mapping[Key, int], constraints: Sequence[Constraint], hidden: Iterable[Key]
) -> set[Key]:
    """Hidden keys whose value follows from the shown figures by any linear combination of
    the constraints (Gaussian elimination over the rationals: a hidden cell is determined
    when the reduced row echelon form has a row naming it alone)."""
    rows = _hidden_rows(constraints, set(hidden))
    if not rows:
        return set()
    columns = sorted({key for row in rows for key in row}, key=repr)
    pivot_rows: list[dict[Key, Fraction]] = []
    pivots: list[Key] = []
    for column in columns:
        index = next((i for i, row in enumerate(rows) if row.get(column)), None)
        if index is None:
            continue
        pivot_row = rows.pop(index)
        factor = pivot_row[column]
        pivot_row = {key: c / factor for key, c in pivot_row.items()}
        _eliminate(rows, column, pivot_row)
        _eliminate(pivot_rows, column, pivot_row)
        pivot_rows.append(pivot_row)
        pivots.append(column)
    return {pivot for pivot, row in zip(pivots, pivot_rows, strict=True) if len(row) == 1}


def cross_table_constraints(
    *,
    row_keys: Sequence[Key],
    column_keys: Sequence[Key],
    cell_key,
    row_total_key,
    column_total_key,
    grand_total_key: Key,
) -> list[Constraint]:
    """Constraints of a two-way table with margins: each row sums to its row total, each
    column to its column total, and both margins to the grand total. `cell_key(r, c)`,
    `row_total_key(r)` and `column_total_key(c)` build the cells' keys."""
    constraints = [
        Constraint(row_total_key(r), tuple(cell_key(r, c) for c in column_keys)) for r in row_keys
    ]
    constraints += [
        Constraint(column_total_key(c), tuple(cell_key(r, c) for r in row_keys))
        for c in column_keys
    ]
    constraints.append(Constraint(grand_total_key, tuple(row_total_key(r) for r in row_keys)))
    constraints.append(Constraint(grand_total_key, tuple(column_total_key(c) for c in column_keys)))
    return constraints
