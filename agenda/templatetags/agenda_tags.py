"""How the agenda tells a date, a distance and the places left, in plain French."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.selectors.places import Places

register = template.Library()


def _hour(moment) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def _day(moment) -> str:
    """ "mardi 12 janvier", "lundi 1er juin", with the year when it is not this one."""
    day = _("1er") if moment.day == 1 else str(moment.day)
    text = f"{formats.date_format(moment, 'l')} {day} {formats.date_format(moment, 'F')}"
    if moment.year != timezone.localdate().year:
        text += f" {moment.year}"
    return text


@register.filter
def session_when(session) -> str:
    """ "mardi 12 janvier de 14 h à 16 h"."""
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    return _("%(day)s de %(start)s à %(end)s") % {
        "day": _day(start),
        "start": _hour(start),
        "end": _hour(end),
    }


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
