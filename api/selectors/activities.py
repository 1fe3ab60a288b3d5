"""Activity records written as JSON by PostgreSQL, for pages read at national scale.

`learners.selectors.activity_records` is the reference: it builds each record in Python
(five queries a page) and serves SQLite. On PostgreSQL the same records are written by
one query, each row already the JSON:API resource the router sends (`json_build_object`),
because building and serialising 1,000 records a page in Python cost about 90 µs of CPU
per record, which capped a full sync near 11,000 records per second; in PostgreSQL's C
code the same work is a few µs. The age band uses the same rule, generated from
`learners.age_bands.age_band` (the thresholds are read from it, not written twice), and
`tests/api/test_activities_sql.py` checks on PostgreSQL that both give the same records.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction

from learners.age_bands import UNKNOWN, age_band
from learners.choices import AttendanceStatus, SessionKind
from learners.selectors.activity_records import BAND_CODES, GENDER_CODES, RecordPosition

_OLDEST_AGE = 150
STREAM_CHUNK = 2000
STREAM_WORK_MEM = "256MB"


def _band_thresholds() -> list[tuple[int, str]]:
    """(lowest age, band), oldest first, read from `age_band` (age = year − birth year)."""
    year = 2000
    bands = [(age, age_band(year - age, datetime.date(year, 7, 1))) for age in range(_OLDEST_AGE)]
    thresholds = [
        (age, band)
        for age, band in bands
        if band != UNKNOWN and (age == 0 or bands[age - 1][1] != band)
    ]
    return sorted(thresholds, reverse=True)


def _band_sql(age: str) -> str:
    whens = " ".join(f"WHEN {age} >= {lowest} THEN '{band}'" for lowest, band in _band_thresholds())
    return f"CASE WHEN {age} IS NULL OR {age} < 0 THEN '{UNKNOWN}' {whens} ELSE '{UNKNOWN}' END"


def _stamp_sql(column: str) -> str:
    """ISO 8601 in UTC exactly as Python's `isoformat()` writes it."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(date_part('microseconds', {utc})::bigint, 1000000) = 0 THEN '' "
        f"ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def _counts_object(column: str, codes: tuple[str, ...]) -> str:
    pairs = ", ".join(
        f"'{code}', COALESCE(SUM(x.n) FILTER (WHERE x.{column} = '{code}'), 0)" for code in codes
    )
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
    """One statement: the page's sessions first (an index range scan, LIMIT), then their
    themes, competences and participants each joined and grouped once for the whole page
    (set-based: per-record subqueries cost twice as much), then one JSON text per record.
    Without `limit` (the stream) the selection is every matching session: the same joins
    and aggregates then run once over the whole selection (hash joins and hash aggregates
    of the attendance table), not as index lookups page after page. A selection narrowed
    by `since` or a structure stays a materialised set, so that its joins use the
    indexes rather than read the whole attendance table."""
    conditions = ["TRUE"]
    if bound:
        conditions.append("s.structure_id = %s")
    if since:
        conditions.append("s.updated_at >= %s")
    if after:
        conditions.append("(s.updated_at, s.id) > (%s, %s)")
    return f"""
WITH page AS {"MATERIALIZED" if limit or since or bound else "NOT MATERIALIZED"} (
  SELECT s.id, s.updated_at, s.created_at, s.start, s.kind, s.duration_minutes,
         s.place_type, s.structure_id, s.venue_id, s.atelier_id, s.cancelled_at,
         date_part('year', s.start AT TIME ZONE %s)::int AS year
  FROM learners_session s
  WHERE {" AND ".join(conditions)}
  {"ORDER BY s.updated_at, s.id LIMIT %s" if limit else ""}
),
th AS (
  SELECT st.session_id, json_agg(json_build_object('slug', t.slug, 'libelle', t.name)
                                 ORDER BY t.sort_order, t.name, t.id) AS j
  FROM page JOIN learners_session_themes st ON st.session_id = page.id
  JOIN workshops_theme t ON t.id = st.theme_id
  GROUP BY st.session_id
),
co AS (
  SELECT sc.session_id, json_agg(c.code ORDER BY c.code) AS j
  FROM page JOIN learners_session_competences sc ON sc.session_id = page.id
  JOIN workshops_competence c ON c.id = sc.competence_id
  GROUP BY sc.session_id
),
pa AS (
  SELECT x.session_id, json_build_object(
    'total', SUM(x.n),
    'enregistrees', COALESCE(SUM(x.n) FILTER (WHERE x.registered), 0),
    'anonymes', COALESCE(SUM(x.n) FILTER (WHERE NOT x.registered), 0),
    'par_tranche_age', {_counts_object("band", BAND_CODES)},
    'par_genre', {_counts_object("gender", GENDER_CODES)}
  ) AS j
  FROM (
    SELECT a.session_id, TRUE AS registered,
           {_band_sql("(page.year - l.birth_year)")} AS band, l.gender AS gender, 1 AS n
    FROM page JOIN learners_attendance a ON a.session_id = page.id
    JOIN learners_learner l ON l.id = a.learner_id
    WHERE a.status = '{AttendanceStatus.PRESENT.value}'
    UNION ALL
    SELECT ap.session_id, FALSE, ap.age_band, ap.gender, ap.count
    FROM page JOIN learners_anonymousparticipants ap ON ap.session_id = page.id
  ) x
  GROUP BY x.session_id
)
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
    'thematiques', COALESCE(th.j, '[]'::json),
    'atelier', CASE WHEN s.atelier_id IS NULL THEN NULL
               ELSE json_build_object('id', s.atelier_id::text, 'titre', p.title) END,
    'competences', COALESCE(co.j, '[]'::json),
    'participants', COALESCE(pa.j, {_zero_participants()}),
    'creation', {_stamp_sql("s.created_at")},
    'modification', {_stamp_sql("s.updated_at")}
  )
)::text
FROM page s
LEFT JOIN learners_venue v ON v.id = s.venue_id
LEFT JOIN wagtailcore_page p ON p.id = s.atelier_id
LEFT JOIN th ON th.session_id = s.id
LEFT JOIN co ON co.session_id = s.id
LEFT JOIN pa ON pa.session_id = s.id
ORDER BY s.updated_at, s.id
"""  # noqa: S608 - only generated SQL from constants; every value is a parameter


def _statement(
    *,
    structure_id: int | None,
    since: datetime.datetime | None,
    after: RecordPosition | None,
    size: int | None,
) -> tuple[str, list]:
    zone = settings.TIME_ZONE
    params: list = [zone]
    if structure_id is not None:
        params.append(structure_id)
    if since is not None:
        params.append(since)
    if after is not None:
        params += [after.modified, after.id]
    if size is not None:
        params.append(size)
    params += [*_kind_label_params(), zone]
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
            # For this transaction only: room for the hash aggregate of the whole
            # selection's attendances in memory (the default 4 MB spills it to disk in
            # batches), and no JIT compilation (seconds, for a plan run once).
            settings_cursor.execute(
                f"SET LOCAL work_mem = '{STREAM_WORK_MEM}'; SET LOCAL jit = off"
            )
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows
