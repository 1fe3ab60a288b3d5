"""Messages to the people signed up for a session (confirmation, waiting list, a place
offered, the reminder of the day before, a session cancelled or moved, a cancelled
sign-up): by SMS when the sign-up has a phone number, else by e-mail, else none.

**At most once.** A message is first claimed: a `MessageSent` row, unique per sign-up,
kind, session start and (for a cancellation or a move) the change it tells, inserted and
committed before the message leaves (the design of `learners.services.sending`, whose
`claim_insert` this reuses). A retry, a second delivery
of the task or a concurrent worker finds the claim and sends nothing. If the provider or
the mail server cannot be reached, the claim is deleted before the error propagates, so
the retry sends it; a number or address refused for good releases its claim and counts as
refused. A crash between the claim and the provider's answer leaves a claim without
`sent_at`: that message is not sent again. A session moved to a new date is a new start,
hence a new reminder; each move is a new change, hence a new notice (moved A → B → A → B,
or to another venue at the same time, the person hears of every move).

**A whole cycle is one message.** A person who signs up to a cycle gets one booking per
session sharing `group`. When the bookings of one group are named together to
`booking_notices_later` (or `booking_notices_send`) for a confirmation, a waiting-list
receipt or a cancellation, they get one message about the first date, « Et 5 autres
dates », claimed on that first booking (a second delivery of the same task names the same
bookings, hence the same claim). So: name every booking of one form submission or one
cancellation in ONE call; a booking named alone (a place accepted later, one date
cancelled) gets its own message.

**Consent.** The sign-up form asks « accepte d'être prévenue » (`reminder_consent`). We
read it as consent to reminders, which the person did not ask for: the reminder of the day
before is sent only with it. The others are service messages, sent regardless, because
the person asked for the sign-up they answer or is owed the news: the confirmation (with
the cancel link: the only way to cancel without calling), the waiting-list receipt, a
place offered (the person asked to be on the list; without the message the place is
lost), a session cancelled or moved (they would travel for nothing), and the receipt of a
cancellation.

**Counted.** Each row records the structure of the session, the channel and the SMS
billed (`learners.selectors.messages` totals them per structure and month).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.mail import get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from common.background import background_task
from common.french_text import french_plural
from common.sms import SmsRecipientRefused, send_sms
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    CancelledBy,
    MessageChannel,
    MessageKind,
    MessageSent,
)

from .notice_texts import Notice
from .sending import claim_insert

if TYPE_CHECKING:
    import datetime

    from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

# Sent whatever `reminder_consent` says (see the module docstring).
SERVICE_KINDS = frozenset(
    {
        MessageKind.CONFIRMATION,
        MessageKind.WAITLISTED,
        MessageKind.OFFER,
        MessageKind.SESSION_CANCELLED,
        MessageKind.SESSION_MOVED,
        MessageKind.BOOKING_CANCELLED,
    }
)
# About a whole group of sign-ups (a cycle) at once, with the booking status each is about.
GROUP_KINDS = {
    MessageKind.CONFIRMATION: BookingStatus.CONFIRMED,
    MessageKind.WAITLISTED: BookingStatus.WAITING,
    MessageKind.BOOKING_CANCELLED: BookingStatus.CANCELLED,
}
_RELATED = ("session__venue__commune", "session__structure")


@dataclass
class NoticeResult:
    sent: int = 0
    skipped: int = 0  # already sent, no longer relevant, no contact or no consent
    refused: int = 0  # number or address refused by the provider (claim released)

    @property
    def summary(self) -> str:
        parts = [
            french_plural(self.sent, _("%(n)d message envoyé"), _("%(n)d messages envoyés")),
            french_plural(self.skipped, _("%(n)d sans objet"), _("%(n)d sans objet")),
        ]
        if self.refused:
            parts.append(
                french_plural(self.refused, _("%(n)d numéro ou adresse refusé"), _("%(n)d refusés"))
            )
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "refused": self.refused,
            "summary": self.summary,
        }


def booking_channel(booking: Booking) -> str | None:
    """SMS when the sign-up has a phone, else e-mail, else None (nobody to write to)."""
    if booking.contact_erased_at is not None:
        return None
    if booking.phone:
        return MessageChannel.SMS
    if booking.email:
        return MessageChannel.EMAIL
    return None


def notice_is_due(booking: Booking, kind: str, *, now: datetime.datetime) -> bool:
    """Whether `kind` still applies to the sign-up as it is now (a task queued a minute ago
    must not confirm a booking cancelled since, nor offer a place already taken)."""
    session = booking.session
    status = booking.status
    if kind == MessageKind.REMINDER:
        return (
            booking.reminder_consent
            and status == BookingStatus.CONFIRMED
            and not session.is_cancelled
        )
    if kind == MessageKind.OFFER:
        return status == BookingStatus.OFFERED and (
            booking.offered_until is None or booking.offered_until > now
        )
    if kind == MessageKind.SESSION_CANCELLED:
        person_left = status == BookingStatus.CANCELLED and (
            booking.cancelled_by == CancelledBy.PERSON
        )
        return session.is_cancelled and not person_left and status != BookingStatus.EXPIRED
    if kind == MessageKind.SESSION_MOVED:
        return status in BOOKING_ACTIVE_STATUSES and not session.is_cancelled
    if kind == MessageKind.BOOKING_CANCELLED:  # told only when the structure did it
        return status == BookingStatus.CANCELLED and booking.cancelled_by == CancelledBy.STRUCTURE
    return status == GROUP_KINDS[MessageKind(kind)]


def _deliver(
    notice: Notice, channel: str, connection: BaseEmailBackend | None = None
) -> int | None:
    """Hand the message over; the SMS billed (0 for an e-mail), or None when the number
    or address was refused for good. Other failures raise."""
    booking = notice.booking
    if channel == MessageChannel.SMS:
        try:
            return send_sms(booking.phone, notice.sms_text())
        except (SmsRecipientRefused, ValueError):
            return None
    message = notice.email_message()
    if connection is not None:
        message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return None
    return 0


def notice_send_claimed(
    notice: Notice, *, connection: BaseEmailBackend | None = None
) -> bool | None:
    """Claim, send and confirm one notice: True when sent, False when already claimed,
    None when refused (claim released). A failure to send releases the claim and raises."""
    booking = notice.booking
    channel = booking_channel(booking)
    if channel is None:
        return False
    claim = claim_insert(
        MessageSent,
        structure_id=booking.session.structure_id,
        booking=booking,
        kind=notice.kind,
        session_start=booking.session.start,
        change=notice.change,
        channel=channel,
    )
    if claim is None:
        return False
    try:
        billed = _deliver(notice, channel, connection)
    except BaseException:
        claim.delete()  # not sent: the retry will send it
        raise
    if billed is None:
        claim.delete()
        logger.info("Notice %s of booking %s refused (%s)", notice.kind, booking.pk, channel)
        return None
    MessageSent.objects.filter(pk=claim.pk).update(sent_at=timezone.now(), segments=billed)
    return True


def booking_notice_send(*, booking: Booking, kind: str) -> bool:
    """Send the `kind` message about `booking` now, at most once (see the module
    docstring); True when a message left. Nothing is sent when the booking has no phone
    nor e-mail (or they were erased), when the kind no longer applies to it, or for a
    reminder without consent. Raises `common.sms.SmsSendError` or an OSError when the
    provider or mail server failed (the claim is released: a retry sends it)."""
    kind = MessageKind(kind)
    now = timezone.now()
    booking = Booking.objects.select_related(*_RELATED).get(pk=booking.pk)
    if booking_channel(booking) is None or not notice_is_due(booking, kind, now=now):
        return False
    return notice_send_claimed(Notice(booking=booking, kind=kind, now=now)) is True


def _notices(
    bookings: list[Booking],
    kind: str,
    *,
    now: datetime.datetime,
    reason: str = "",
    change: str = "",
) -> list[Notice]:
    """One notice per booking, or per group of bookings for the kinds that speak of a
    cycle at once: then the group's first date carries the message (and its claim)."""
    if MessageKind(kind) not in GROUP_KINDS:
        return [
            Notice(booking=booking, kind=kind, now=now, given_reason=reason, change=change)
            for booking in bookings
        ]
    groups: dict[object, list[Booking]] = {}
    for booking in bookings:  # already in session start order
        groups.setdefault(booking.group, []).append(booking)
    return [
        Notice(
            booking=members[0],
            kind=kind,
            now=now,
            other_starts=[other.session.start for other in members[1:]],
            given_reason=reason,
        )
        for members in groups.values()
    ]


def booking_notices_send(
    *, booking_ids: list[int], kind: str, reason: str = "", change: str = ""
) -> NoticeResult:
    """The `kind` message about each booking (the task's service). Bookings of one group
    named together (a cycle signed up or cancelled at once) get one message; bookings
    deleted since, with no contact or to which the kind no longer applies are skipped.
    `change` names the session's cancellation or move (`session_change_ref`): each change
    is told once."""
    kind = MessageKind(kind)
    now = timezone.now()
    result = NoticeResult()
    bookings = Booking.objects.select_related(*_RELATED).filter(pk__in=booking_ids)
    due = [
        booking
        for booking in bookings.order_by("session__start", "pk")
        if booking_channel(booking) is not None and notice_is_due(booking, kind, now=now)
    ]
    for notice in _notices(due, kind, now=now, reason=reason, change=change):
        outcome = notice_send_claimed(notice)
        if outcome is None:
            result.refused += 1
        elif outcome:
            result.sent += 1
    result.skipped = len(set(booking_ids)) - result.sent - result.refused
    return result


def booking_notices_later(
    *, booking_ids: list[int], kind: str, reason: str = "", change: str = ""
) -> None:
    """Send the `kind` message about each booking from a background task, once the
    current transaction commits (task "learners.booking_notices", retried on network
    errors). An unknown kind raises ValueError at once."""
    kind = MessageKind(kind)
    ids = sorted({int(pk) for pk in booking_ids})
    if not ids:
        return
    extra = {"change": change} if change else {}  # only a cancellation or a move has one
    background_task("learners.booking_notices").delay_on_commit(
        booking_ids=ids, kind=str(kind.value), reason=reason, **extra
    )


def email_connection() -> BaseEmailBackend:
    """One mail connection for a batch of e-mails (the reminders)."""
    return get_connection()
