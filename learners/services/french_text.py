"""French wording of counts, dates, times and durations in messages sent by e-mail and in
job summaries (always French, whatever the active language)."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone, translation


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
