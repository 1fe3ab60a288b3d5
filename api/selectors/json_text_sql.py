"""SQL expressions that write JSON as text by concatenation, for PostgreSQL.

`json_build_object` looks up how to write each value's type on every call: about 0.5 µs
a value, 60 values a record, which made it most of the database's work in a full sync.
Concatenating text does the same job for a fraction of that: constants (keys,
punctuation, labels) are written once into the statement, numbers are cast to text, and
only free text goes through `to_json` (the one place where escaping is needed). The
expressions give JSON text, never NULL.

A value is a `Piece`, a list of parts: `str` parts are JSON text written as SQL literals,
`Sql` parts are SQL expressions that give JSON text. `render` joins them with `||`,
adjacent literals merged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Sql:
    """An SQL expression whose value is JSON text (never NULL)."""

    expression: str


Part = str | Sql
Piece = list[Part]


def number(expression: str) -> Piece:
    """An integer column or expression (null stays null)."""
    return [Sql(f"COALESCE(({expression})::text, 'null')")]


def text(expression: str) -> Piece:
    """Free text, escaped as a JSON string by PostgreSQL (null stays null)."""
    return [Sql(f"COALESCE(to_json(({expression})::text)::text, 'null')")]


def digits(expression: str) -> Piece:
    """A JSON string of a value written with digits and punctuation only (an id, a
    date): no escaping needed (null stays null)."""
    return [Sql(f"COALESCE('\"' || ({expression})::text || '\"', 'null')")]


def json_text(expression: str) -> Piece:
    """An expression that already gives JSON text (not NULL)."""
    return [Sql(expression)]


def constant(value: object) -> Piece:
    return [json.dumps(value, ensure_ascii=False, separators=(",", ":"))]


def obj(pairs: list[tuple[str, Piece]]) -> Piece:
    """A JSON object of these keys, in this order."""
    piece: Piece = ["{"]
    for index, (key, value) in enumerate(pairs):
        piece.append(("," if index else "") + json.dumps(key, ensure_ascii=False) + ":")
        piece.extend(value)
    piece.append("}")
    return piece


def render(piece: Piece) -> str:
    """The SQL text expression of a piece. Literals are escaped for SQL (quotes doubled)
    and for the driver's parameters (`%` doubled): the statement always has parameters."""
    merged: list[Part] = []
    for part in piece:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return " || ".join(
        "'" + part.replace("'", "''").replace("%", "%%") + "'"
        if isinstance(part, str)
        else part.expression
        for part in merged
    )
