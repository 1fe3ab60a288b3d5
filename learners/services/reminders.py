"""Reminders e-mailed the day before a session to the people registered for it, each sent
at most once (`learners.services.sending`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learners.choices import AttendanceStatus, PlaceType
from learners.models import Attendance, ReminderSent, Session

from .french_text import french_date, french_duration, french_time
from .sending import SendResult, claim_insert, messages_send_once

if TYPE_CHECKING:
    from django.db.models import QuerySet


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reminders_due(*, today: datetime.date) -> QuerySet[Attendance]:
    """Attendance "inscrit" at sessions starting tomorrow (local day), of people who agreed
    to be contacted and gave an e-mail, not yet claimed for that session date."""
    tomorrow = today + datetime.timedelta(days=1)
    claimed = ReminderSent.objects.filter(
        attendance_id=OuterRef("pk"), session_start=OuterRef("session__start")
    )
    return (
        Attendance.objects.filter(
            status=AttendanceStatus.REGISTERED,
            session__start__gte=_local_midnight(tomorrow),
            session__start__lt=_local_midnight(tomorrow + datetime.timedelta(days=1)),
            session__cancelled_at__isnull=True,
            learner__anonymized_at__isnull=True,
            learner__contact_consent=True,
        )
        .exclude(learner__email="")
        .filter(~Exists(claimed))
        .select_related("learner", "session__venue__commune", "session__structure")
        .order_by("session__start", "pk")
    )


def place_lines(session: Session) -> list[str]:
    """Where the session happens, one line each, in French."""
    if session.place_type == PlaceType.VENUE and session.venue is not None:
        venue = session.venue
        lines = [venue.name]
        if venue.address:
            lines.append(venue.address)
        town = " ".join(filter(None, (venue.postal_code, venue.commune.name)))
        if town:
            lines.append(town)
        return lines
    if session.place_type == PlaceType.HOME:
        return [_("À domicile")]
    if session.place_type == PlaceType.REMOTE:
        return [_("À distance : votre conseiller ou conseillère vous dira comment vous connecter.")]
    return [_("Le lieu vous sera précisé par la structure.")]


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
        "phone": venue.phone if venue else "",
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


def reminders_send(
    *, today: datetime.date | None = None, budget: float | None = None
) -> SendResult:
    """Send tomorrow's reminders, each once (`learners.services.sending`). A mail server
    that cannot be reached raises (the task retries; what was sent stays sent). With a
    `budget` (seconds), stop claiming once it is spent and count the rest as remaining."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    window = {
        "session_start__gte": _local_midnight(tomorrow),
        "session_start__lt": _local_midnight(tomorrow + datetime.timedelta(days=1)),
    }
    result = SendResult()
    result.skipped = ReminderSent.objects.filter(**window, sent_at__isnull=False).count()
    due = list(reminders_due(today=today))
    messages_send_once(
        items=due,
        claim_for=lambda attendance: claim_insert(
            ReminderSent, attendance=attendance, session_start=attendance.session.start
        ),
        message_for=reminder_message,
        budget=budget,
        result=result,
    )
    result.unconfirmed = ReminderSent.objects.filter(**window, sent_at__isnull=True).count()
    return result
