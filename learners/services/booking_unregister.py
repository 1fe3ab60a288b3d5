"""« Désinscrire »: a counsellor takes a person's online sign-up off a session (the person
called to say they cannot come, or asked the structure to do it).

The one place `booking_cancel(by=STRUCTURE)` is called for a single sign-up: the place is
freed and offered to the waiting list, the person is told (notice « désinscription »,
wording « annulée par la structure »), and the change is audited on the sign-up (ids only).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.choices import AuditAction
from learners.models import BOOKING_ACTIVE_STATUSES, Booking, CancelledBy
from learners.scoping import can_access_session

from ._common import refuse
from .bookings import booking_cancel
from .bookings_audit import bookings_access_log

PURPOSE_UNREGISTERED = "désinscription par la structure"


def booking_unregister(*, user: AnyUser, booking: Booking) -> Booking:
    """Cancel one live sign-up of a session of the user's structure (all for the
    coordination). Refused (PermissionDenied) out of scope; (French ValidationError) when
    the sign-up is no longer live or its session has started; nothing changes then."""
    if not can_access_session(user, booking.session):
        refuse(_("Vous ne pouvez désinscrire que des personnes des séances de votre structure."))
    if booking.status not in BOOKING_ACTIVE_STATUSES:
        raise ValidationError(_("Cette inscription est déjà annulée."))
    cancelled = booking_cancel(booking=booking, by=CancelledBy.STRUCTURE)
    if not cancelled:
        raise ValidationError(_("Cette séance a déjà commencé : on ne désinscrit plus."))
    bookings_access_log(
        user=user, action=AuditAction.UPDATE, bookings=cancelled, purpose=PURPOSE_UNREGISTERED
    )
    return cancelled[0]
