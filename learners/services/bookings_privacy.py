"""Erasure and minimisation of the public agenda's personal data: sign-ups (`Booking`) and
appointment requests (`AppointmentRequest`).

Erasing a sign-up empties its first name (« Anonyme »), phone and e-mail, turns off the
reminder consent and sets `contact_erased_at`; erasing only its contact details keeps the
first name. The row itself stays, with its session, status, dates and attendance link:
the places of a session, the waiting list and the no-show counts stay right. Messages
sent (`MessageSent`) hold no contact details at all, only the kind, the channel, the date
and the SMS segments billed, so they need no erasure. Erasing an appointment request
empties its first name, contacts, availability and topic (free text the person typed).

When (the retention job, `agenda_minimise`, daily, idempotent, in batches):
- a sign-up's phone and e-mail: the day after its session ended (for a whole-cycle
  sign-up, after the last session of the cycle still signed up to), and at once when the
  person cancelled (the job is the safety net of `booking_contacts_erase_cancelled`);
- the first name of a sign-up never linked to a person: `RETENTION_MONTHS` (12) months
  after the session (a linked sign-up's name goes with the person's record);
- an appointment request: `APPOINTMENT_ERASE_DAYS_AFTER_HANDLED` (30) days after it was
  handled, at the next run once cancelled, and `APPOINTMENT_ERASE_MONTHS_UNHANDLED` (3)
  months after it was made if nobody handled it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.types import AnyUser
from learners.models import AppointmentRequest, Booking, Learner
from learners.models.bookings import (
    BOOKING_ACTIVE_STATUSES,
    AppointmentRequestStatus,
    BookingStatus,
    CancelledBy,
)
from learners.scoping import scope_structure_id
from learners.selectors.bookings import bookings_visible
from learners.selectors.bookings_privacy import (
    Contact,
    appointment_requests_of_contact,
    bookings_of_contact,
    contact_missing_message,
    learner_contact,
    with_any_contact,
)
from learners.selectors.privacy import months_before
from learners.selectors.session_bookings import appointment_requests_visible

from ._common import refuse

ANONYMIZED_FIRST_NAME = "Anonyme"
APPOINTMENT_ERASE_DAYS_AFTER_HANDLED = 30
APPOINTMENT_ERASE_MONTHS_UNHANDLED = 3
MINIMISE_BATCH = 1000

_CONTACT_ERASED = {"phone": "", "email": "", "reminder_consent": False}
_APPOINTMENT_ERASED = {
    "first_name": ANONYMIZED_FIRST_NAME,
    "phone": "",
    "email": "",
    "availability": "",
    "topic": "",
}


# --- Erasing rows -----------------------------------------------------------------------------


def _bookings_erase(bookings: QuerySet[Booking], *, names: bool, now: datetime.datetime) -> int:
    """Erase the contacts (and the first names when `names`) of these sign-ups, in one
    update. `contact_erased_at` keeps the first erasure's date."""
    values: dict[str, Any] = dict(
        _CONTACT_ERASED,
        updated_at=now,
        contact_erased_at=Coalesce(F("contact_erased_at"), Value(now)),
    )
    if names:
        values["first_name"] = ANONYMIZED_FIRST_NAME
    return bookings.update(**values)


def _appointments_erase(requests: QuerySet[AppointmentRequest], *, now: datetime.datetime) -> int:
    return requests.filter(contact_erased_at__isnull=True).update(
        **_APPOINTMENT_ERASED, contact_erased_at=now
    )


def bookings_erase_for_learners(*, user: AnyUser | None, learners: Iterable[Learner]) -> int:
    """Called while people are anonymised (`learners.services.privacy`), with the records
    still holding their contacts: erase the names and contacts of their sign-ups, and of
    the sign-ups and appointment requests made with their phone or e-mail and linked to no
    one, within `user`'s scope (everything for the retention job, `user` None). A few
    queries whatever the number of people."""
    learners = list(learners)
    if not learners:
        return 0
    now = timezone.now()
    contacts = [c for c in map(learner_contact, learners) if not c.is_empty]
    bookings = Booking.objects.filter(learner__in=learners)
    if contacts:
        scoped = Booking.objects.all() if user is None else bookings_visible(user)
        unlinked = with_any_contact(scoped.filter(learner__isnull=True), contacts)
        bookings = Booking.objects.filter(Q(learner__in=learners) | Q(pk__in=unlinked.values("pk")))
        requests = AppointmentRequest.objects.all()
        if user is not None:
            requests = appointment_requests_visible(user)
        erased = _appointments_erase(with_any_contact(requests, contacts), now=now)
    else:
        erased = 0
    return erased + _bookings_erase(bookings, names=True, now=now)


@dataclass(frozen=True)
class ContactErasure:
    bookings: int
    appointment_requests: int

    @property
    def summary(self) -> str:
        # French says « aucune » for zero (ngettext without a catalogue would say
        # « 0 inscriptions »).
        bookings = (
            ngettext("%(n)d inscription", "%(n)d inscriptions", self.bookings)
            % {"n": self.bookings}
            if self.bookings
            else _("aucune inscription")
        )
        requests = (
            ngettext(
                "%(n)d demande de rendez-vous",
                "%(n)d demandes de rendez-vous",
                self.appointment_requests,
            )
            % {"n": self.appointment_requests}
            if self.appointment_requests
            else _("aucune demande de rendez-vous")
        )
        return _("Effacé : %(bookings)s et %(requests)s.") % {
            "bookings": bookings,
            "requests": requests,
        }


def contact_erase(*, user: AnyUser, contact: Contact) -> ContactErasure:
    """Erase, on the person's request, the sign-ups (linked to no person) and appointment
    requests made with this phone or e-mail: the coordination everywhere, a counsellor at
    their structure's sessions and venues; PermissionDenied for anyone else. Sign-ups
    linked to a person go with that person's erasure. Idempotent. The caller logs it
    (`learners.services.bookings_audit.agenda_erasure_log`)."""
    if scope_structure_id(user) is None:
        refuse()
    if contact.is_empty:
        refuse(contact_missing_message())
    now = timezone.now()
    with transaction.atomic():
        bookings = bookings_of_contact(user=user, contact=contact)
        requests = appointment_requests_of_contact(user=user, contact=contact)
        return ContactErasure(
            bookings=_bookings_erase(bookings, names=True, now=now),
            appointment_requests=_appointments_erase(requests, now=now),
        )


def booking_contacts_erase_by_person(*, booking: Booking) -> int:
    """« Supprimer mes coordonnées », from the person's own page (`agenda:booking`, the
    token is the proof): erase the first name and contacts of this sign-up and of the other
    sign-ups of the same form (`group`) that are no longer live. Refused (French message)
    while the sign-up still holds a place or a rank on the waiting list: cancel first.
    Returns how many sign-ups were erased; idempotent."""
    if booking.status in BOOKING_ACTIVE_STATUSES:
        refuse(
            _(
                "Annulez d'abord votre inscription : tant qu'elle est valable, nous avons "
                "besoin de vos coordonnées pour vous prévenir."
            )
        )
    with transaction.atomic():
        done = Booking.objects.filter(group=booking.group).exclude(
            status__in=BOOKING_ACTIVE_STATUSES
        )
        return _bookings_erase(done, names=booking.learner_id is None, now=timezone.now())


def booking_contacts_erase_cancelled(*, booking_ids: list[int]) -> int:
    """Erase the phone and e-mail of sign-ups the person cancelled. The cancellation
    service calls it once the cancellation notice is sent (its message needs them); the
    retention job does it for any left over."""
    cancelled = Booking.objects.filter(
        pk__in=booking_ids,
        status=BookingStatus.CANCELLED,
        cancelled_by=CancelledBy.PERSON,
        contact_erased_at__isnull=True,
    )
    return _bookings_erase(cancelled, names=False, now=timezone.now())


# --- Minimisation (the retention job) ---------------------------------------------------------


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_batches(qs: QuerySet[Any], erase: Callable[[QuerySet[Any]], int], batch_size: int) -> int:
    """Apply `erase(queryset of one batch)` to `qs` in batches of ids, each batch in its
    own transaction; erased rows leave `qs`, so the loop ends (keyset on pk as well)."""
    total, last_id = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                qs.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return total
            last_id = ids[-1]
            total += erase(qs.model.objects.filter(pk__in=ids))


def _contacts_left() -> QuerySet[Booking]:
    return Booking.objects.filter(~Q(phone="") | ~Q(email=""))


def _contacts_after_sessions(now: datetime.datetime, batch_size: int) -> int:
    """The day after the session (the cycle) ended: sessions that started before today's
    midnight and ended before now, with no live sign-up of the same form still to come."""
    midnight = _midnight(timezone.localdate(now))
    to_come = Booking.objects.filter(
        group=OuterRef("group"),
        status__in=BOOKING_ACTIVE_STATUSES,
        session__start__gte=midnight,
    )
    candidates = _contacts_left().filter(session__start__lt=midnight).filter(~Exists(to_come))

    def erase(batch: QuerySet[Booking]) -> int:
        rows = list(batch.select_related("session"))
        groups = {b.group for b in rows}
        # A session that started before midnight may still run (a long evening one).
        running = set(
            Booking.objects.filter(
                group__in=groups,
                status__in=BOOKING_ACTIVE_STATUSES,
                session__start__gte=midnight - datetime.timedelta(days=1),
            ).values_list("group", "session__start", "session__duration_minutes")
        )
        busy = {
            group
            for group, start, minutes in running
            if start + datetime.timedelta(minutes=minutes) >= now
        }
        ended = [b.pk for b in rows if b.session.end < now and b.group not in busy]
        return _bookings_erase(Booking.objects.filter(pk__in=ended), names=False, now=now)

    return _in_batches(candidates, erase, batch_size)


def _contacts_of_cancelled(now: datetime.datetime, batch_size: int) -> int:
    cancelled = _contacts_left().filter(
        status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.PERSON
    )
    return _in_batches(
        cancelled, lambda batch: _bookings_erase(batch, names=False, now=now), batch_size
    )


def _names_after_retention(today: datetime.date, now: datetime.datetime, batch_size: int) -> int:
    cutoff = _midnight(months_before(today, settings.RETENTION_MONTHS))
    old = Booking.objects.filter(learner__isnull=True, session__start__lt=cutoff).exclude(
        first_name=ANONYMIZED_FIRST_NAME
    )
    return _in_batches(old, lambda batch: _bookings_erase(batch, names=True, now=now), batch_size)


def appointment_requests_expired(*, now: datetime.datetime) -> QuerySet[AppointmentRequest]:
    """Requests whose contacts are no longer needed (see the module docstring)."""
    handled_before = now - datetime.timedelta(days=APPOINTMENT_ERASE_DAYS_AFTER_HANDLED)
    made_before = _midnight(
        months_before(timezone.localdate(now), APPOINTMENT_ERASE_MONTHS_UNHANDLED)
    )
    return AppointmentRequest.objects.filter(contact_erased_at__isnull=True).filter(
        Q(handled_at__lt=handled_before)
        | Q(status=AppointmentRequestStatus.CANCELLED)
        | Q(handled_at__isnull=True, created_at__lt=made_before)
    )


@dataclass
class AgendaMinimisation:
    contacts_after_session: int = 0
    contacts_after_cancel: int = 0
    first_names: int = 0
    appointment_requests: int = 0

    @property
    def total(self) -> int:
        return (
            self.contacts_after_session
            + self.contacts_after_cancel
            + self.first_names
            + self.appointment_requests
        )


def agenda_minimise(
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    batch_size: int = MINIMISE_BATCH,
) -> AgendaMinimisation:
    """The agenda's part of the daily retention job (see the module docstring for the
    rules). Idempotent: an erased row no longer matches; each batch commits on its own."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    return AgendaMinimisation(
        contacts_after_session=_contacts_after_sessions(now, batch_size),
        contacts_after_cancel=_contacts_of_cancelled(now, batch_size),
        first_names=_names_after_retention(today, now, batch_size),
        appointment_requests=_in_batches(
            appointment_requests_expired(now=now),
            lambda batch: _appointments_erase(batch, now=now),
            batch_size,
        ),
    )
