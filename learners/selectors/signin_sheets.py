"""The printable sign-in sheet (« feuille d'émargement ») funders ask for: per session,
the people expected (registered by the structure, then signed up online), then blank
lines up to the capacity. A constant number of queries for any number of sessions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from common.types import AnyUser
from learners.choices import SEAT_TAKING_STATUSES
from learners.models import (
    BOOKING_SEAT_STATUSES,
    Attendance,
    Booking,
    Counsellor,
    Session,
)
from learners.scoping import sessions_visible

MIN_BLANK_LINES = 4
MIN_LINES = 10


@dataclass(frozen=True)
class SigninRow:
    last_name: str
    first_name: str
    learner_id: int | None
    # The sign-up a line without a record comes from (its reading is audited).
    booking: Booking | None = None


@dataclass(frozen=True)
class SigninPage:
    session: Session
    rows: list[SigninRow]
    blank_lines: int

    @property
    def blank_range(self) -> range:
        return range(self.blank_lines)


def _blank_lines(capacity: int | None, taken: int) -> int:
    return max(MIN_BLANK_LINES, (capacity or MIN_LINES) - taken)


def signin_sheet_pages(*, user: AnyUser, sessions: QuerySet[Session]) -> list[SigninPage]:
    """One page per session the user may see (cancelled ones left out), soonest first."""
    listed = list(
        sessions_visible(user)
        .filter(pk__in=sessions.values("pk"), cancelled_at__isnull=True)
        .select_related("structure", "venue__commune")
        .prefetch_related(
            Prefetch("counsellors", queryset=Counsellor.objects.select_related("user"))
        )
        .order_by("start", "id")
    )
    ids = [s.pk for s in listed]
    rows: dict[int, list[SigninRow]] = defaultdict(list)
    for attendance in (
        Attendance.objects.filter(session_id__in=ids, status__in=SEAT_TAKING_STATUSES)
        .select_related("learner")
        .order_by("learner__normalized_last_name", "learner__normalized_first_name", "id")
    ):
        learner = attendance.learner
        rows[attendance.session_id].append(
            SigninRow(
                last_name="" if learner.is_anonymized else learner.last_name,
                first_name="" if learner.is_anonymized else learner.first_name,
                learner_id=learner.pk,
            )
        )
    for booking in Booking.objects.filter(
        session_id__in=ids, status__in=BOOKING_SEAT_STATUSES, attendance__isnull=True
    ).order_by("first_name", "id"):
        rows[booking.session_id].append(
            SigninRow(last_name="", first_name=booking.first_name, learner_id=None, booking=booking)
        )
    return [
        SigninPage(
            session=session,
            rows=rows[session.pk],
            blank_lines=_blank_lines(session.capacity, len(rows[session.pk])),
        )
        for session in listed
    ]


def series_sessions(*, user: AnyUser, series_id: int) -> QuerySet[Session]:
    return sessions_visible(user).filter(series_id=series_id)
