"""The words of the messages sent about a sign-up (`learners.services.notices`): one short
SMS (160 characters of the GSM alphabet where possible: « mar. 12 janv. 14 h », the place,
a link to the person's page) and a longer e-mail (templates
``learners/emails/booking_notice*.txt``), for each `MessageKind`.

SMS texts are folded to the GSM 7-bit alphabet (`common.sms.segments.gsm7_fold`: « ê »
becomes « e », « ’ » becomes « ' »): one such character would otherwise bill the whole
text at 70 characters per SMS instead of 160.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.french_text import (
    french_date,
    french_deadline,
    french_duration,
    french_short_datetime,
    french_time,
)
from common.sms.segments import gsm7_fold, sms_segments
from learners.choices import PlaceType
from learners.models import Booking, MessageKind

if TYPE_CHECKING:
    from learners.models import Session


@dataclass(frozen=True)
class SmsFit:
    """Characters given to the title (kept whole, or left out), the place and the reason
    in an SMS (shortened at a word)."""

    title: int
    place: int
    reason: int


# A cancelled or moved session's message always says why (a second SMS rather than no
# reason): at least this many characters of it.
REASON_MIN = 40
# The kinds whose message gives the counsellor's reason.
CHANGE_KINDS = (MessageKind.SESSION_CANCELLED, MessageKind.SESSION_MOVED)

# From the most complete to the shortest; the first that fits in one SMS is sent.
SMS_FITS = (
    SmsFit(title=40, place=40, reason=80),
    SmsFit(title=40, place=24, reason=60),
    SmsFit(title=0, place=40, reason=60),
    SmsFit(title=0, place=24, reason=40),
    SmsFit(title=0, place=14, reason=24),
    SmsFit(title=0, place=0, reason=0),
)


def public_base_url() -> str:
    """The site's public address for links sent without a request (SITE_URL, else the
    admin's base URL, which defaults to the local address)."""
    return (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def booking_link(booking: Booking) -> str:
    """The absolute address of the person's page for this sign-up (details, cancel)."""
    return public_base_url() + reverse("agenda:booking", kwargs={"token": booking.token})


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


def _shorten(text: str, limit: int) -> str:
    """`text` cut at the last word that fits in `limit` characters (SMS)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut[:limit].rstrip(" ,.;:-'(")


def _sms_place(session: Session, limit: int) -> str:
    if session.place_type == PlaceType.VENUE and session.venue is not None:
        return _shorten(session.venue.name, limit)
    if session.place_type == PlaceType.REMOTE:
        return _("à distance")
    if session.place_type == PlaceType.HOME:
        return _("à domicile")
    return _("lieu à préciser")


@dataclass
class Notice:
    """What a message says about one sign-up (or one group of sign-ups: a whole cycle)."""

    booking: Booking
    kind: str
    other_starts: list[datetime.datetime] = field(default_factory=list)
    now: datetime.datetime = field(default_factory=timezone.now)
    # Why a session is cancelled or moved, in the counsellor's words (a move keeps no
    # reason on the session, so it travels with the notice).
    given_reason: str = ""
    # Which change of the session a cancellation or move is about (part of its claim).
    change: str = ""

    @property
    def reason(self) -> str:
        if self.kind not in CHANGE_KINDS:
            return ""
        return self.given_reason or self.session.cancellation_reason

    @property
    def session(self) -> Session:
        return self.booking.session

    def _more(self) -> str:
        n = len(self.other_starts)
        if not n:
            return ""
        return " " + ngettext("Et %(n)d autre date.", "Et %(n)d autres dates.", n) % {"n": n}

    def _sms_values(self, fit: SmsFit) -> dict[str, str]:
        session = self.session
        deadline = self.booking.offered_until
        reason = self.reason
        # A title is kept whole or left out (« Créer son » would say nothing).
        title = " ".join(session.display_title.split())
        what = title if len(title) <= fit.title else ""
        where = _sms_place(session, fit.place) if fit.place else ""
        return {
            "what": f"{what}, " if what else "",
            "when": french_short_datetime(session.start),
            "time": french_time(session.start),
            "where": f", {where}" if where else "",
            "link": booking_link(self.booking),
            "deadline": french_deadline(deadline, now=self.now) if deadline else "",
            "more": self._more(),
            "reason": f" {_shorten(reason, fit.reason).rstrip('.!')}."
            if reason and fit.reason
            else "",
            "structure": _shorten(session.structure.name, fit.place),
        }

    def _sms_template(self) -> str:
        # %(what)s is the title and ", ", %(where)s ", " and the place, %(reason)s a space and
        # the reason: each may be empty when the text must be shorter.
        texts = {
            MessageKind.CONFIRMATION: _(
                "C'est noté : %(what)s%(when)s%(where)s.%(more)s Annuler ou infos : %(link)s"
            ),
            MessageKind.WAITLISTED: _(
                "Liste d'attente : %(what)s%(when)s%(where)s.%(more)s Si une place se "
                "libère, on vous écrit : %(link)s"
            ),
            MessageKind.OFFER: _(
                "Une place pour vous : %(what)s%(when)s%(where)s. Répondez avant "
                "%(deadline)s : %(link)s"
            ),
            MessageKind.REMINDER: _(
                "Rappel : %(what)sdemain à %(time)s%(where)s. Imprévu ? Prévenez ici : %(link)s"
            ),
            MessageKind.SESSION_CANCELLED: _(
                "Séance annulée : %(what)s%(when)s.%(reason)s Désolés. Infos : %(link)s"
            ),
            MessageKind.SESSION_MOVED: _(
                "Séance déplacée : %(what)s%(when)s%(where)s.%(reason)s Annuler ou infos : %(link)s"
            ),
            # Only the structure's cancellation is told (a person who cancels sees it
            # on screen): `booking_cancel`.
            MessageKind.BOOKING_CANCELLED: _(
                "Inscription annulée : %(what)s%(when)s.%(more)s Pour en savoir plus, "
                "contactez %(structure)s."
            ),
        }
        return texts[MessageKind(self.kind)]

    def sms_text(self) -> str:
        """The SMS, as complete as one SMS allows: the place and the reason are shortened
        and the title left out until the text fits in 160 characters (the date and the link
        always stay); when even the shortest does not fit, the complete text (two SMS) is
        sent."""
        with translation.override("fr"):
            template = self._sms_template()
            fits = [f for f in SMS_FITS if f.reason >= REASON_MIN] if self.reason else SMS_FITS
            texts = [gsm7_fold(template % self._sms_values(fit)) for fit in fits]
        return next((text for text in texts if sms_segments(text) == 1), texts[0])

    # --- E-mail ------------------------------------------------------------------------

    def _email_intro(self) -> str:
        intros = {
            MessageKind.CONFIRMATION: _("Votre inscription est confirmée."),
            MessageKind.WAITLISTED: _(
                "La séance est complète : vous êtes sur la liste d'attente. Si une place se "
                "libère, nous vous l'écrirons."
            ),
            MessageKind.OFFER: _("Bonne nouvelle : une place s'est libérée pour vous."),
            MessageKind.REMINDER: _("Nous vous rappelons votre séance de demain."),
            MessageKind.SESSION_CANCELLED: _(
                "Nous sommes désolés : la séance est annulée. Vous n'avez rien à faire."
            ),
            MessageKind.SESSION_MOVED: _(
                "La séance change de date ou de lieu : voici ce qui change."
            ),
            MessageKind.BOOKING_CANCELLED: _("Votre inscription a été annulée par la structure."),
        }
        return intros[MessageKind(self.kind)]

    def _email_action(self) -> str:
        if self.kind == MessageKind.OFFER and self.booking.offered_until:
            return _(
                "Pour prendre cette place, répondez avant %(deadline)s sur votre page. Sans "
                "réponse, elle sera proposée à la personne suivante."
            ) % {"deadline": french_deadline(self.booking.offered_until, now=self.now)}
        if self.kind in (MessageKind.SESSION_CANCELLED, MessageKind.BOOKING_CANCELLED):
            return _("Votre page, avec les autres dates près de chez vous :")
        return _(
            "Vous ne pouvez pas venir ? Annulez sur votre page, la place servira à une "
            "autre personne :"
        )

    def _email_subject(self) -> str:
        values = {
            "what": self.session.display_title,
            "when": french_short_datetime(self.session.start),
        }
        subjects = {
            MessageKind.CONFIRMATION: _("Inscription confirmée : %(what)s, %(when)s"),
            MessageKind.WAITLISTED: _("Liste d'attente : %(what)s, %(when)s"),
            MessageKind.OFFER: _("Une place s'est libérée : %(what)s, %(when)s"),
            MessageKind.REMINDER: _("Rappel : %(what)s demain"),
            MessageKind.SESSION_CANCELLED: _("Séance annulée : %(what)s, %(when)s"),
            MessageKind.SESSION_MOVED: _("Séance déplacée : %(what)s, %(when)s"),
            MessageKind.BOOKING_CANCELLED: _("Désinscription : %(what)s, %(when)s"),
        }
        return subjects[MessageKind(self.kind)] % values

    def email_message(self) -> EmailMessage:
        session = self.session
        venue = session.venue if session.place_type == PlaceType.VENUE else None
        with translation.override("fr"):
            context = {
                "first_name": self.booking.first_name,
                "intro": self._email_intro(),
                "title": session.display_title,
                "date": french_date(session.start),
                "time": french_time(session.start),
                "duration": french_duration(session.duration_minutes),
                "other_dates": [
                    f"{french_date(start)} {french_time(start)}" for start in self.other_starts
                ],
                "place_lines": place_lines(session),
                "access_details": venue.access_details if venue else "",
                "what_to_bring": session.what_to_bring,
                "accessibility_note": session.accessibility_note,
                "reason": self.reason,
                "action": self._email_action(),
                "link": booking_link(self.booking),
                "structure": session.structure.name,
                "phone": venue.phone_label if venue else "",
                "email": venue.email if venue else "",
                "show_details": self.kind != MessageKind.BOOKING_CANCELLED,
            }
            subject = " ".join(self._email_subject().split())
            body = render_to_string("learners/emails/booking_notice.txt", context)
        return EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.booking.email],
            reply_to=[venue.email] if venue and venue.email else None,
        )
