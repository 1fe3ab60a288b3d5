"""Activity records: one anonymous record per session, as the read API publishes them.

A record says what happened, never who: date and time, kind, duration, place (venue id
and the venue's commune INSEE code), themes, atelier, competences worked on, and how many
people took part, by age band and by gender, computed here from the people present
(« présent » only, band at the session date: `learners.age_bands`) plus the anonymous
participants. No name, contact detail or birth year is read into a record.

Records are read in the order of the API's cursor, (modification, id), where the
modification is `Session.updated_at` (kept current by `learners.services.activity_records`
for the writes that do not save the session). A page costs five queries whatever its size:
the sessions (one range scan of `session_sync_idx` or `session_structure_sync_idx`), then
their themes, competences, counts of people present and anonymous participants for the
page's ids only.

Cancelled sessions stay in the feed with `status` "annulee" (their cancellation bumps the
modification), so a warehouse syncing incrementally learns of them; the application never
deletes a session (a structure with sessions cannot be deleted either), so there are no
tombstones to publish.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from learners.age_bands import AgeBand, age_band
from learners.choices import AttendanceStatus, Gender
from learners.models import AnonymousParticipants, Attendance, Learner, Session
from workshops.models import Competence, Theme

STATUS_ACTIVE = "active"
STATUS_CANCELLED = "annulee"
BAND_CODES = tuple(band.value for band in AgeBand)
GENDER_CODES = tuple(gender.value for gender in Gender)

_SESSION_COLUMNS = (
    "id",
    "updated_at",
    "created_at",
    "start",
    "kind",
    "duration_minutes",
    "place_type",
    "structure_id",
    "venue_id",
    "venue__commune_id",
    "atelier_id",
    "atelier__title",
    "cancelled_at",
)


@dataclass(frozen=True)
class RecordPosition:
    """Where a page starts: after the record (modified, id)."""

    modified: datetime.datetime
    id: int


@dataclass
class ActivityRecord:
    id: int
    modified: datetime.datetime
    created: datetime.datetime
    start: datetime.datetime
    kind: str
    duration_minutes: int
    place_type: str
    structure_id: int
    venue_id: int | None
    commune_code: str | None
    atelier: dict[str, Any] | None
    cancelled: bool
    themes: list[dict[str, str]] = field(default_factory=list)
    competences: list[str] = field(default_factory=list)
    present_by_band: dict[str, int] = field(default_factory=dict)
    present_by_gender: dict[str, int] = field(default_factory=dict)
    anonymous_by_band: dict[str, int] = field(default_factory=dict)
    anonymous_by_gender: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return STATUS_CANCELLED if self.cancelled else STATUS_ACTIVE

    @property
    def present(self) -> int:
        return sum(self.present_by_gender.values())

    @property
    def anonymous(self) -> int:
        return sum(self.anonymous_by_gender.values())

    def by_band(self) -> dict[str, int]:
        return {
            code: self.present_by_band.get(code, 0) + self.anonymous_by_band.get(code, 0)
            for code in BAND_CODES
        }

    def by_gender(self) -> dict[str, int]:
        return {
            code: self.present_by_gender.get(code, 0) + self.anonymous_by_gender.get(code, 0)
            for code in GENDER_CODES
        }


def activity_records_queryset(
    *, structure_id: int | None = None, since: datetime.datetime | None = None
) -> QuerySet[Session]:
    """The sessions published as records, in cursor order (a structure's only when
    `structure_id` is given; modified at or after `since` when given)."""
    sessions = Session.objects.order_by("updated_at", "id")
    if structure_id is not None:
        sessions = sessions.filter(structure_id=structure_id)
    if since is not None:
        sessions = sessions.filter(updated_at__gte=since)
    return sessions


def activity_records_page(
    *,
    structure_id: int | None = None,
    since: datetime.datetime | None = None,
    after: RecordPosition | None = None,
    size: int = 100,
) -> list[ActivityRecord]:
    """Up to `size` records after `after` (five queries whatever `size`)."""
    sessions = activity_records_queryset(structure_id=structure_id, since=since)
    if after is not None:
        # The redundant `>=` gives PostgreSQL the start of the index range.
        sessions = sessions.filter(updated_at__gte=after.modified).filter(
            Q(updated_at__gt=after.modified) | Q(updated_at=after.modified, id__gt=after.id)
        )
    records = [_record(row) for row in sessions.values_list(*_SESSION_COLUMNS)[:size]]
    _complete(records)
    return records


def _record(row: tuple) -> ActivityRecord:
    values = dict(zip(_SESSION_COLUMNS, row, strict=True))
    atelier = None
    if values["atelier_id"] is not None:
        atelier = {"id": values["atelier_id"], "title": values["atelier__title"]}
    return ActivityRecord(
        id=values["id"],
        modified=values["updated_at"],
        created=values["created_at"],
        start=values["start"],
        kind=values["kind"],
        duration_minutes=values["duration_minutes"],
        place_type=values["place_type"],
        structure_id=values["structure_id"],
        venue_id=values["venue_id"],
        commune_code=values["venue__commune_id"],
        atelier=atelier,
        cancelled=values["cancelled_at"] is not None,
    )


def _complete(records: Iterable[ActivityRecord]) -> None:
    """Themes, competences and participant counts of these records, four queries.

    Plain SQL on purpose: these run once per page of up to 1,000 records, and compiling the
    equivalent ORM queries (the age band as a CASE expression, a list of ids as parameters)
    cost several times what PostgreSQL takes to answer them, which bounded a full sync's
    rate. The age band is derived here from the birth year grouped in SQL, under the same
    rule as `age_band_expression` (`learners.age_bands.age_band`)."""
    by_id = {record.id: record for record in records}
    if not by_id:
        return
    ids = list(by_id)
    for session_id, slug, name in _rows(_THEMES_SQL, ids):
        by_id[session_id].themes.append({"slug": slug, "label": name})
    for session_id, code in _rows(_COMPETENCES_SQL, ids):
        by_id[session_id].competences.append(code)
    years = {record.id: timezone.localdate(record.start).year for record in by_id.values()}
    bands: dict[tuple[int | None, int], str] = {}
    for session_id, birth_year, gender, n in _rows(_PRESENT_SQL, ids):
        record, year = by_id[session_id], years[session_id]
        band = bands.get((birth_year, year))
        if band is None:
            band = bands[(birth_year, year)] = age_band(birth_year, datetime.date(year, 7, 1))
        _add(record.present_by_band, band, n)
        _add(record.present_by_gender, gender, n)
    for session_id, band, gender, n in _rows(_ANONYMOUS_SQL, ids):
        record = by_id[session_id]
        _add(record.anonymous_by_band, band, n)
        _add(record.anonymous_by_gender, gender, n)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _rows(sql: str, ids: list[int]) -> list[tuple]:
    """`sql` with `IN ({ids})` for these ids: on PostgreSQL one array parameter
    (`= ANY(%s)`: the driver would otherwise parse a query of 1,000 placeholders), else one
    placeholder per id."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace("IN ({ids})", "= ANY(%s)"), [ids])
        else:
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


_SESSION_THEMES = Session.themes.through
_SESSION_COMPETENCES = Session.competences.through
_THEMES_SQL = (
    "SELECT st.session_id, t.slug, t.name "  # noqa: S608 - table names from the models
    f"FROM {_table(_SESSION_THEMES)} st JOIN {_table(Theme)} t ON t.id = st.theme_id "
    "WHERE st.session_id IN ({ids}) ORDER BY st.session_id, t.sort_order, t.name, t.id"
)
_COMPETENCES_SQL = (
    "SELECT sc.session_id, c.code "  # noqa: S608 - table names from the models
    f"FROM {_table(_SESSION_COMPETENCES)} sc "
    f"JOIN {_table(Competence)} c ON c.id = sc.competence_id "
    "WHERE sc.session_id IN ({ids}) ORDER BY sc.session_id, c.code"
)
_PRESENT_SQL = (
    "SELECT a.session_id, l.birth_year, l.gender, COUNT(*) "  # noqa: S608 - as above
    f"FROM {_table(Attendance)} a JOIN {_table(Learner)} l ON l.id = a.learner_id "
    f"WHERE a.session_id IN ({{ids}}) AND a.status = '{AttendanceStatus.PRESENT.value}' "
    "GROUP BY a.session_id, l.birth_year, l.gender"
)
_ANONYMOUS_SQL = (
    'SELECT session_id, age_band, gender, "count" '  # noqa: S608 - as above
    f"FROM {_table(AnonymousParticipants)} WHERE session_id IN ({{ids}})"
)


def _add(counts: dict[str, int], key: str, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


def activity_records_count(
    *, structure_id: int | None = None, since: datetime.datetime | None = None
) -> int:
    """How many records a full sync from `since` reads (for the benchmark and the docs)."""
    return activity_records_queryset(structure_id=structure_id, since=since).count()
