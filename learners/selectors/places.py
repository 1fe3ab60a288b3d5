"""Places of a session: who holds one, how many are free, how long the waiting list is.

A place is held by an attendance « inscrit » or « présent » (registered by a counsellor),
or by a public sign-up (`Booking`) confirmed or offered that is not yet linked to an
attendance (once a counsellor marks the person present, the attendance holds the place and
the sign-up points to it: counted once). Both the public sign-up and the counsellor's
registration count places with `seats_taken_count`, inside a transaction that locks the
session row, so two requests cannot both take the last place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from learners.choices import SEAT_TAKING_STATUSES
from learners.models import (
    BOOKING_SEAT_STATUSES,
    Attendance,
    Booking,
    BookingStatus,
    Session,
)


@dataclass(frozen=True)
class Places:
    capacity: int | None  # None: places not limited
    taken: int
    waiting: int
    waitlist_capacity: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def waitlist_open(self) -> bool:
        return self.waiting < self.waitlist_capacity


def _booked_seats() -> Q:
    """The sign-ups holding a place on their own (not yet an attendance)."""
    return Q(status__in=BOOKING_SEAT_STATUSES, attendance__isnull=True)


def booking_seats_count(session_id: int) -> int:
    """Places held by online sign-ups not yet linked to an attendance (one query)."""
    return Booking.objects.filter(_booked_seats(), session_id=session_id).count()


def booking_seats_by_session(session_ids: Iterable[int]) -> dict[int, int]:
    """`booking_seats_count` of many sessions in one query."""
    return dict(
        Booking.objects.filter(_booked_seats(), session_id__in=list(session_ids))
        .values_list("session_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def booking_seats_subquery(session_ref: str = "pk") -> Coalesce:
    """`booking_seats_count` as an annotation on a queryset of sessions (`session_ref`
    names the session id in the outer query): add it to the attendances holding a place."""
    counted = (
        Booking.objects.filter(_booked_seats(), session_id=OuterRef(session_ref))
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _held_by_attendances(**session: object) -> QuerySet[Attendance]:
    return Attendance.objects.filter(status__in=SEAT_TAKING_STATUSES, **session)


def _session_counts(session_id: int) -> tuple[int, int, int]:
    """(places held by attendances, places held by sign-ups, people waiting): one query, in
    SQL (the ORM spent more CPU composing three subqueries than PostgreSQL running them;
    this runs in every sign-up, under the session's lock). The same rule as
    `places_by_session`."""
    attendance, booking = Attendance._meta.db_table, Booking._meta.db_table
    seat_marks = ", ".join(["%s"] * len(SEAT_TAKING_STATUSES))
    booking_marks = ", ".join(["%s"] * len(BOOKING_SEAT_STATUSES))
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {attendance} WHERE session_id = %s"  # noqa: S608 - names from the models
        f" AND status IN ({seat_marks})),"
        f" COUNT(*) FILTER (WHERE status IN ({booking_marks}) AND attendance_id IS NULL),"
        f" COUNT(*) FILTER (WHERE status = %s)"
        f" FROM {booking} WHERE session_id = %s"
    )
    params: list[int | str] = [
        session_id,
        *SEAT_TAKING_STATUSES,
        *BOOKING_SEAT_STATUSES,
        BookingStatus.WAITING,
        session_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        held, booked, waiting = cursor.fetchone()
    return int(held), int(booked), int(waiting)


def seats_taken_count(session_id: int) -> int:
    """Places held at this session (one query; call it with the session row locked)."""
    held, booked, _waiting = _session_counts(session_id)
    return held + booked


def places_by_session(sessions: Iterable[Session]) -> dict[int, Places]:
    """Places of many sessions in two queries (the agenda's lists)."""
    sessions = list(sessions)
    ids = [s.pk for s in sessions]
    held = dict(
        _held_by_attendances(session_id__in=ids)
        .values_list("session_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    booked: dict[int, tuple[int, int]] = {
        row["session_id"]: (row["seats"], row["waiting"])
        for row in Booking.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(
            seats=Count("id", filter=_booked_seats()),
            waiting=Count("id", filter=Q(status=BookingStatus.WAITING)),
        )
        .order_by()
    }
    places = {}
    for session in sessions:
        seats, waiting = booked.get(session.pk, (0, 0))
        places[session.pk] = Places(
            capacity=session.capacity,
            taken=held.get(session.pk, 0) + seats,
            waiting=waiting,
            waitlist_capacity=session.waitlist_capacity,
        )
    return places


def session_places(session: Session) -> Places:
    """Places of one session in one query (with the row locked: the count a sign-up uses)."""
    return places_of(
        session.pk, capacity=session.capacity, waitlist_capacity=session.waitlist_capacity
    )


def places_of(session_id: int, *, capacity: int | None, waitlist_capacity: int) -> Places:
    """Places of the session `session_id` whose capacities are known (one query)."""
    held, booked, waiting = _session_counts(session_id)
    return Places(
        capacity=capacity,
        taken=held + booked,
        waiting=waiting,
        waitlist_capacity=waitlist_capacity,
    )
