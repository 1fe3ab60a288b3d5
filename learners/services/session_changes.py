"""Cancelling or moving a session, and telling everyone concerned.

A cancelled session stays in the database and in the lists (« Annulée »): it takes no
more registrations nor marks, and the statistics count it apart (never as an
accompaniment held). Cancelling is final: the people signed up were told and their
places given back, so a counsellor who changes their mind creates a new session (the
agenda then offers it to everyone, in the same order as any session).

Who is told, with the reason in plain words:
- every live online sign-up (confirmed, offered or waiting), by SMS or e-mail through
  the sign-up notices (task "learners.booking_notices", kinds « annulation » and
  « deplacement »; each at most once per booking, kind and session start);
- every person a counsellor registered who gave an e-mail and agreed to be contacted,
  by e-mail (`session_change_emails_send`, task "learners.session_change_emails"), at most
  once per change: its own claim (`SessionChangeSent`, attendance + kind + change), so a
  person already reminded the day before still hears of a late cancellation. The reminder
  itself skips cancelled sessions (`learners.services.reminders`).

Each change is named by `session_change_ref` (the session's `updated_at` once changed),
carried by both tasks into the claims: a session moved A → B → A → B, or to another venue
at the same time, is told every time; a retry of one change sends nothing more.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caching import versions
from common.background import background_task
from common.french_text import french_date, french_time
from common.types import AnyUser
from learners.choices import AttendanceStatus, AuditAction, PlaceType
from learners.models import (
    Attendance,
    Booking,
    BookingStatus,
    CancelledBy,
    MessageKind,
    Session,
    SessionChangeSent,
    Venue,
)
from learners.scoping import can_access_session

from ._common import refuse
from .audit import audit_log_record
from .notice_texts import place_lines
from .notices import booking_notices_later
from .people import learners_attendance_refresh
from .sending import SendResult, claim_insert, messages_send_once

REASON_MAX_LENGTH = 500
CHANGE_CANCELLED = "annulation"
CHANGE_MOVED = "deplacement"
# Registered people told by e-mail: those still expected, and the waiting list.
TOLD_STATUSES = (AttendanceStatus.REGISTERED, AttendanceStatus.WAITING)


def _reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez la raison, en mots simples : elle est envoyée aux inscrits.")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("La raison est trop longue (%(max)d caractères au plus).")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    return reason


def _locked_for_change(user: AnyUser, session: Session) -> Session:
    """The session row locked (sign-ups wait), refused when out of scope, cancelled or
    already over."""
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez modifier que les séances de votre structure."))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.is_cancelled:
        raise ValidationError(_("Cette séance est déjà annulée."))
    if locked.start <= timezone.now():
        raise ValidationError(
            _("Cette séance a déjà commencé : elle ne peut plus être annulée ni déplacée.")
        )
    return locked


def session_change_ref(session: Session) -> str:
    """The name of the change just saved on `session` (its `updated_at`, to the
    microsecond): the key that makes each cancellation or move told once, and every
    later move told again."""
    return session.updated_at.isoformat()


def _notify(
    *,
    session: Session,
    kind: str,
    booking_ids: list[int],
    previous_start: datetime.datetime,
    reason: str,
) -> None:
    """Queue the notices after commit: sign-ups (SMS or e-mail), registered people (e-mail)."""
    change = session_change_ref(session)
    if booking_ids:
        booking_notices_later(booking_ids=booking_ids, kind=kind, reason=reason, change=change)
    if session_change_recipients(session=session).exists():
        background_task("learners.session_change_emails").delay_on_commit(
            session_id=session.pk,
            kind=kind,
            previous_start=previous_start.isoformat(),
            reason=reason,
            change=change,
        )


def session_cancel(*, user: User, session: Session, reason: str) -> Session:
    """Cancel a session that has not started, with the reason told to everyone. The live
    sign-ups are cancelled (by the structure: no waiting list moves up) and told; the
    registered people with an e-mail are told. Refused (French ValidationError) without a
    reason, for a session already cancelled or started; nothing changes then."""
    reason = _reason_clean(reason)
    with transaction.atomic():
        locked = _locked_for_change(user, session)
        now = timezone.now()
        booking_ids = list(
            Booking.objects.filter(session_id=locked.pk).live().values_list("pk", flat=True)
        )
        Booking.objects.filter(pk__in=booking_ids).update(
            status=BookingStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=CancelledBy.STRUCTURE,
            updated_at=now,
        )
        locked.cancelled_at = now
        locked.cancellation_reason = reason
        locked.save(update_fields=["cancelled_at", "cancellation_reason", "updated_at"])
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=None,
            detail=f"annulation de la séance {locked.pk} ({len(booking_ids)} inscriptions)",
        )
        _notify(
            session=locked,
            kind=MessageKind.SESSION_CANCELLED,
            booking_ids=booking_ids,
            previous_start=locked.start,
            reason=reason,
        )
        versions.bump_now_and_on_commit(versions.AGENDA)
    session.cancelled_at, session.cancellation_reason = locked.cancelled_at, reason
    return locked


def session_move(
    *,
    user: User,
    session: Session,
    start: datetime.datetime,
    reason: str,
    venue: Venue | None = None,
) -> Session:
    """Move a session that has not started to a new date and time and/or another venue
    of its structure, with the reason told to everyone signed up (their places are kept)
    and to the registered people with an e-mail. Refused (French ValidationError) without a
    reason, without any change, for a date in the past, or for a session cancelled or
    started; nothing changes then."""
    reason = _reason_clean(reason)
    if start <= timezone.now():
        raise ValidationError({"start": _("Choisissez une date à venir.")})
    with transaction.atomic():
        locked = _locked_for_change(user, session)
        if venue is not None and venue.structure_id != locked.structure_id:
            raise ValidationError({"venue": _("Choisissez un lieu de la structure de la séance.")})
        new_venue_id = venue.pk if venue is not None else locked.venue_id
        if start == locked.start and new_venue_id == locked.venue_id:
            raise ValidationError(_("Ni la date ni le lieu n'ont changé."))
        previous_start = locked.start
        locked.start = start
        if venue is not None:
            locked.venue, locked.place_type = venue, PlaceType.VENUE
        locked.full_clean()
        locked.save()
        present = locked.attendances.filter(status=AttendanceStatus.PRESENT)
        learners_attendance_refresh(learner_ids=present.values_list("learner_id", flat=True))
        booking_ids = list(
            Booking.objects.filter(session_id=locked.pk).live().values_list("pk", flat=True)
        )
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=None,
            detail=f"séance {locked.pk} déplacée : {reason}",
        )
        _notify(
            session=locked,
            kind=MessageKind.SESSION_MOVED,
            booking_ids=booking_ids,
            previous_start=previous_start,
            reason=reason,
        )
        versions.bump_now_and_on_commit(versions.AGENDA)
    return locked


def session_change_recipients(*, session: Session) -> QuerySet[Attendance]:
    """Registered people to tell by e-mail: still expected, an e-mail, agreed to be
    contacted, record not anonymised."""
    return (
        Attendance.objects.filter(
            session_id=session.pk,
            status__in=TOLD_STATUSES,
            learner__anonymized_at__isnull=True,
            learner__contact_consent=True,
        )
        .exclude(learner__email="")
        .select_related("learner")
    )


def session_change_message(
    attendance: Attendance,
    *,
    session: Session,
    kind: str,
    previous_start: datetime.datetime,
    reason: str,
) -> EmailMessage:
    venue = session.venue if session.place_type == PlaceType.VENUE else None
    context = {
        "first_name": attendance.learner.first_name,
        "title": session.display_title,
        "cancelled": kind == CHANGE_CANCELLED,
        "previous_date": french_date(previous_start),
        "previous_time": french_time(previous_start),
        "date": french_date(session.start),
        "time": french_time(session.start),
        "place_lines": place_lines(session),
        "reason": reason,
        "structure": session.structure.name,
        "phone": venue.phone_label if venue else "",
    }
    with translation.override("fr"):
        subject = (
            _("Séance annulée : %(title)s")
            if kind == CHANGE_CANCELLED
            else _("Séance déplacée : %(title)s")
        ) % {"title": session.display_title}
        body = render_to_string("learners/emails/session_change.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[attendance.learner.email],
        reply_to=[venue.email] if venue and venue.email else None,
    )


def session_change_emails_send(
    *,
    session_id: int,
    kind: str,
    previous_start: datetime.datetime,
    reason: str = "",
    change: str = "",
) -> SendResult:
    """E-mail the registered people of a cancelled or moved session, each once per change
    (claimed as `SessionChangeSent` on the kind and `change`: a retry or a second run
    sends nothing; a day-before reminder already sent does not stop it). Without
    `change` (a task queued before it existed), the session's last change is meant."""
    result = SendResult()
    session = (
        Session.objects.select_related("venue__commune", "structure").filter(pk=session_id).first()
    )
    if session is None or kind not in (CHANGE_CANCELLED, CHANGE_MOVED):
        return result
    messages_send_once(
        items=list(session_change_recipients(session=session)),
        claim_for=lambda attendance: claim_insert(
            SessionChangeSent,
            attendance=attendance,
            kind=kind,
            change=change or session_change_ref(session),
            session_start=previous_start,
        ),
        message_for=lambda attendance: session_change_message(
            attendance, session=session, kind=kind, previous_start=previous_start, reason=reason
        ),
        budget=None,
        result=result,
    )
    return result
