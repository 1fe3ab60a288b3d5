"""Reads of public sign-ups: the person's own (by the secret token of their links, or their
carnet) and the staff's, scoped like people (`learners.scoping`): a counsellor sees the
sign-ups of their structure's sessions, a coordinator all, anyone else none."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.types import AnyUser
from learners.choices import SessionKind
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Learner,
    Session,
    Venue,
)
from learners.scoping import scope_structure_id

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_RELATED = ("venue", "venue__commune", "series", "atelier", "structure")


def booking_by_token(token: str) -> Booking | None:
    """The booking a link's token names (with its session and place), or None."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    return (
        Booking.objects.select_related(*(f"session__{name}" for name in SESSION_RELATED))
        .filter(token=token)
        .first()
    )


def booking_group(booking: Booking) -> list[Booking]:
    """The bookings made with this one (a whole cycle), by date, with their sessions."""
    return list(
        Booking.objects.filter(group=booking.group)
        .select_related("session")
        .order_by("session__start", "pk")
    )


def waitlist_rank(booking: Booking) -> int | None:
    """1 for the first person waiting; None when the booking is not on the waiting list."""
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, status=BookingStatus.WAITING
    ).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def bookings_for_carnet(learner: Learner) -> QuerySet[Booking]:
    """The person's live sign-ups to sessions to come, soonest first (their carnet)."""
    return (
        Booking.objects.filter(
            learner=learner,
            status__in=BOOKING_ACTIVE_STATUSES,
            session__start__gt=timezone.now(),
            session__cancelled_at__isnull=True,
        )
        .select_related("session", "session__venue", "session__venue__commune")
        .order_by("session__start", "pk")
    )


def bookings_visible(user: AnyUser) -> QuerySet[Booking]:
    scope = scope_structure_id(user)
    if scope is None:
        return Booking.objects.none()
    if scope is True:
        return Booking.objects.all()
    return Booking.objects.filter(session__structure_id=scope)


def session_for_signup(session_id: int) -> Session | None:
    """A session as the public sign-up page shows it (any state: the page explains an
    unpublished, cancelled or past one), or None."""
    return Session.objects.select_related(*SESSION_RELATED).filter(pk=session_id).first()


def session_for_booking(session_id: int) -> Session | None:
    """A session as a sign-up needs it (the row, its venue's state and its cycle; nothing
    shown), or None."""
    return Session.objects.select_related("series", "venue").filter(pk=session_id).first()


def session_is_public(session: Session) -> bool:
    """Shown to the public, as the agenda's lists do: published, of a public kind, at a
    venue still active (a closed venue's sessions are no longer offered)."""
    return (
        session.is_published
        and session.kind != SessionKind.INDIVIDUAL
        and session.venue_id is not None
        and session.venue is not None
        and session.venue.is_active
    )


def cycle_sessions(session: Session) -> list[Session]:
    """The other published dates of the session's cycle, by date (empty without a cycle)."""
    if session.series_id is None:
        return []
    return list(
        Session.objects.filter(series_id=session.series_id, is_published=True)
        .exclude(kind=SessionKind.INDIVIDUAL)
        .order_by("start", "pk")
    )


def venue_taking_requests(venue_id: int) -> Venue | None:
    """An active venue that takes appointment requests, or None."""
    return (
        Venue.objects.select_related("commune")
        .filter(pk=venue_id, is_active=True, takes_appointments=True)
        .first()
    )
