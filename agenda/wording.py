"""How the agenda tells a session's date and its places, in plain French: one
implementation for the views (`agenda.views.signup`) and the template filters
(`agenda.templatetags.agenda_tags`); dates and times come from
`common.french_text`, like the e-mails and SMS."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.french_text import french_when
from learners.models import Session
from learners.selectors.places import Places


def session_when(session: Session, *, with_year: bool | None = None) -> str:
    """ "mardi 12 janvier de 14 h à 16 h", "vendredi 1er janvier 2027 de 9 h 30 à 11 h"
    (the year when it is not this one, unless `with_year` says)."""
    return french_when(session.start, session.end, with_year=with_year)


def places_text(places: Places) -> str:
    """ "3 places libres", "1 place libre", "Complet : liste d'attente", "Complet"."""
    if places.capacity is None:
        return _("Places non limitées")
    if not places.is_full:
        free = places.free or 0
        return ngettext("%(count)d place libre", "%(count)d places libres", free) % {"count": free}
    if places.waitlist_open:
        return _("Complet : liste d'attente")
    return _("Complet")
