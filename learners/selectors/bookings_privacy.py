"""Reads of the public agenda's personal data for the rights of the people (RGPD art. 15,
17, 20): sign-ups (`Booking`) and appointment requests (`AppointmentRequest`).

Scope, like people (`learners.scoping`): a coordinator reads every sign-up and request; a
counsellor (structure manager included) those made for a session or a venue of their
structure; anyone else (partner editor, anonymous) nothing, as an empty queryset.

A person who only signed up online has rights too, without a record: the coordination
(or the structure) finds what was made with their phone number or e-mail address
(`contact_data_export`), never linked to a person. What is linked to a person is in that
person's data export (`booking_items_of_learner`, used by `learners.selectors.privacy`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from common.french_text import french_de
from common.types import AnyUser
from learners.contacts import email_normalize, phone_e164_or_empty, phone_normalize
from learners.models import AppointmentRequest, AuditLog, Booking, Learner, MessageSent
from learners.scoping import scope_structure_id
from learners.selectors.bookings import bookings_visible
from learners.selectors.session_bookings import appointment_requests_visible

# Audit rows about a sign-up or a request start with these (ids only, no personal data):
# "inscription:12 ; liste de la séance 4". The contact export finds them by this prefix.
BOOKING_AUDIT_PREFIX = "inscription:"
APPOINTMENT_AUDIT_PREFIX = "demande-rdv:"


def booking_audit_tag(booking_id: int) -> str:
    return f"{BOOKING_AUDIT_PREFIX}{booking_id} ;"


def appointment_audit_tag(request_id: int) -> str:
    return f"{APPOINTMENT_AUDIT_PREFIX}{request_id} ;"


# --- Scope ------------------------------------------------------------------------------------


# --- Contacts as people type them -------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A phone number (E.164, as sign-ups store it) and/or an e-mail address (lower case)."""

    phone: str = ""
    email: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.phone and not self.email

    def filter(self) -> Q:
        """Rows made with this phone or this e-mail (never matches an empty contact)."""
        condition = Q(pk__in=[])
        if self.phone:
            condition |= Q(phone=self.phone)
        if self.email:
            condition |= Q(email__iexact=self.email)
        return condition


def contact_parse(*, phone: str = "", email: str = "") -> Contact:
    """The contact to look for, checked: ValidationError with a French message when both
    are empty or one is malformed."""
    contact = Contact(phone=phone_normalize(phone, mobile_only=False), email=email_normalize(email))
    if contact.is_empty:
        raise ValidationError(contact_missing_message())
    return contact


def contact_missing_message() -> str:
    return _("Indiquez un numéro de téléphone ou une adresse e-mail.")


_R = TypeVar("_R", Booking, AppointmentRequest)


def with_any_contact(rows: QuerySet[_R], contacts: Iterable[Contact]) -> QuerySet[_R]:
    """Rows made with any of these contacts, in one query whatever their number."""
    contacts = list(contacts)
    phones = {c.phone for c in contacts if c.phone}
    emails = {c.email for c in contacts if c.email}
    return rows.alias(email_folded=Lower("email")).filter(
        Q(pk__in=[]) | Q(phone__in=phones) | Q(email_folded__in=emails)
    )


def learner_contact(learner: Learner) -> Contact:
    """The contact details on a person's record, normalised like sign-ups' (a phone that
    does not parse is left out: it cannot match a sign-up anyway)."""
    return Contact(
        phone=phone_e164_or_empty(learner.phone), email=(learner.email or "").strip().lower()
    )


# --- Export items -----------------------------------------------------------------------------


def _dt(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _message_items(booking: Booking) -> list[dict[str, Any]]:
    return [
        {
            "message": message.get_kind_display(),
            "canal": message.get_channel_display(),
            "envoye_le": _dt(message.sent_at),
        }
        for message in booking.messages.all()
    ]


def booking_item(booking: Booking) -> dict[str, Any]:
    """One sign-up as the data export shows it (the session and venue selected, the
    messages prefetched: `with_export_relations`)."""
    session = booking.session
    venue = session.venue
    return {
        "seance_du": _dt(session.start),
        "seance": session.display_title,
        "lieu": venue.name if venue else "",
        "structure": session.structure.name,
        "prenom": booking.first_name,
        "telephone": booking.phone,
        "courriel": booking.email,
        "accepte_d_etre_prevenue": booking.reminder_consent,
        "statut": booking.get_status_display(),
        "inscrite_le": _dt(booking.created_at),
        "annulee_le": _dt(booking.cancelled_at),
        "annulee_par": booking.get_cancelled_by_display() if booking.cancelled_by else "",
        "coordonnees_effacees_le": _dt(booking.contact_erased_at),
        "messages_envoyes": _message_items(booking),
    }


def appointment_item(request: AppointmentRequest) -> dict[str, Any]:
    return {
        "lieu": request.venue.name,
        "structure": request.venue.structure.name,
        "prenom": request.first_name,
        "telephone": request.phone,
        "courriel": request.email,
        "disponibilites": request.availability,
        "objet": request.topic,
        "statut": request.get_status_display(),
        "demandee_le": _dt(request.created_at),
        "traitee_le": _dt(request.handled_at),
        "coordonnees_effacees_le": _dt(request.contact_erased_at),
    }


def with_export_relations(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """What `booking_item` reads, in two queries whatever the number of sign-ups."""
    return bookings.select_related(
        "session__venue", "session__structure", "session__atelier"
    ).prefetch_related(
        Prefetch("messages", queryset=MessageSent.objects.order_by("created_at", "id"))
    )


def bookings_of_learner(
    *, user: AnyUser, learner: Learner, complete: bool = False
) -> QuerySet[Booking]:
    """The sign-ups linked to a (visible) person that the user reads in their export:
    their structure's sessions, or all of them when `complete` (coordination, or the
    person's consent to share with the user's structure)."""
    qs = Booking.objects.filter(learner_id=learner.pk)
    return qs if complete else qs.filter(pk__in=bookings_visible(user).values("pk"))


def booking_items_of_learner(
    *, user: AnyUser, learner: Learner, complete: bool = False
) -> list[dict[str, Any]]:
    bookings = bookings_of_learner(user=user, learner=learner, complete=complete)
    return [
        booking_item(b) for b in with_export_relations(bookings).order_by("session__start", "id")
    ]


# --- Export by contact ------------------------------------------------------------------------


def bookings_of_contact(*, user: AnyUser, contact: Contact) -> QuerySet[Booking]:
    """Sign-ups in the user's scope made with this contact and linked to no person."""
    return bookings_visible(user).filter(contact.filter(), learner__isnull=True)


def appointment_requests_of_contact(
    *, user: AnyUser, contact: Contact
) -> QuerySet[AppointmentRequest]:
    return appointment_requests_visible(user).filter(contact.filter())


def _audit_actor(entry: AuditLog) -> str:
    if entry.structure is not None:
        return _("conseiller ou conseillère numérique %(of_structure)s") % {
            "of_structure": french_de(entry.structure.name)
        }
    if entry.user_id is not None:
        return _("la coordination du réseau")
    return _("traitement automatique")


def _audit_items(*, user: AnyUser, tags: list[str]) -> list[dict[str, Any]]:
    """Who read or changed these sign-ups and requests (the entries of the user's own
    structure for a counsellor, every entry for the coordination)."""
    if not tags:
        return []
    entries = AuditLog.objects.filter(learner__isnull=True)
    matches = Q(pk__in=[])
    for tag in tags:
        matches |= Q(detail__startswith=tag)
    entries = entries.filter(matches)
    scope = scope_structure_id(user)
    if scope is None:
        return []
    if scope is not True:
        entries = entries.filter(structure_id=scope)
    return [
        {
            "date": _dt(entry.created_at),
            "action": entry.get_action_display(),
            "detail": entry.detail,
            "par": _audit_actor(entry),
        }
        for entry in entries.select_related("structure").order_by("created_at", "id")
    ]


def contact_data_export(*, user: AnyUser, contact: Contact) -> dict[str, Any]:
    """Everything in the user's scope made with this phone or e-mail and never linked to a
    person (a person's record has its own export), in a constant number of queries (five).
    `inscriptions_liees_a_une_fiche` counts the sign-ups with this contact that are linked
    to a person: their data is in that person's export."""
    scope = scope_structure_id(user)
    bookings = list(
        with_export_relations(bookings_of_contact(user=user, contact=contact)).order_by(
            "session__start", "id"
        )
    )
    requests = list(
        appointment_requests_of_contact(user=user, contact=contact)
        .select_related("venue__structure")
        .order_by("created_at", "id")
    )
    linked = bookings_visible(user).filter(contact.filter(), learner__isnull=False).count()
    tags = [booking_audit_tag(b.pk) for b in bookings] + [
        appointment_audit_tag(r.pk) for r in requests
    ]
    return {
        "document": _("Inscriptions et demandes de rendez-vous enregistrées dans Pas à pas"),
        "genere_le": _dt(timezone.now()),
        "perimetre": (
            _("toutes les structures du réseau")
            if scope is True
            else _(
                "la structure qui a produit cet export ; la coordination du réseau peut "
                "fournir l'export complet"
            )
        ),
        "recherche": {"telephone": contact.phone, "courriel": contact.email},
        "inscriptions": [booking_item(b) for b in bookings],
        "demandes_de_rendez_vous": [appointment_item(r) for r in requests],
        "inscriptions_liees_a_une_fiche": linked,
        "journal_des_acces": _audit_items(user=user, tags=tags),
    }
