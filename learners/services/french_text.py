"""French wording of counts, dates, times and durations in messages sent by e-mail and in
job summaries (always French, whatever the active language)."""

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


def french_date(value: datetime.datetime | datetime.date) -> str:
    """ "mardi 12 mars 2024"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override("fr"):
        return formats.date_format(value, "l j F Y")


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
