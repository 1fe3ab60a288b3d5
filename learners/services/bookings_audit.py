"""Audit of the public agenda's personal data, like the reads of people
(`learners.services.audit`): who read the list of sign-ups of a session or a structure,
the appointment requests of a venue, checked a sign-up in, erased them.

One row per sign-up or request read, in one query: `learner` is the linked person when
there is one (so the person's data export lists it), and `detail` starts with the row's
tag (`inscription:12 ;`, `demande-rdv:7 ;`), so the export by phone or e-mail
(`learners.selectors.bookings_privacy.contact_data_export`) finds the reads of sign-ups
linked to no one. Never a name or a contact in `detail`: ids and a fixed purpose only.
The counsellor's views call these (the attendance sheet, the list of upcoming sign-ups,
the sign-in sheet, the appointment requests); the check-in service calls
`booking_check_in_log`.
"""

from __future__ import annotations

from collections.abc import Iterable

from common.types import AnyUser
from learners.choices import AuditAction
from learners.models import AppointmentRequest, AuditLog, Booking, Learner
from learners.selectors.bookings_privacy import appointment_audit_tag, booking_audit_tag

from .audit import _row

# Fixed purposes written after the tag (no personal data).
PURPOSE_SESSION_LIST = "liste des inscrits de la séance"
PURPOSE_STRUCTURE_LIST = "liste des inscriptions de la structure"
PURPOSE_SIGN_IN_SHEET = "feuille d'émargement"
PURPOSE_CHECK_IN = "inscription pointée présente"
PURPOSE_REQUESTS_LIST = "liste des demandes de rendez-vous"
PURPOSE_REQUEST_HANDLED = "demande de rendez-vous traitée"
PURPOSE_ERASED = "effacement à la demande de la personne"


def bookings_access_log(
    *, user: AnyUser | None, action: str, bookings: Iterable[Booking], purpose: str
) -> list[AuditLog]:
    """One audit row per sign-up shown, exported or changed (`action` an `AuditAction`),
    in two queries whatever the number (the linked people's network ids are read once)."""
    bookings = list(bookings)
    people = Learner.objects.only("pk", "network_id").in_bulk(
        {b.learner_id for b in bookings if b.learner_id is not None}
    )
    rows = [
        _row(
            user=user,
            action=action,
            learner=people.get(booking.learner_id) if booking.learner_id else None,
            detail=f"{booking_audit_tag(booking.pk)} {purpose} {booking.session_id}",
        )
        for booking in bookings
    ]
    return AuditLog.objects.bulk_create(rows)


def session_bookings_read_log(
    *, user: AnyUser, bookings: Iterable[Booking], sheet: bool = False
) -> list[AuditLog]:
    """The list of a session's sign-ups (or its printable sign-in sheet) was shown."""
    purpose = PURPOSE_SIGN_IN_SHEET if sheet else PURPOSE_SESSION_LIST
    return bookings_access_log(
        user=user, action=AuditAction.READ, bookings=bookings, purpose=purpose
    )


def structure_bookings_read_log(*, user: AnyUser, bookings: Iterable[Booking]) -> list[AuditLog]:
    """A list of sign-ups across sessions (the structure's page of sign-ups) was shown."""
    return bookings_access_log(
        user=user, action=AuditAction.READ, bookings=bookings, purpose=PURPOSE_STRUCTURE_LIST
    )


def booking_check_in_log(*, user: AnyUser, booking: Booking) -> AuditLog:
    """A sign-up was marked present (linked to, or created as, a person)."""
    return bookings_access_log(
        user=user, action=AuditAction.UPDATE, bookings=[booking], purpose=PURPOSE_CHECK_IN
    )[0]


def appointment_requests_access_log(
    *,
    user: AnyUser | None,
    action: str,
    requests: Iterable[AppointmentRequest],
    purpose: str = PURPOSE_REQUESTS_LIST,
) -> list[AuditLog]:
    rows = [
        _row(
            user=user,
            action=action,
            learner=None,
            detail=f"{appointment_audit_tag(r.pk)} {purpose} {r.venue_id}",
        )
        for r in requests
    ]
    return AuditLog.objects.bulk_create(rows)


def agenda_erasure_log(
    *,
    user: AnyUser,
    bookings: Iterable[Booking],
    requests: Iterable[AppointmentRequest],
) -> list[AuditLog]:
    """The erasure by contact (`contact_erase`): logged per row, before it (the rows keep
    their ids, so the log still says what was erased)."""
    return bookings_access_log(
        user=user, action=AuditAction.ANONYMIZE, bookings=bookings, purpose=PURPOSE_ERASED
    ) + appointment_requests_access_log(
        user=user, action=AuditAction.ANONYMIZE, requests=requests, purpose=PURPOSE_ERASED
    )
