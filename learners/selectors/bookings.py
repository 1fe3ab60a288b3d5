"""Reads of the public sign-ups (minimal version written by the counsellor side: only
the scoping the interface names; the sign-up part owns and extends this module)."""

from __future__ import annotations

from django.db.models import QuerySet

from common.types import AnyUser
from learners.models import Booking
from learners.scoping import scope_structure_id


def bookings_visible(user: AnyUser) -> QuerySet[Booking]:
    """Sign-ups the user may read, scoped like people: a counsellor those of their
    structure's sessions, the coordination all, anyone else none."""
    scope = scope_structure_id(user)
    if scope is None:
        return Booking.objects.none()
    if scope is True:
        return Booking.objects.all()
    return Booking.objects.filter(session__structure_id=scope)
