"""Reminders the day before a session, each sent at most once
(`learners.services.sending`): e-mailed to the people registered by a counsellor
(attendance « inscrit ») who agreed to be contacted, and sent by SMS or e-mail to the
people who signed up on the public agenda (confirmed bookings with `reminder_consent`,
`learners.services.notices`). Cancelled sessions get none.

A person both registered and signed up (a booking linked to their attendance) gets ONE
reminder: the booking's, when it has consent and a phone or an e-mail (that is the contact
the person gave for this session), otherwise the attendance's; and neither when the other
was already claimed for that session date.
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.french_text import french_date, french_duration, french_time
from learners.choices import AttendanceStatus, PlaceType
from learners.models import (
    Attendance,
    Booking,
    BookingStatus,
    MessageKind,
    MessageSent,
    ReminderSent,
)

from .notice_texts import Notice, place_lines
from .notices import email_connection, notice_send_claimed
from .sending import SendResult, claim_insert, messages_send_once

if TYPE_CHECKING:
    from django.db.models import QuerySet

__all__ = ["reminders_due", "reminders_send", "booking_reminders_due"]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tomorrow = today + datetime.timedelta(days=1)
    return _local_midnight(tomorrow), _local_midnight(tomorrow + datetime.timedelta(days=1))


def _booking_reminded() -> QuerySet[Booking]:
    """Bookings (linked to the outer attendance) that carry the reminder themselves."""
    return Booking.objects.filter(
        attendance_id=OuterRef("pk"),
        status=BookingStatus.CONFIRMED,
        reminder_consent=True,
        contact_erased_at__isnull=True,
    ).exclude(phone="", email="")


def reminders_due(*, today: datetime.date) -> QuerySet[Attendance]:
    """Attendance "inscrit" at sessions starting tomorrow (local day) and not cancelled,
    of people who agreed to be contacted and gave an e-mail, not yet claimed for that
    session date, and not reminded through a sign-up of theirs (`booking_reminders_due`)."""
    start, end = _window(today)
    claimed = ReminderSent.objects.filter(
        attendance_id=OuterRef("pk"), session_start=OuterRef("session__start")
    )
    booking_claimed = MessageSent.objects.filter(
        booking__attendance_id=OuterRef("pk"),
        kind=MessageKind.REMINDER,
        session_start=OuterRef("session__start"),
    )
    return (
        Attendance.objects.filter(
            status=AttendanceStatus.REGISTERED,
            session__start__gte=start,
            session__start__lt=end,
            session__cancelled_at__isnull=True,
            learner__anonymized_at__isnull=True,
            learner__contact_consent=True,
        )
        .exclude(learner__email="")
        .filter(~Exists(claimed), ~Exists(_booking_reminded()), ~Exists(booking_claimed))
        .select_related("learner", "session__venue__commune", "session__structure")
        .order_by("session__start", "pk")
    )


def booking_reminders_due(*, today: datetime.date) -> QuerySet[Booking]:
    """Confirmed sign-ups, with consent and a phone or an e-mail, at sessions starting
    tomorrow and not cancelled, not yet claimed for that session date; when linked to an
    attendance, only while it is "inscrit" and was not reminded as such."""
    start, end = _window(today)
    claimed = MessageSent.objects.filter(
        booking_id=OuterRef("pk"),
        kind=MessageKind.REMINDER,
        session_start=OuterRef("session__start"),
    )
    attendance_claimed = ReminderSent.objects.filter(
        attendance_id=OuterRef("attendance_id"), session_start=OuterRef("session__start")
    )
    return (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            reminder_consent=True,
            contact_erased_at__isnull=True,
            session__start__gte=start,
            session__start__lt=end,
            session__cancelled_at__isnull=True,
        )
        .exclude(phone="", email="")
        .filter(Q(attendance__isnull=True) | Q(attendance__status=AttendanceStatus.REGISTERED))
        .filter(~Exists(claimed), ~Exists(attendance_claimed))
        .select_related("session__venue__commune", "session__structure")
        .order_by("session__start", "pk")
    )


def reminder_message(attendance: Attendance) -> EmailMessage:
    session = attendance.session
    venue = session.venue if session.place_type == PlaceType.VENUE else None
    context = {
        "first_name": attendance.learner.first_name,
        "title": session.display_title,
        "date": french_date(session.start),
        "time": french_time(session.start),
        "duration": french_duration(session.duration_minutes),
        "place_lines": place_lines(session),
        "structure": session.structure.name,
        "phone": venue.phone_label if venue else "",
        "email": venue.email if venue else "",
    }
    with translation.override("fr"):
        subject = " ".join(
            render_to_string("learners/emails/reminder_subject.txt", context).split()
        )
        body = render_to_string("learners/emails/reminder.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[attendance.learner.email],
        reply_to=[venue.email] if venue and venue.email else None,
    )


def _claims_before(today: datetime.date) -> tuple[int, int]:
    """Claims of tomorrow's reminders already taken, both kinds together, in one query:
    (confirmed, left unconfirmed by an interrupted run)."""
    start, end = _window(today)

    def counted(qs: QuerySet) -> QuerySet:
        return (
            qs.filter(session_start__gte=start, session_start__lt=end)
            .annotate(one=Value(1, output_field=IntegerField()))
            .values("one")
            .annotate(
                sent=Count("pk", filter=Q(sent_at__isnull=False)),
                unsent=Count("pk", filter=Q(sent_at__isnull=True)),
            )
            .values_list("sent", "unsent")
            .order_by()
        )

    attendance_claims = counted(ReminderSent.objects.all())
    booking_claims = counted(MessageSent.objects.filter(kind=MessageKind.REMINDER))
    rows = list(attendance_claims.union(booking_claims, all=True))
    return sum(row[0] for row in rows), sum(row[1] for row in rows)


def _booking_reminders_send(
    bookings: list[Booking], *, deadline: float | None, result: SendResult
) -> None:
    """Claim, send and confirm each booking's reminder (SMS or e-mail); stop at `deadline`
    once one is sent in this run, counting the rest as remaining."""
    if not bookings:
        return
    connection = email_connection()
    try:
        for index, booking in enumerate(bookings):
            started = result.sent or index
            if started and deadline is not None and time.monotonic() >= deadline:
                result.remaining += len(bookings) - index
                break
            outcome = notice_send_claimed(
                Notice(booking=booking, kind=MessageKind.REMINDER), connection=connection
            )
            if outcome is None:
                result.refused += 1
            elif outcome:
                result.sent += 1
            else:
                result.skipped += 1
    finally:
        connection.close()


def reminders_send(
    *, today: datetime.date | None = None, budget: float | None = None
) -> SendResult:
    """Send tomorrow's reminders, each once (`learners.services.sending`). A mail server
    or SMS provider that cannot be reached raises (the task retries; what was sent stays
    sent). With a `budget` (seconds), stop claiming once it is spent and count the rest
    as remaining."""
    today = today or timezone.localdate()
    deadline = None if budget is None else time.monotonic() + budget
    result = SendResult()
    result.skipped, result.unconfirmed = _claims_before(today)
    due = list(reminders_due(today=today))
    bookings = list(booking_reminders_due(today=today))
    messages_send_once(
        items=due,
        claim_for=lambda attendance: claim_insert(
            ReminderSent, attendance=attendance, session_start=attendance.session.start
        ),
        message_for=reminder_message,
        budget=budget,
        result=result,
    )
    if result.remaining:
        result.remaining += len(bookings)
    else:
        _booking_reminders_send(bookings, deadline=deadline, result=result)
    return result
