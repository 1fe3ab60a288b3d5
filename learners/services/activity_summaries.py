"""Keep `SessionActivitySummary` equal to the participants of each session's record.

The counts are those of `learners.selectors.activity_records` (the reference): people
marked « présent », their age band at the session's year in the site's time zone (rule of
`learners.age_bands`) and gender, plus the anonymous participants. Refreshing a set of
sessions deletes their rows and writes new ones for those with participants, in the
caller's transaction. On PostgreSQL one set-based statement computes them (also used to
rebuild every summary: the migration, `manage.py activity_summaries_rebuild`, the national
generator); elsewhere they are computed in Python, 1,000 sessions at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from learners.age_bands import AgeBand, age_band, age_band_sql
from learners.choices import AttendanceStatus, Gender
from learners.models import AnonymousParticipants, Attendance, Session, SessionActivitySummary

BAND_CODES = tuple(band.value for band in AgeBand)
GENDER_CODES = tuple(gender.value for gender in Gender)
CHUNK = 1000
REBUILD_WORK_MEM = "256MB"
_TABLE = SessionActivitySummary._meta.db_table


def activity_summaries_refresh(*, session_ids: Iterable[int]) -> int:
    """Recompute the summaries of these sessions (in the caller's transaction: the
    services call it inside theirs); the number of sessions. Two queries per 1,000
    sessions on PostgreSQL, at most four elsewhere."""
    ids = sorted(set(session_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        SessionActivitySummary.objects.filter(session_id__in=chunk).delete()
        if connection.vendor == "postgresql":
            _insert_sql(session_ids=chunk)
        else:
            SessionActivitySummary.objects.bulk_create(_computed(chunk))
    return len(ids)


def activity_summaries_refresh_for_people(*, learner_ids: Iterable[int]) -> int:
    """Recompute the summaries of the sessions where these people are present."""
    ids = sorted(set(learner_ids))
    if not ids:
        return 0
    sessions = Attendance.objects.filter(
        learner_id__in=ids, status=AttendanceStatus.PRESENT
    ).values_list("session_id", flat=True)
    return activity_summaries_refresh(session_ids=list(sessions))


def activity_summaries_rebuild() -> int:
    """Recompute every summary (after a bulk load or to repair); the number of rows."""
    with transaction.atomic():
        SessionActivitySummary.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The whole attendance table grouped once: room for the hash aggregate.
                cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'; SET LOCAL jit = off")
            _insert_sql(session_ids=None)
        else:
            ids = list(Session.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), CHUNK):
                SessionActivitySummary.objects.bulk_create(_computed(ids[start : start + CHUNK]))
        return SessionActivitySummary.objects.count()


def _computed(ids: list[int]) -> list[SessionActivitySummary]:
    """The summaries of these sessions computed in Python (those with participants)."""
    rows: dict[int, SessionActivitySummary] = {}

    def summary(session_id: int) -> SessionActivitySummary:
        if session_id not in rows:
            rows[session_id] = SessionActivitySummary(
                session_id=session_id,
                by_age_band=dict.fromkeys(BAND_CODES, 0),
                by_gender=dict.fromkeys(GENDER_CODES, 0),
            )
        return rows[session_id]

    present = Attendance.objects.filter(session_id__in=ids, status=AttendanceStatus.PRESENT)
    for session_id, start, birth_year, gender in present.values_list(
        "session_id", "session__start", "learner__birth_year", "learner__gender"
    ):
        row = summary(session_id)
        row.registered += 1
        year = timezone.localdate(start).year
        _count(row, age_band(birth_year, datetime.date(year, 7, 1)), gender, 1)
    anonymous = AnonymousParticipants.objects.filter(session_id__in=ids)
    for session_id, band, gender, n in anonymous.values_list(
        "session_id", "age_band", "gender", "count"
    ):
        row = summary(session_id)
        row.anonymous += n
        _count(row, band, gender, n)
    return [rows[pk] for pk in sorted(rows)]


def _count(row: SessionActivitySummary, band: str, gender: str, n: int) -> None:
    if band in row.by_age_band:
        row.by_age_band[band] += n
    if gender in row.by_gender:
        row.by_gender[gender] += n


def _counts_jsonb(column: str, codes: tuple[str, ...]) -> str:
    pairs = ", ".join(
        f"'{code}', COALESCE(SUM(x.n) FILTER (WHERE x.{column} = '{code}'), 0)" for code in codes
    )
    return f"jsonb_build_object({pairs})"


def _insert_sql(*, session_ids: list[int] | None) -> None:
    """INSERT … SELECT of the summaries of these sessions (all when None), PostgreSQL."""
    only = "" if session_ids is None else "AND a.session_id = ANY(%(ids)s)"
    only_anonymous = "" if session_ids is None else "WHERE ap.session_id = ANY(%(ids)s)"
    sql = f"""
INSERT INTO {_TABLE} (session_id, registered, anonymous, by_age_band, by_gender)
SELECT x.session_id,
       COALESCE(SUM(x.n) FILTER (WHERE x.registered), 0),
       COALESCE(SUM(x.n) FILTER (WHERE NOT x.registered), 0),
       {_counts_jsonb("band", BAND_CODES)},
       {_counts_jsonb("gender", GENDER_CODES)}
FROM (
  SELECT a.session_id, TRUE AS registered,
         {age_band_sql("(date_part('year', s.start AT TIME ZONE %(zone)s)::int - l.birth_year)")}
           AS band,
         l.gender AS gender, 1 AS n
  FROM {Attendance._meta.db_table} a
  JOIN {Session._meta.db_table} s ON s.id = a.session_id
  JOIN learners_learner l ON l.id = a.learner_id
  WHERE a.status = '{AttendanceStatus.PRESENT.value}' {only}
  UNION ALL
  SELECT ap.session_id, FALSE, ap.age_band, ap.gender, ap.count
  FROM {AnonymousParticipants._meta.db_table} ap {only_anonymous}
) x
GROUP BY x.session_id
"""  # noqa: S608 - generated from constants; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"zone": settings.TIME_ZONE, "ids": session_ids})
