"""How the agenda tells a date, a distance and the places left, in plain French."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.selectors.places import Places

register = template.Library()


def _hour(moment) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


@lru_cache(maxsize=1024)
def _day_text(day: datetime.date, this_year: int, language: str | None) -> str:
    """ "mardi 12 janvier", "lundi 1er juin", with the year when it is not this one: the
    same few dates come back on every list, so each is written once per process (per
    language and current year, both in the key)."""
    number = _("1er") if day.day == 1 else str(day.day)
    text = f"{formats.date_format(day, 'l')} {number} {formats.date_format(day, 'F')}"
    if day.year != this_year:
        text += f" {day.year}"
    return text


def _day(moment) -> str:
    return _day_text(moment.date(), timezone.localdate().year, translation.get_language())


@lru_cache(maxsize=1024)
def _when_text(day: str, start: str, end: str, language: str | None) -> str:
    return _("%(day)s de %(start)s à %(end)s") % {"day": day, "start": start, "end": end}


@register.filter
def session_when(session) -> str:
    """ "mardi 12 janvier de 14 h à 16 h"."""
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    return _when_text(_day(start), _hour(start), _hour(end), translation.get_language())


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
    if places.capacity is None:
        return _("Places non limitées")
    if not places.is_full:
        return ngettext("%(n)s place libre", "%(n)s places libres", places.free or 0) % {
            "n": places.free
        }
    if places.waitlist_open:
        return _("Complet : liste d'attente")
    return _("Complet")


@register.filter
def places_state(places: Places) -> str:
    """A CSS class naming the state: "free", "waitlist", "full"."""
    if not places.is_full:
        return "free"
    return "waitlist" if places.waitlist_open else "full"
