"""French wording of counts, dates, times, durations and « de » before a name: one
implementation for the e-mails, SMS, job summaries, views and templates (template filters
in `workshops.templatetags.french`, the lowest app with templates). Dates are always
French, whatever the active language; « 1er » for the first of the month, « 9 h »,
« 9 h 30 » for times.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import pgettext, pgettext_lazy


def french_plural(n: int, one: str, many: str) -> str:
    """French agreement: 0 and 1 take the singular (gettext's fallback without a catalogue
    would use the English rule, "0 envoyés")."""
    return (one if abs(n) < 2 else many) % {"n": n}


def french_time(value: datetime.datetime) -> str:
    """ "14 h 30", "10 h" in the site's time zone (Europe/Paris)."""
    local = timezone.localtime(value)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def french_day(value: datetime.datetime | datetime.date, *, with_year: bool | None = True) -> str:
    """ "mardi 12 mars 2024", "vendredi 1er mai 2026" in the site's time zone; without the
    year when `with_year` is False, or (None) when it is this year's."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    if with_year is None:
        with_year = value.year != timezone.localdate().year
    with translation.override("fr"):
        text = (
            f"{formats.date_format(value, 'l')} {french_day_number(value.day)} "
            f"{formats.date_format(value, 'F')}"
        )
    return f"{text} {value.year}" if with_year else text


def french_day_month(value: datetime.datetime | datetime.date, *, with_year: bool = True) -> str:
    """ "1er janvier 2027", "12 mars 2024" (no weekday), in the site's time zone: what
    Django's `date:"j F Y"` writes without the ordinal of the first."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override("fr"):
        text = f"{french_day_number(value.day)} {formats.date_format(value, 'F')}"
    return f"{text} {value.year}" if with_year else text


def french_date(value: datetime.datetime | datetime.date) -> str:
    """ "mardi 12 mars 2024", "vendredi 1er mai 2026"."""
    return french_day(value, with_year=True)


def french_datetime(value: datetime.datetime, *, with_year: bool | None = None) -> str:
    """ "mardi 1er septembre à 9 h", "lundi 12 janvier 2027 à 9 h 30" (the year when it is
    not this one, unless `with_year` says)."""
    return pgettext("date et heure", "%(day)s à %(time)s") % {
        "day": french_day(value, with_year=with_year),
        "time": french_time(value),
    }


def french_when(
    start: datetime.datetime, end: datetime.datetime, *, with_year: bool | None = None
) -> str:
    """ "mardi 12 janvier de 14 h à 16 h 30" (the year as in `french_day`)."""
    return pgettext("date et heures", "%(day)s de %(start)s à %(end)s") % {
        "day": french_day(start, with_year=with_year),
        "start": french_time(start),
        "end": french_time(end),
    }


# Initials before which « de » is elided; « h » is taken as mute (« d'Herbignac »), which
# holds for most place and first names.
_ELIDING_INITIALS = frozenset("aeiouyhàâäéèêëîïôöùûüœæ")


def french_de(name: str) -> str:
    """« de » before a name, with French elision and contraction: « de La Roche-sur-Yon »,
    « d'Angers », « d'Yssingeaux », « du Mans » (Le Mans), « des Sables-d'Olonne »
    (Les Sables-d'Olonne), « d'Hélène »."""
    name = (name or "").strip()
    if not name:
        return ""
    first, _space, rest = name.partition(" ")
    if rest and first.casefold() == "le":
        return pgettext("de + le", "du %(name)s") % {"name": rest}
    if rest and first.casefold() == "les":
        return pgettext("de + les", "des %(name)s") % {"name": rest}
    initial = name[0].casefold()
    # « Y » elides before a consonant (« d'Yssingeaux »), not before a vowel (« de Yonne »
    # is rare; « de Yaoundé »).
    elides = initial in _ELIDING_INITIALS and not (
        initial == "y" and len(name) > 1 and name[1].casefold() in "aeiou"
    )
    if elides:
        return pgettext("de élidé", "d'%(name)s") % {"name": name}
    return pgettext("de", "de %(name)s") % {"name": name}


def french_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


# Short forms for SMS (« mar. 12 janv. 14 h »), as French typography abbreviates them.
_DAYS_SHORT = (
    pgettext_lazy("jour abrégé", "lun."),
    pgettext_lazy("jour abrégé", "mar."),
    pgettext_lazy("jour abrégé", "mer."),
    pgettext_lazy("jour abrégé", "jeu."),
    pgettext_lazy("jour abrégé", "ven."),
    pgettext_lazy("jour abrégé", "sam."),
    pgettext_lazy("jour abrégé", "dim."),
)
_DAYS = (
    pgettext_lazy("jour", "lundi"),
    pgettext_lazy("jour", "mardi"),
    pgettext_lazy("jour", "mercredi"),
    pgettext_lazy("jour", "jeudi"),
    pgettext_lazy("jour", "vendredi"),
    pgettext_lazy("jour", "samedi"),
    pgettext_lazy("jour", "dimanche"),
)
_MONTHS_SHORT = (
    pgettext_lazy("mois abrégé", "janv."),
    pgettext_lazy("mois abrégé", "févr."),
    pgettext_lazy("mois abrégé", "mars"),
    pgettext_lazy("mois abrégé", "avr."),
    pgettext_lazy("mois abrégé", "mai"),
    pgettext_lazy("mois abrégé", "juin"),
    pgettext_lazy("mois abrégé", "juil."),
    pgettext_lazy("mois abrégé", "août"),
    pgettext_lazy("mois abrégé", "sept."),
    pgettext_lazy("mois abrégé", "oct."),
    pgettext_lazy("mois abrégé", "nov."),
    pgettext_lazy("mois abrégé", "déc."),
)


def french_day_number(day: int) -> str:
    """ "1er", "2", … "31" (the first of the month is an ordinal in French)."""
    return pgettext("premier du mois", "1er") if day == 1 else str(day)


def french_short_date(value: datetime.datetime | datetime.date) -> str:
    """ "mar. 12 janv.", "lun. 1er sept." in the site's time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override("fr"):
        return (
            f"{_DAYS_SHORT[value.weekday()]} {french_day_number(value.day)} "
            f"{_MONTHS_SHORT[value.month - 1]}"
        )


def french_short_datetime(value: datetime.datetime) -> str:
    """ "mar. 12 janv. 14 h", "ven. 1er mai 9 h 30"."""
    return f"{french_short_date(value)} {french_time(value)}"


def french_deadline(value: datetime.datetime, *, now: datetime.datetime) -> str:
    """When to answer by: "mardi 18 h" within the coming six days, otherwise with the
    date ("mardi 12 janv. 18 h"); "aujourd'hui 18 h" and "demain 18 h" for the nearest."""
    local = timezone.localtime(value)
    days = (local.date() - timezone.localtime(now).date()).days
    with translation.override("fr"):
        if days == 0:
            day = pgettext("échéance", "aujourd'hui")
        elif days == 1:
            day = pgettext("échéance", "demain")
        elif 1 < days < 7:
            day = str(_DAYS[local.weekday()])
        else:
            day = f"{_DAYS[local.weekday()]} {french_day_number(local.day)} "
            day += str(_MONTHS_SHORT[local.month - 1])
        return f"{day} {french_time(local)}"
