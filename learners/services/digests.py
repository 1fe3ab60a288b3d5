"""The counsellors' weekly digest: the sessions of the week ahead and counts of the people
who need attention, e-mailed once per ISO week (`learners.services.sending`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.french_text import french_date, french_plural, french_time
from common.types import AnyUser
from learners.models import Counsellor, DigestSent
from learners.selectors import counsellor_dashboard, sessions_for_user
from workshops.roles import COUNSELLORS

from .notice_texts import place_lines
from .sending import SendResult, claim_insert, messages_send_once

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from learners.selectors.sessions import SessionWithSeats

# More sessions than a digest can usefully list in a week.
DIGEST_SESSIONS_MAX = 50


@dataclass
class DigestSession:
    session: SessionWithSeats
    places_left: int | None


def _digest_counsellors(*, iso_year: int, iso_week: int) -> QuerySet[Counsellor]:
    claimed = DigestSent.objects.filter(
        counsellor_id=OuterRef("pk"), iso_year=iso_year, iso_week=iso_week
    )
    return (
        Counsellor.objects.filter(user__is_active=True, user__groups__name=COUNSELLORS)
        .exclude(user__email="")
        .filter(~Exists(claimed))
        .select_related("user", "structure")
        .order_by("pk")
        .distinct()
    )


def seats_text(*, taken: int, left: int | None, waiting: int) -> str:
    """ "5 places libres (3 inscrites), 1 en liste d'attente"."""
    registered = french_plural(taken, _("%(n)d inscrite"), _("%(n)d inscrites"))
    if left is None:
        text = _("%(registered)s, places non limitées") % {"registered": registered}
    else:
        free = french_plural(left, _("%(n)d place libre"), _("%(n)d places libres"))
        text = f"{free} ({registered})"
    if waiting:
        text += ", " + _("%(n)d en liste d'attente") % {"n": waiting}
    return text


def people_lines(*, stuck: int, stopped: int, progressed: int) -> list[str]:
    """The digest's counts of people needing attention, in French."""
    return [
        french_plural(
            stuck,
            _(
                "%(n)d personne bloquée sur une compétence (même niveau après "
                "plusieurs observations)"
            ),
            _(
                "%(n)d personnes bloquées sur une compétence (même niveau après "
                "plusieurs observations)"
            ),
        ),
        french_plural(
            stopped,
            _("%(n)d personne ne vient plus depuis deux mois"),
            _("%(n)d personnes ne viennent plus depuis deux mois"),
        ),
        french_plural(
            progressed,
            _("%(n)d personne a progressé ce mois-ci"),
            _("%(n)d personnes ont progressé ce mois-ci"),
        ),
    ]


def _digest_sessions(
    *, user: AnyUser, today: datetime.date, week_end: datetime.date
) -> list[DigestSession]:
    sessions = sessions_for_user(user=user, start_from=today, start_before=week_end, mine_only=True)
    return [
        DigestSession(
            session=session,
            places_left=(
                max(session.capacity - session.seats_taken, 0)
                if session.capacity is not None
                else None
            ),
        )
        for session in sessions[:DIGEST_SESSIONS_MAX]
    ]


def _session_line(item: DigestSession) -> dict:
    session = item.session
    return {
        "title": session.display_title,
        "date": french_date(session.start),
        "time": french_time(session.start),
        "place": ", ".join(place_lines(session)[:1]),
        "seats": seats_text(
            taken=session.seats_taken, left=item.places_left, waiting=session.waiting_count
        ),
    }


def _digest_context(*, counsellor: Counsellor, today: datetime.date) -> dict:
    user = counsellor.user
    week_end = today + datetime.timedelta(days=7)
    sessions = _digest_sessions(user=user, today=today, week_end=week_end)
    dashboard = counsellor_dashboard(user=user, today=today, limit=1)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return {
        "name": user.first_name or user.get_username(),
        "week_start": french_date(today),
        "week_end": french_date(week_end - datetime.timedelta(days=1)),
        "sessions": [_session_line(item) for item in sessions],
        "people_lines": people_lines(
            stuck=dashboard.stuck_count,
            stopped=dashboard.stopped_count,
            progressed=dashboard.progressed_count,
        ),
        "dashboard_url": base + reverse("learners_dashboard"),
        "sessions_url": base + reverse("learners_sessions"),
    }


def digest_message(*, counsellor: Counsellor, today: datetime.date) -> EmailMessage:
    """The week ahead of one counsellor: the sessions they run in the next 7 days with the
    places left, and how many people are stuck or stopped coming (counts only: names of
    the people accompanied never travel by e-mail; the link opens the dashboard)."""
    context = _digest_context(counsellor=counsellor, today=today)
    with translation.override("fr"):
        subject = " ".join(render_to_string("learners/emails/digest_subject.txt", context).split())
        body = render_to_string("learners/emails/digest.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[counsellor.user.email],
    )


def weekly_digests_send(
    *, today: datetime.date | None = None, budget: float | None = None
) -> SendResult:
    """Send each counsellor (active, in the counsellors group, with an e-mail) the digest
    of the week starting `today`, once per ISO week (claimed like reminders; `budget` as
    for `reminders_send`)."""
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    result = SendResult()
    week = {"iso_year": iso_year, "iso_week": iso_week}
    result.skipped = DigestSent.objects.filter(**week, sent_at__isnull=False).count()
    counsellors = list(_digest_counsellors(iso_year=iso_year, iso_week=iso_week))
    messages_send_once(
        items=counsellors,
        claim_for=lambda counsellor: claim_insert(
            DigestSent, counsellor=counsellor, iso_year=iso_year, iso_week=iso_week
        ),
        message_for=lambda counsellor: digest_message(counsellor=counsellor, today=today),
        budget=budget,
        result=result,
    )
    result.unconfirmed = DigestSent.objects.filter(**week, sent_at__isnull=True).count()
    return result
