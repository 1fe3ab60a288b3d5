"""Public sign-ups (inscriptions) to sessions: create, cancel, and the waiting list.

**One rule for places.** Every write that gives or frees a place locks the session row
(`select_for_update`, sessions locked in id order when there are several, so two cycles
never deadlock) and counts places with `learners.selectors.places.seats_taken_count`, the
same count as the counsellor's registration: two requests cannot both take the last place.

**Decisions** (tested in tests/learners/bookings/):

- A sign-up gets a place (`confirmee`) while one is free and nobody waits, else a rank on
  the waiting list (`attente`) while the list has room (`Session.waitlist_capacity`), else
  is refused. Newcomers never jump the queue: every write that frees a place (here, and
  on the counsellor's side: a larger capacity, a line removed or no longer « inscrit »,
  an import, a merge) calls `waitlist_promote` in its transaction.
- Sign-ups are taken only for a published session of a public kind at an active venue
  (the agenda's lists show no other).
- **Cycles.** When the cycle is signed up as a whole (`SignupScope.WHOLE_CYCLE`, or the
  person chose « tout le cycle » on a per-date cycle), one booking per upcoming session of
  the cycle is created, sharing a `group`. All or nothing: a full date puts that date on
  its waiting list; if one date's waiting list is full too, nothing is created and the
  refusal names the date.
- **Same contact twice.** A phone or e-mail already signed up to the session gets its
  existing bookings back, nothing new (the partial unique constraints are the backstop:
  an IntegrityError is answered the same way).
- **Cap per contact.** A phone or e-mail holds at most
  `AGENDA_SIGNUP_LIMITS["live_groups_per_contact"]` live upcoming sign-ups (a cycle counts
  once).
- **A freed place** goes to the first person on the waiting list (by `created_at`, id):
  offered (`proposee`) until `offered_until`, which is `OFFER_HOURS` later but never later
  than `OFFER_CLOSES_BEFORE` before the session. When that would leave less than
  `OFFER_MIN_DELAY` to answer (the session is close), the place is confirmed at once and
  the person told so (they asked for it by joining the list, and can still cancel). An
  offer declined or expired passes to the next person.
- Declining an offered place leaves the waiting list (the message says so).
- A sign-up cancelled by the structure (`CancelledBy.STRUCTURE`) is told so (notice
  `desinscription`); a person who cancels sees it on screen and gets no message.

Every change bumps the agenda's cache scope and starts the person's notice after commit
(task "learners.booking_notices", owned by the notices part: for a cycle, one notice per
group, about its first booking; the booking page lists the group).
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caching import versions
from common.french_text import french_date
from learners.choices import SessionKind
from learners.contacts import email_normalize, phone_normalize
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    CancelledBy,
    Learner,
    MessageKind,
    Session,
    SignupScope,
)
from learners.selectors.places import seats_taken_count, session_places

from .bookings_privacy import booking_contacts_erase_cancelled
from .notices import booking_notices_later

OFFER_HOURS = datetime.timedelta(hours=24)
OFFER_CLOSES_BEFORE = datetime.timedelta(hours=3)
OFFER_MIN_DELAY = datetime.timedelta(hours=2)
FIRST_NAME_MAX = 100
TOKEN_BYTES = 24

DEFAULT_LIMITS = {
    "live_groups_per_contact": 6,
    "per_address": "20/h",
    "per_contact": "6/h",
}


class BookingRefused(ValidationError):  # noqa: N818 - the name the other parts code against
    """A sign-up or a change refused, with a French message for the person."""


def signup_limits() -> dict:
    return {**DEFAULT_LIMITS, **getattr(settings, "AGENDA_SIGNUP_LIMITS", {})}


def _notices_later(bookings: Sequence[Booking], kind: str) -> None:
    """The notice of `kind` after commit. The bookings of one form go in one call: the
    notices service sends one message per group (a cycle: its first date, « et 5 autres
    dates »)."""
    booking_notices_later(booking_ids=[booking.pk for booking in bookings], kind=kind)


def _date_text(session: Session) -> str:
    return french_date(session.start)


# --- Sign-up ----------------------------------------------------------------------------------


def _session_refusal(session: Session, now: datetime.datetime) -> str | None:
    if session.kind == SessionKind.INDIVIDUAL:
        return _("Les rendez-vous individuels se prennent directement auprès du lieu.")
    if not session.is_published:
        return _("Cette séance n'est pas ouverte aux inscriptions en ligne.")
    if session.venue_id is None or session.venue is None or not session.venue.is_active:
        # As the agenda's lists: only the sessions of an active venue are offered.
        return _("Ce lieu n'accueille plus de séances : l'inscription en ligne est fermée.")
    if session.is_cancelled:
        return _("Cette séance est annulée.")
    if session.start <= now:
        return _("Cette séance a déjà commencé ou est passée : l'inscription est fermée.")
    return None


def signs_up_whole_cycle(session: Session, *, whole_cycle: bool) -> bool:
    """A cycle signed up as a whole: always for a `cycle` scope, on request otherwise."""
    if session.series_id is None or session.series is None:
        return False
    return session.series.signup_scope == SignupScope.WHOLE_CYCLE or whole_cycle


def _target_ids(session: Session, *, whole: bool, now: datetime.datetime) -> list[int]:
    if not whole:
        return [session.pk]
    ids = list(
        Session.objects.filter(
            series_id=session.series_id,
            is_published=True,
            cancelled_at__isnull=True,
            start__gt=now,
            venue__is_active=True,
        )
        .exclude(kind=SessionKind.INDIVIDUAL)
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )
    return ids if session.pk in ids else [session.pk, *ids]


def _contact_q(phone: str, email: str) -> Q | None:
    q = Q()
    if phone:
        q |= Q(phone=phone)
    if email:
        q |= Q(email=email)
    return q or None


def _existing(contact: Q | None, session_ids: Iterable[int]) -> list[Booking]:
    if contact is None:
        return []
    return list(
        Booking.objects.filter(contact, session_id__in=list(session_ids))
        .live()
        .order_by("session__start", "pk")
    )


def _contact_check(contact: Q | None, ids: list[int], now: datetime.datetime) -> bool:
    """True when the contact already holds a live sign-up to one of `ids`; BookingRefused
    when it holds the most live upcoming sign-ups allowed (a cycle counts once). One query
    (the contact's live upcoming sign-ups: a handful at most, the cap)."""
    if contact is None:
        return False
    held = list(
        Booking.objects.filter(contact, session__start__gt=now)
        .live()
        .values_list("session_id", "group")
    )
    if any(session_id in ids for session_id, _group in held):
        return True
    groups = len({group for _session_id, group in held})
    limit = int(signup_limits()["live_groups_per_contact"])
    if groups >= limit:
        raise BookingRefused(
            ngettext(
                "Vous êtes déjà inscrit ou inscrite à %(count)d atelier à venir avec ce "
                "numéro ou cette adresse, le maximum en ligne. Pour vous inscrire à un autre, "
                "annulez une inscription ou appelez le lieu de l'atelier.",
                "Vous êtes déjà inscrit ou inscrite à %(count)d ateliers à venir avec ce "
                "numéro ou cette adresse, le maximum en ligne. Pour vous inscrire à un autre, "
                "annulez une inscription ou appelez le lieu de l'atelier.",
                groups,
            )
            % {"count": groups},
            code="cap",
        )
    return False


def _status_for(session: Session) -> str:
    """The status a new sign-up gets (session locked); BookingRefused when full. A free
    place goes to a newcomer only when nobody waits: the people already waiting come first
    (`waitlist_promote` offers them the places freed). One query: the places held and the
    waiting list counted together (`session_places`)."""
    places = session_places(session)
    if not places.is_full and places.waiting == 0:
        return BookingStatus.CONFIRMED
    if places.waitlist_open:
        return BookingStatus.WAITING
    if session.waitlist_capacity == 0:
        message = _("Cette séance est complète.")
    else:
        message = _("Cette séance est complète et sa liste d'attente aussi.")
    raise BookingRefused(message, code="full")


def _new_booking(session: Session, status: str, group: uuid.UUID, fields: dict) -> Booking:
    booking = Booking(
        session=session,
        status=status,
        group=group,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        **fields,
    )
    # The session row was just loaded under lock and the learner is the open carnet's: their
    # foreign keys need no existence query each (every other field is validated).
    booking.full_clean(
        exclude=["session", "learner"], validate_unique=False, validate_constraints=False
    )
    return booking


def _cleaned_fields(
    *, first_name: str, phone: str, email: str, reminder_consent: bool, learner: Learner | None
) -> dict:
    name = " ".join((first_name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["first_name"] = [_("Indiquez un prénom.")]
    elif len(name) > FIRST_NAME_MAX:
        errors["first_name"] = [_("Ce prénom est trop long.")]
    cleaned = {"first_name": name, "reminder_consent": bool(reminder_consent), "learner": learner}
    for field, normalize, raw in (
        ("phone", phone_normalize, phone),
        ("email", email_normalize, email),
    ):
        try:
            cleaned[field] = normalize(raw)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise BookingRefused(errors)
    return cleaned


def booking_create(
    *,
    session: Session,
    first_name: str,
    phone: str,
    email: str,
    reminder_consent: bool,
    whole_cycle: bool = False,
    learner: Learner | None = None,
) -> list[Booking]:
    """Sign a person up (see the module's decisions). Returns the bookings, ordered by
    date: new ones, or those the same phone or e-mail already held for these sessions.
    Raises BookingRefused (French message; a dict by field for bad contact details)."""
    fields = _cleaned_fields(
        first_name=first_name,
        phone=phone,
        email=email,
        reminder_consent=reminder_consent,
        learner=learner,
    )
    now = timezone.now()
    refusal = _session_refusal(session, now)
    if refusal:
        raise BookingRefused(refusal, code="closed")
    whole = signs_up_whole_cycle(session, whole_cycle=whole_cycle)
    ids = _target_ids(session, whole=whole, now=now)
    contact = _contact_q(fields["phone"], fields["email"])
    try:
        with transaction.atomic():
            created = _create_locked(ids, fields, now)
    except IntegrityError:
        # The same contact is signed up already (found under the lock, or in a concurrent
        # request that committed first: the unique constraints): theirs is the sign-up.
        already = _existing(contact, ids)
        if already:
            return already
        raise
    versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
    _notices_later(
        [b for b in created if b.status == BookingStatus.CONFIRMED], MessageKind.CONFIRMATION
    )
    _notices_later(
        [b for b in created if b.status == BookingStatus.WAITING], MessageKind.WAITLISTED
    )
    return created


def _create_locked(ids: list[int], fields: dict, now: datetime.datetime) -> list[Booking]:
    locked = list(
        Session.objects.select_for_update(of=("self",))
        .select_related("venue")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    locked.sort(key=lambda s: (s.start, s.pk))
    # Under the lock: the same contact's sign-up (answered with it, like the unique
    # constraints' IntegrityError) and the cap per contact, in one query.
    if _contact_check(_contact_q(fields["phone"], fields["email"]), ids, now):
        raise IntegrityError("same contact already signed up")
    group = uuid.uuid4()
    bookings = []
    for session in locked:
        refusal = _session_refusal(session, now)
        if refusal:  # changed since it was read
            raise BookingRefused(refusal, code="closed")
        try:
            status = _status_for(session)
        except BookingRefused as refused:
            if len(locked) == 1:
                raise
            raise BookingRefused(
                _(
                    "La séance du %(date)s est complète et sa liste d'attente aussi : "
                    "l'inscription au cycle n'est pas possible. Vous pouvez appeler le lieu."
                )
                % {"date": _date_text(session)},
                code=refused.code,
            ) from None
        bookings.append(_new_booking(session, status, group, fields))
    # No savepoint: an IntegrityError rolls the whole transaction back (booking_create then
    # reads the existing sign-up outside it).
    return Booking.objects.bulk_create(bookings)


# --- Cancellation and the waiting list --------------------------------------------------------


def _lock_sessions(ids: Iterable[int]) -> dict[int, Session]:
    return {
        s.pk: s
        for s in Session.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    }


def booking_cancel(
    *, booking: Booking, by: CancelledBy | str, whole_group: bool = False
) -> list[Booking]:
    """Cancel a sign-up (and the rest of its cycle with `whole_group`): the places are
    freed and offered to the waiting list. Sessions already started are left alone.
    Returns the bookings cancelled now (none when they already were)."""
    now = timezone.now()
    scope = (
        Booking.objects.filter(group=booking.group)
        if whole_group
        else Booking.objects.filter(pk=booking.pk)
    )
    with transaction.atomic():
        session_ids = list(scope.live().values_list("session_id", flat=True))
        _lock_sessions(session_ids)
        cancelled = list(scope.live().filter(session__start__gt=now).select_related("session"))
        if (
            not cancelled
            and booking.session.start <= now
            and booking.status in BOOKING_ACTIVE_STATUSES
        ):
            raise BookingRefused(_("Cette séance a déjà eu lieu : il n'y a plus rien à annuler."))
        for item in cancelled:
            item.status = BookingStatus.CANCELLED
            item.cancelled_at = now
            item.cancelled_by = by
            item.offered_until = None
        Booking.objects.bulk_update(
            cancelled, ["status", "cancelled_at", "cancelled_by", "offered_until", "updated_at"]
        )
        for session_id in sorted({b.session_id for b in cancelled}):
            waitlist_promote(session_id=session_id)
    if cancelled:
        versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
    if by == CancelledBy.STRUCTURE:
        # The person did not do it: tell them. A person who cancels sees it on screen.
        _notices_later(cancelled, MessageKind.BOOKING_CANCELLED)
    elif by == CancelledBy.PERSON:
        # No message goes to a person who cancelled: their contact is no longer needed.
        booking_contacts_erase_cancelled(booking_ids=[b.pk for b in cancelled])
    return cancelled


def _offer_deadline(session: Session, now: datetime.datetime) -> datetime.datetime | None:
    """Until when a freed place is kept for the next person; None: confirm at once."""
    deadline = min(now + OFFER_HOURS, session.start - OFFER_CLOSES_BEFORE)
    return deadline if deadline - now >= OFFER_MIN_DELAY else None


def waitlist_promote(*, session_id: int, now: datetime.datetime | None = None) -> list[Booking]:
    """Give the free places of a session to the first people on its waiting list (offered
    with a deadline, or confirmed when the session is close). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_sessions([session_id]).get(session_id)
        if session is None or session.is_cancelled or session.start <= now:
            return []
        waiting = Booking.objects.filter(
            session_id=session_id, status=BookingStatus.WAITING
        ).order_by("created_at", "pk")
        if session.capacity is not None:
            free = session.capacity - seats_taken_count(session_id)
            if free <= 0:
                return []
            waiting = waiting[:free]
        promoted = list(waiting)
        deadline = _offer_deadline(session, now)
        for booking in promoted:
            booking.status = BookingStatus.CONFIRMED if deadline is None else BookingStatus.OFFERED
            booking.offered_until = deadline
        Booking.objects.bulk_update(promoted, ["status", "offered_until", "updated_at"])
    if promoted:
        versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
        kind = MessageKind.CONFIRMATION if deadline is None else MessageKind.OFFER
        for booking in promoted:  # one notice per booking: each date is its own offer
            _notices_later([booking], kind)
    return promoted


def _locked_booking(booking: Booking) -> Booking:
    _lock_sessions([booking.session_id])
    return Booking.objects.select_related("session").get(pk=booking.pk)


def offer_accept(*, booking: Booking) -> Booking:
    """Take the offered place before its deadline. Accepting twice is harmless."""
    now = timezone.now()
    with transaction.atomic():
        current = _locked_booking(booking)
        if current.status == BookingStatus.CONFIRMED:
            return current
        if current.status != BookingStatus.OFFERED:
            raise BookingRefused(_("Aucune place ne vous est proposée pour cette séance."))
        if current.offered_until is not None and current.offered_until <= now:
            _expire([current], now)
            refused = _(
                "Le délai pour accepter cette place est passé : elle a été proposée "
                "à la personne suivante."
            )
        else:
            current.status = BookingStatus.CONFIRMED
            current.offered_until = None
            current.save(update_fields=["status", "offered_until", "updated_at"])
            refused = ""
    versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
    if refused:
        raise BookingRefused(refused, code="expired")
    return current


def offer_decline(*, booking: Booking) -> Booking:
    """Give the offered place up (and leave the waiting list); the next person is offered it."""
    with transaction.atomic():
        current = _locked_booking(booking)
        if current.status != BookingStatus.OFFERED:
            raise BookingRefused(_("Aucune place ne vous est proposée pour cette séance."))
        current.status = BookingStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancelled_by = CancelledBy.PERSON
        current.offered_until = None
        current.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "offered_until", "updated_at"]
        )
        waitlist_promote(session_id=current.session_id)
        # As with `booking_cancel` by the person: no message goes to them any more.
        booking_contacts_erase_cancelled(booking_ids=[current.pk])
    versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
    current.refresh_from_db()
    return current


def _expire(offers: list[Booking], now: datetime.datetime) -> None:
    for offer in offers:
        offer.status = BookingStatus.EXPIRED
        offer.cancelled_at = now
        offer.cancelled_by = CancelledBy.SYSTEM
    Booking.objects.bulk_update(offers, ["status", "cancelled_at", "cancelled_by", "updated_at"])
    for session_id in sorted({o.session_id for o in offers}):
        waitlist_promote(session_id=session_id, now=now)


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Offers past their deadline expire and their places go to the next people (periodic
    task "learners.booking_offers_expire"). Idempotent; returns how many expired."""
    now = now or timezone.now()
    session_ids = set(
        Booking.objects.filter(status=BookingStatus.OFFERED, offered_until__lte=now).values_list(
            "session_id", flat=True
        )
    )
    expired = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            _lock_sessions([session_id])
            offers = list(
                Booking.objects.filter(
                    session_id=session_id, status=BookingStatus.OFFERED, offered_until__lte=now
                )
            )
            if offers:
                _expire(offers, now)
                expired += len(offers)
    if expired:
        versions.bump_now_and_on_commit(versions.AGENDA, places_only=True)
    return expired
