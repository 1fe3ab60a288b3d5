"""Activity records written as JSON by PostgreSQL, for pages read at national scale.

`learners.selectors.activity_records` is the reference: it builds each record in Python
(five queries a page) and serves SQLite. On PostgreSQL the same records are written by
one query, each row already the JSON:API resource the router sends (`json_build_object`),
because building and serialising 1,000 records a page in Python cost about 90 µs of CPU
per record, which capped a full sync near 11,000 records per second; in PostgreSQL's C
code the same work is a few µs. The participants are read from the session's summary
(`learners.SessionActivitySummary`, kept by the services in the same transaction as the
change), so no attendance line is read at all: a page and the stream read one row per
session. `tests/api/test_activities_sql.py` checks on PostgreSQL that both give the same
records, and `tests/learners/test_activity_summaries.py` that the summary follows every
kind of write.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction

from learners.choices import SessionKind
from learners.selectors.activity_records import BAND_CODES, GENDER_CODES, RecordPosition

STREAM_CHUNK = 2000


def _stamp_sql(column: str) -> str:
    """ISO 8601 in UTC exactly as Python's `isoformat()` writes it."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(date_part('microseconds', {utc})::bigint, 1000000) = 0 THEN '' "
        f"ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def _counts_object(column: str, codes: tuple[str, ...]) -> str:
    """A summary's jsonb counts as a JSON object with the codes in their order."""
    pairs = ", ".join(f"'{code}', COALESCE((sm.{column} ->> '{code}')::int, 0)" for code in codes)
    return f"json_build_object({pairs})"


def _kind_label_sql() -> str:
    whens = " ".join("WHEN %s THEN %s" for _kind in SessionKind)
    return f"CASE s.kind {whens} ELSE s.kind END"


def _kind_label_params() -> list[str]:
    return [value for kind in SessionKind for value in (kind.value, str(kind.label))]


def _zero_participants() -> str:
    """The participants object of a record nobody attended, as a SQL literal."""
    zero = {
        "total": 0,
        "enregistrees": 0,
        "anonymes": 0,
        "par_tranche_age": dict.fromkeys(BAND_CODES, 0),
        "par_genre": dict.fromkeys(GENDER_CODES, 0),
    }
    return "'" + json.dumps(zero, separators=(",", ":")) + "'::json"


def _page_sql(*, bound: bool, since: bool, after: bool, limit: bool = True) -> str:
    """One statement: the sessions in (modification, id) order (a range scan of
    `session_sync_idx`, or `session_structure_sync_idx` for a structure), each joined to
    its participant summary (`SessionActivitySummary`, one row, kept by the services),
    its themes and competences read by index for that session only, then one JSON text
    per record. Nothing is aggregated across sessions: without `limit` (the stream) the
    first row comes at once and every row costs the same, wherever it is in the order."""
    conditions = ["TRUE"]
    if bound:
        conditions.append("s.structure_id = %s")
    if since:
        conditions.append("s.updated_at >= %s")
    if after:
        conditions.append("(s.updated_at, s.id) > (%s, %s)")
    return f"""
SELECT s.id, s.updated_at, json_build_object(
  'type', 'activite',
  'id', s.id::text,
  'attributes', json_build_object(
    'statut', CASE WHEN s.cancelled_at IS NULL THEN 'active' ELSE 'annulee' END,
    'type', s.kind,
    'type_libelle', {_kind_label_sql()},
    'date', to_char(s.start AT TIME ZONE %s, 'YYYY-MM-DD'),
    'debut', {_stamp_sql("s.start")},
    'duree_minutes', s.duration_minutes,
    'type_lieu', s.place_type,
    'structure_id', s.structure_id::text,
    'lieu_id', s.venue_id::text,
    'commune_code_insee', v.commune_id,
    'thematiques', COALESCE((
      SELECT json_agg(json_build_object('slug', t.slug, 'libelle', t.name)
                      ORDER BY t.sort_order, t.name, t.id)
      FROM learners_session_themes st JOIN workshops_theme t ON t.id = st.theme_id
      WHERE st.session_id = s.id), '[]'::json),
    'atelier', CASE WHEN s.atelier_id IS NULL THEN NULL
               ELSE json_build_object('id', s.atelier_id::text, 'titre', p.title) END,
    'competences', COALESCE((
      SELECT json_agg(c.code ORDER BY c.code)
      FROM learners_session_competences sc
      JOIN workshops_competence c ON c.id = sc.competence_id
      WHERE sc.session_id = s.id), '[]'::json),
    'participants', CASE WHEN sm.session_id IS NULL THEN {_zero_participants()}
      ELSE json_build_object(
        'total', sm.registered + sm.anonymous,
        'enregistrees', sm.registered,
        'anonymes', sm.anonymous,
        'par_tranche_age', {_counts_object("by_age_band", BAND_CODES)},
        'par_genre', {_counts_object("by_gender", GENDER_CODES)}) END,
    'creation', {_stamp_sql("s.created_at")},
    'modification', {_stamp_sql("s.updated_at")}
  )
)::text
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


def activity_resources_stream(
    *,
    structure_id: int | None = None,
    since: datetime.datetime | None = None,
    chunk: int = STREAM_CHUNK,
) -> Iterator[tuple[int, datetime.datetime, str]]:
    """Every record (modified at or after `since`), as `activity_resources_json` writes
    them, in (modification, id) order: ONE statement read through a server-side cursor
    (`chunked_cursor`, a named psycopg cursor) `chunk` rows at a time, so the process
    holds one chunk whatever the selection. The transaction gives the cursor its snapshot
    (a cursor WITH HOLD, outside one, would have PostgreSQL copy the whole result first)."""
    sql, params = _statement(structure_id=structure_id, since=since, after=None, size=None)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        with connection.cursor() as settings_cursor:
            # For this transaction only: no JIT compilation (seconds, for a plan whose
            # every row is cheap).
            settings_cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows
