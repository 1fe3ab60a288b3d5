"""Sending e-mails at most once (session reminders, counsellors' digests).

A reminder (or digest) is first CLAIMED: a `ReminderSent` row is inserted and committed
under a unique constraint (attendance + session start; counsellor + ISO week), then the
message is handed to the mail server, then `sent_at` is set. A second run, a retry or a
concurrent worker sees the claim and skips. If the mail server cannot be reached or fails
on the message, the claim is deleted before the error propagates, so the retry sends it;
an address the server refuses is counted as refused and its claim released too. (One
narrow case goes the other way: a connection dropped after the server queued the message
but before its "250" reached us looks like a failure, and the retry sends it again.)

The crash window is between the committed claim and the mail server's answer: if the
worker dies there, the claim stays with `sent_at` empty and the reminder is NOT sent again
(at most once). The other order (send, then record) would send it twice after such a
crash (at least once). For a reminder to people who are often anxious about digital tools,
two identical e-mails are worse than a missing one, whose session still happens; claims
left without `sent_at` are counted in the job summary ("non confirmés"), so a coordinator
sees them.
"""

from __future__ import annotations

import functools
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.french_text import french_plural
from learners.models import DigestSent, MessageSent, ReminderSent, SessionChangeSent

if TYPE_CHECKING:
    from django.core.mail.backends.base import BaseEmailBackend

# What is sent once: an attendance's reminder, a counsellor's digest.
_Item = TypeVar("_Item")
# The claim rows that make a sending loop idempotent (MessageSent: learners.services.notices).
_Claim = TypeVar("_Claim", ReminderSent, DigestSent, MessageSent, SessionChangeSent)


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0  # claimed by an earlier or concurrent run
    refused: int = 0  # address refused by the mail server (claim released)
    unconfirmed: int = 0  # claimed, never confirmed (a crash mid-send)
    remaining: int = 0  # left for a follow-up task (the time budget was spent)

    @property
    def summary(self) -> str:
        parts = [
            french_plural(self.sent, _("%(n)d envoyé"), _("%(n)d envoyés")),
            french_plural(self.skipped, _("%(n)d déjà envoyé"), _("%(n)d déjà envoyés")),
        ]
        if self.refused:
            parts.append(
                french_plural(
                    self.refused, _("%(n)d adresse refusée"), _("%(n)d adresses refusées")
                )
            )
        if self.unconfirmed:
            parts.append(
                french_plural(
                    self.unconfirmed,
                    _("%(n)d envoi non confirmé (interrompu)"),
                    _("%(n)d envois non confirmés (interrompus)"),
                )
            )
        if self.remaining:
            parts.append(
                french_plural(
                    self.remaining,
                    _("%(n)d restant pour la tâche suivante"),
                    _("%(n)d restants pour la tâche suivante"),
                )
            )
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "refused": self.refused,
            "unconfirmed": self.unconfirmed,
            "remaining": self.remaining,
            "summary": self.summary,
        }


def _send(connection: BaseEmailBackend, message: EmailMessage) -> bool:
    """Send one message; False when the mail server refused the address (permanent)."""
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused:
        return False
    return True


def _deadline(budget: float | None) -> float | None:
    """The monotonic instant a sending loop stops at (None: no limit). A loop that stops
    reports what is left in `SendResult.remaining`; its task queues a follow-up, so no task
    runs longer than the broker's visibility timeout (README, "Background jobs after a
    crash")."""
    return None if budget is None else time.monotonic() + budget


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def claim_insert(model: type[_Claim], **key: Any) -> _Claim | None:
    """Insert the claim row, or None when another run already has it."""
    try:
        with transaction.atomic():
            return model.objects.create(**key)
    except IntegrityError:
        return None


def messages_send_once(
    *,
    items: Sequence[_Item],
    claim_for: Callable[[_Item], ReminderSent | DigestSent | SessionChangeSent | None],
    message_for: Callable[[_Item], EmailMessage],
    budget: float | None,
    result: SendResult,
) -> None:
    """Claim, send and confirm one message per item, over one connection, counting the
    outcomes in `result`. With a `budget` (seconds), stop once it is spent (at least one
    item is sent per run) and count the rest as remaining."""
    deadline = _deadline(budget)
    if not items:
        return
    connection = get_connection()
    connection.open()
    try:
        for index, item in enumerate(items):
            if index and _out_of_time(deadline):  # at least one per piece
                result.remaining = len(items) - index
                break
            claim = claim_for(item)
            if claim is None:
                result.skipped += 1
                continue
            _send_claimed(
                connection, claim=claim, message=functools.partial(message_for, item), result=result
            )
    finally:
        connection.close()


def _send_claimed(
    connection: BaseEmailBackend,
    *,
    claim: ReminderSent | DigestSent | SessionChangeSent,
    message: Callable[[], EmailMessage],
    result: SendResult,
) -> None:
    """Send the message of a claim just taken, then confirm or release the claim."""
    try:
        delivered = _send(connection, message())
    except BaseException:
        claim.delete()  # not sent: the retry will send it
        raise
    if delivered:
        type(claim).objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        result.sent += 1
    else:
        claim.delete()
        result.refused += 1
