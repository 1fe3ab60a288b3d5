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

from django.db.models import Count, F, Q, QuerySet

from learners.age_bands import AgeBand, age_band_expression
from learners.choices import AttendanceStatus, Gender
from learners.models import AnonymousParticipants, Attendance, Session

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
    """Themes, competences and participant counts of these records, four queries."""
    by_id = {record.id: record for record in records}
    if not by_id:
        return
    ids = list(by_id)
    themes = Session.themes.through.objects.filter(session_id__in=ids)
    for session_id, slug, name in themes.order_by("theme__sort_order", "theme__name").values_list(
        "session_id", "theme__slug", "theme__name"
    ):
        by_id[session_id].themes.append({"slug": slug, "label": name})
    competences = Session.competences.through.objects.filter(session_id__in=ids)
    for session_id, code in competences.order_by("competence__code").values_list(
        "session_id", "competence__code"
    ):
        by_id[session_id].competences.append(code)
    for session_id, band, gender, n in _present_counts(ids):
        _add(by_id[session_id].present_by_band, band, n)
        _add(by_id[session_id].present_by_gender, gender, n)
    anonymous = AnonymousParticipants.objects.filter(session_id__in=ids)
    for row in anonymous.values_list("session_id", "age_band", "gender", "count"):
        record = by_id[row[0]]
        _add(record.anonymous_by_band, row[1], row[3])
        _add(record.anonymous_by_gender, row[2], row[3])


def _present_counts(session_ids: list[int]) -> Iterable[tuple[int, str, str, int]]:
    """(session id, age band at the session, gender, people present), grouped in SQL."""
    return (
        Attendance.objects.filter(session_id__in=session_ids, status=AttendanceStatus.PRESENT)
        .annotate(band=age_band_expression(), sex=F("learner__gender"))
        .values("session_id", "band", "sex")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("session_id", "band", "sex", "n")
    )


def _add(counts: dict[str, int], key: str, n: int) -> None:
    counts[key] = counts.get(key, 0) + n


def activity_records_count(
    *, structure_id: int | None = None, since: datetime.datetime | None = None
) -> int:
    """How many records a full sync from `since` reads (for the benchmark and the docs)."""
    return activity_records_queryset(structure_id=structure_id, since=since).count()
