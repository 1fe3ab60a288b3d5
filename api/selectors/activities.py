"""Activity records written as JSON by PostgreSQL, for pages read at national scale.

`learners.selectors.activity_records` is the reference: it builds each record in Python
(five queries a page) and serves SQLite. On PostgreSQL the same records are written by
one query, each row already the JSON:API resource the router sends, because building
and serialising 1,000 records a page in Python cost about 90 µs of CPU per record, which
capped a full sync near 11,000 records per second. The JSON is written by concatenating
text (`api.selectors.json_text_sql`): `json_build_object` cost about 0.5 µs per value,
most of the database's work. The participants are read from the session's summary
(`learners.SessionActivitySummary`, kept by the services in the same transaction as the
change), so no attendance line is read at all: a page and the stream read one row per
session. `tests/api/test_activities_sql.py` checks on PostgreSQL that both give the same
records, and `tests/learners/test_activity_summaries.py` that the summary follows every
kind of write.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from django.conf import settings
from django.db import connection, transaction

from api.selectors import json_text_sql as js
from learners.choices import SessionKind
from learners.selectors.activity_records import BAND_CODES, GENDER_CODES, RecordPosition

STREAM_LINES = 1000
_STREAM = {"jit": "off", "enable_sort": "off", "statement_timeout": "0"}
_SETTING_NAMES = tuple(_STREAM)
_STREAM_SETTINGS = "; SET LOCAL ".join(f"{name} = {value}" for name, value in _STREAM.items())


def _stamp_sql(column: str) -> str:
    """ISO 8601 in UTC exactly as Python's `isoformat()` writes it."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(date_part('microseconds', {utc})::bigint, 1000000) = 0 THEN '' "
        f"ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def _counts(column: str, codes: tuple[str, ...]) -> js.Piece:
    """A summary's jsonb counts as a JSON object with the codes in their order (each
    count is the jsonb number's own text)."""
    # Cast through integer: a count that is not a number fails loudly rather than
    # writing invalid JSON (the services write integers only).
    return js.obj(
        [
            (code, js.json_text(f"COALESCE((sm.{column} ->> '{code}')::int::text, '0')"))
            for code in codes
        ]
    )


def _kind_label() -> js.Piece:
    whens = " ".join("WHEN %s THEN %s" for _kind in SessionKind)
    other = js.render(js.text("s.kind"))
    return js.json_text(f"CASE s.kind {whens} ELSE {other} END")


def _kind_label_params() -> list[str]:
    """Each kind, then its label already written as a JSON string."""
    return [
        value
        for kind in SessionKind
        for value in (kind.value, json.dumps(str(kind.label), ensure_ascii=False))
    ]


def _participants() -> js.Piece:
    zero = {
        "total": 0,
        "enregistrees": 0,
        "anonymes": 0,
        "par_tranche_age": dict.fromkeys(BAND_CODES, 0),
        "par_genre": dict.fromkeys(GENDER_CODES, 0),
    }
    counted = js.obj(
        [
            ("total", js.number("sm.registered + sm.anonymous")),
            ("enregistrees", js.number("sm.registered")),
            ("anonymes", js.number("sm.anonymous")),
            ("par_tranche_age", _counts("by_age_band", BAND_CODES)),
            ("par_genre", _counts("by_gender", GENDER_CODES)),
        ]
    )
    return js.json_text(
        f"CASE WHEN sm.session_id IS NULL THEN {js.render(js.constant(zero))} "
        f"ELSE {js.render(counted)} END"
    )


def _themes() -> js.Piece:
    theme = js.render(js.obj([("slug", js.text("t.slug")), ("libelle", js.text("t.name"))]))
    return js.json_text(
        f"""'[' || COALESCE((
      SELECT string_agg({theme}, ',' ORDER BY t.sort_order, t.name, t.id)
      FROM learners_session_themes st JOIN workshops_theme t ON t.id = st.theme_id
      WHERE st.session_id = s.id), '') || ']'"""  # noqa: S608 - constants only
    )


def _competences() -> js.Piece:
    code = js.render(js.text("c.code"))
    return js.json_text(
        f"""'[' || COALESCE((
      SELECT string_agg({code}, ',' ORDER BY c.code)
      FROM learners_session_competences sc
      JOIN workshops_competence c ON c.id = sc.competence_id
      WHERE sc.session_id = s.id), '') || ']'"""  # noqa: S608 - constants only
    )


def _atelier() -> js.Piece:
    atelier = js.obj([("id", js.digits("s.atelier_id")), ("titre", js.text("p.title"))])
    return js.json_text(f"CASE WHEN s.atelier_id IS NULL THEN 'null' ELSE {js.render(atelier)} END")


def _record() -> str:
    """The JSON:API resource of the session `s` as an SQL text expression (the time zone
    of its date is a parameter, after the kinds' labels)."""
    attributes = js.obj(
        [
            (
                "statut",
                js.json_text(
                    """CASE WHEN s.cancelled_at IS NULL THEN '"active"' ELSE '"annulee"' END"""
                ),
            ),
            ("type", js.text("s.kind")),
            ("type_libelle", _kind_label()),
            ("date", js.digits("to_char(s.start AT TIME ZONE %s, 'YYYY-MM-DD')")),
            ("debut", js.digits(_stamp_sql("s.start"))),
            ("duree_minutes", js.number("s.duration_minutes")),
            ("type_lieu", js.text("s.place_type")),
            ("structure_id", js.digits("s.structure_id")),
            ("lieu_id", js.digits("s.venue_id")),
            ("commune_code_insee", js.text("v.commune_id")),
            ("thematiques", _themes()),
            ("atelier", _atelier()),
            ("competences", _competences()),
            ("participants", _participants()),
            ("creation", js.digits(_stamp_sql("s.created_at"))),
            ("modification", js.digits(_stamp_sql("s.updated_at"))),
        ]
    )
    return js.render(
        js.obj(
            [
                ("type", js.constant("activite")),
                ("id", js.digits("s.id")),
                ("attributes", attributes),
            ]
        )
    )


def _page_sql(*, bound: bool, since: bool, after: bool, limit: bool = True) -> str:
    """One statement: the sessions in (modification, id) order (a range scan of
    `session_sync_idx`, or `session_structure_sync_idx` for a structure), each joined to
    its participant summary (`SessionActivitySummary`, one row, kept by the services),
    its themes and competences read by index for that session only, then one JSON text
    per record, written by concatenation (`api.selectors.json_text_sql`). Nothing is
    aggregated across sessions: every row costs the same, wherever it is in the order.
    The stream selects the JSON text alone (its COPY has nothing else to send)."""
    conditions = ["TRUE"]
    if bound:
        conditions.append("s.structure_id = %s")
    if since:
        conditions.append("s.updated_at >= %s")
    if after:
        conditions.append("(s.updated_at, s.id) > (%s, %s)")
    return f"""
SELECT {"" if not limit else "s.id, s.updated_at, "}{_record()}
FROM learners_session s
LEFT JOIN learners_sessionactivitysummary sm ON sm.session_id = s.id
LEFT JOIN learners_venue v ON v.id = s.venue_id
LEFT JOIN wagtailcore_page p ON p.id = s.atelier_id
WHERE {" AND ".join(conditions)}
ORDER BY s.updated_at, s.id
{"LIMIT %s" if limit else ""}
"""  # noqa: S608 - only generated SQL from constants; every value is a parameter


def _statement(
    *,
    structure_id: int | None,
    since: datetime.datetime | None,
    after: RecordPosition | None,
    size: int | None,
) -> tuple[str, list]:
    zone = settings.TIME_ZONE
    params: list = [*_kind_label_params(), zone]
    if structure_id is not None:
        params.append(structure_id)
    if since is not None:
        params.append(since)
    if after is not None:
        params += [after.modified, after.id]
    if size is not None:
        params.append(size)
    sql = _page_sql(
        bound=structure_id is not None,
        since=since is not None,
        after=after is not None,
        limit=size is not None,
    )
    return sql, params


def activity_resources_json(
    *,
    structure_id: int | None = None,
    since: datetime.datetime | None = None,
    after: RecordPosition | None = None,
    size: int = 100,
) -> list[tuple[int, datetime.datetime, str]]:
    """(id, modification, the JSON:API resource as text) of up to `size` records after
    `after`, in (modification, id) order: one query (PostgreSQL only)."""
    sql, params = _statement(structure_id=structure_id, since=since, after=after, size=size)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def activity_resources_ndjson(
    *,
    structure_id: int | None = None,
    since: datetime.datetime | None = None,
    lines: int = STREAM_LINES,
) -> Iterator[bytes]:
    """Every record (modified at or after `since`), as `activity_resources_json` writes
    them and in the same (modification, id) order, as NDJSON: blocks of about `lines`
    whole lines, each line one resource ending with a newline.

    ONE statement sent as `COPY (…) TO STDOUT`: PostgreSQL sends the rows as it makes
    them, without waiting to be asked, so it writes the next rows while this process
    sends the last ones (a server-side cursor made the two wait for each other at every
    fetch), and the socket's flow control keeps memory flat. The text format doubles
    every backslash; nothing else needs escaping, because the records' JSON holds no raw
    control character (free text goes through `to_json`, constants through `json.dumps`,
    both write them as `\\t`, `\\n`…), so halving the backslashes gives the JSON back
    (tested with such texts). The transaction gives the statement its settings."""
    sql, params = _statement(structure_id=structure_id, since=since, after=None, size=None)
    inside = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only: no JIT compilation (seconds, for a plan whose every
        # row is cheap); and the index order, not a sort: COPY is planned for its last row
        # (a cursor, for its first), and a sort of the whole selection would delay the
        # first row by seconds and spill gigabytes to disk at national scale.
        # No statement timeout either: the one statement lasts the whole stream.
        cursor.execute(f"SET LOCAL {_STREAM_SETTINGS}")
        copy_sql = f"COPY ({sql}) TO STDOUT"
        # Django wraps execute() only: the COPY is logged (and counted by tests) and its
        # errors translated here.
        logged = (
            cursor.debug_sql(copy_sql, params) if hasattr(cursor, "debug_sql") else nullcontext()
        )
        with logged, connection.wrap_database_errors, cursor.cursor.copy(copy_sql, params) as copy:
            yield from _blocks(copy, lines)
        if inside:
            # Only a savepoint here: SET LOCAL would outlive it, for the caller's queries.
            cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in _SETTING_NAMES))


def _blocks(copy: Iterable[memoryview], lines: int) -> Iterator[bytes]:
    """COPY's rows (one line each, escaped) joined `lines` at a time and unescaped."""
    rows: list[memoryview] = []
    for row in copy:
        rows.append(row)
        if len(rows) == lines:
            yield b"".join(rows).replace(b"\\\\", b"\\")
            rows = []
    if rows:
        yield b"".join(rows).replace(b"\\\\", b"\\")
