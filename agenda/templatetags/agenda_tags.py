"""How the agenda tells a date, a distance and the places left, in plain French."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import wording
from common.french_text import french_when
from learners.selectors.places import Places

register = template.Library()


@lru_cache(maxsize=1024)
def _when_text(
    start: datetime.datetime, end: datetime.datetime, this_year: int, language: str | None
) -> str:
    """The same few dates come back on every list: each is written once per process (per
    language and current year, both in the key)."""
    return french_when(start, end)


@register.filter
def session_when(session) -> str:
    """ "mardi 12 janvier de 14 h à 16 h", "lundi 1er juin 2027 de 9 h 30 à 11 h" (the year
    when it is not this one): `common.french_text`, like the e-mails and the session page."""
    return _when_text(
        session.start, session.end, timezone.localdate().year, translation.get_language()
    )


@register.filter
def distance(km) -> str:
    """ "à 4 km", "à moins de 1 km"."""
    if km is None:
        return ""
    rounded = round(km)
    if rounded < 1:
        return _("à moins de 1 km")
    return _("à %(km)s km") % {"km": rounded}


@register.filter
def places_text(places: Places) -> str:
    """ "3 places libres", "1 place libre", "Complet : liste d'attente", "Complet"."""
    return wording.places_text(places)


@register.filter
def places_state(places: Places) -> str:
    """A CSS class naming the state: "free", "waitlist", "full"."""
    if not places.is_full:
        return "free"
    return "waitlist" if places.waitlist_open else "full"
