"""Reads of the online sign-ups on the counsellor's side: a session's sign-ups on its
attendance sheet (confirmed, then the waiting list with its rank), no-shows, the record a
sign-up precisely matches, and the appointment requests of the structure's venues.

Sign-ups are personal data scoped like people: a counsellor reads those of their
structure's sessions, the coordination all (`bookings_visible`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from common.text import fold
from common.types import AnyUser
from learners.contacts import phone_e164_or_empty
from learners.models import (
    BOOKING_SEAT_STATUSES,
    AppointmentRequest,
    AppointmentRequestStatus,
    Booking,
    BookingStatus,
    Learner,
    Session,
)
from learners.scoping import learners_visible, scope_structure_id

from .bookings import bookings_visible
from .people import learner_link_match


@dataclass(frozen=True)
class SheetBookings:
    """The sign-ups of one session not yet on the sheet as a person: holding a place
    (confirmed or offered), then the waiting list in order (rank from 1)."""

    seated: list[Booking]
    waiting: list[tuple[int, Booking]]
    # Confirmed sign-ups of this session, over, never marked present.
    no_shows: int


def sheet_bookings(*, user: AnyUser, session: Session) -> SheetBookings:
    """One query, whatever the number of sign-ups."""
    rows = list(
        bookings_visible(user)
        .filter(
            session_id=session.pk,
            status__in=[*BOOKING_SEAT_STATUSES, BookingStatus.WAITING],
        )
        .order_by("created_at", "id")
    )
    over = session.start + datetime.timedelta(minutes=session.duration_minutes) < timezone.now()
    seated = [b for b in rows if b.status in BOOKING_SEAT_STATUSES and b.attendance_id is None]
    waiting = [b for b in rows if b.status == BookingStatus.WAITING and b.attendance_id is None]
    no_shows = (
        sum(1 for b in rows if b.status == BookingStatus.CONFIRMED and b.attendance_id is None)
        if over and not session.is_cancelled
        else 0
    )
    return SheetBookings(
        seated=seated,
        waiting=list(enumerate(waiting, start=1)),
        no_shows=no_shows,
    )


def booking_get_for_user(*, user: AnyUser, booking_id: int) -> Booking:
    """One sign-up, or `Booking.DoesNotExist` when absent or out of scope."""
    return bookings_visible(user).select_related("session", "learner").get(pk=booking_id)


def no_shows_visible(user: AnyUser, *, since: datetime.date | None = None) -> QuerySet[Booking]:
    """Confirmed sign-ups of sessions over (not cancelled) never marked present."""
    qs = bookings_visible(user).filter(
        status=BookingStatus.CONFIRMED,
        attendance__isnull=True,
        session__cancelled_at__isnull=True,
        session__start__lt=timezone.now(),
    )
    if since is not None:
        qs = qs.filter(
            session__start__gte=timezone.make_aware(
                datetime.datetime.combine(since, datetime.time.min)
            )
        )
    return qs


def bookings_upcoming(*, user: AnyUser) -> QuerySet[Booking]:
    """Live sign-ups of today's and later sessions, soonest session first."""
    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return (
        bookings_visible(user)
        .filter(
            session__start__gte=today,
            session__cancelled_at__isnull=True,
            status__in=[*BOOKING_SEAT_STATUSES, BookingStatus.WAITING],
        )
        .select_related("session__venue")
        .order_by("session__start", "session_id", "created_at", "id")
    )


def appointment_requests_visible(user: AnyUser) -> QuerySet[AppointmentRequest]:
    """Requests to the venues of the user's structure (all for the coordination)."""
    scope = scope_structure_id(user)
    if scope is None:
        return AppointmentRequest.objects.none()
    qs = AppointmentRequest.objects.all()
    if scope is not True:
        qs = qs.filter(venue__structure_id=scope)
    return qs


def appointment_requests_open(*, user: AnyUser) -> QuerySet[AppointmentRequest]:
    return (
        appointment_requests_visible(user)
        .filter(status=AppointmentRequestStatus.NEW)
        .select_related("venue")
        .order_by("created_at", "id")
    )


def booking_learner_match(*, user: AnyUser, booking: Booking) -> list[Learner]:
    """The records the user's structure follows that match the sign-up PRECISELY: the
    same first name (accents, case, hyphens ignored) and the same phone number or e-mail.
    A sign-up holds no last name nor birth year, so it is never compared with other
    structures' records (`learner_link_match` says the same: an imprecise description
    finds the structure's own records only)."""
    if booking.learner_id is not None:
        linked = learners_visible(user).filter(pk=booking.learner_id).first()
        if linked is not None:
            return [linked]
    phone = phone_e164_or_empty(booking.phone) if booking.phone else ""
    email = booking.email.strip().casefold()
    if not phone and not email:
        return []
    return [
        learner
        for learner in booking_name_candidates(user=user, booking=booking)
        if (phone and learner.phone and phone_e164_or_empty(learner.phone) == phone)
        or (email and learner.email.strip().casefold() == email)
    ]


def booking_name_candidates(*, user: AnyUser, booking: Booking) -> list[Learner]:
    """The structure's records with the sign-up's first name, for the counsellor to pick
    from (by the one linking rule, `learner_link_match`: own records only)."""
    if not fold(booking.first_name):
        return []
    return learner_link_match(user=user, first_name=booking.first_name, limit=20).own
