"""French wording in templates, from `common.french_text` (one implementation
for e-mails, views and pages): `{% load french %}` then
`{{ commune|de }}` (« d'Angers », « du Mans »), `{{ moment|french_datetime }}`
(« mardi 1er septembre à 9 h »), `{{ moment|french_day }}` (« mardi 1er septembre 2026 »),
`{{ day|french_date }}` (« 1er septembre 2026 », where `date:"j F Y"` writes « 1 »),
`{{ moment|french_date:"heure" }}` (« 1er septembre 2026 à 9 h 30 »).

In `workshops`, the lowest app with templates, so every app's templates can load it."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import pgettext

from common.french_text import french_datetime as _french_datetime
from common.french_text import french_day as _french_day
from common.french_text import french_day_month, french_de, french_time

register = template.Library()


@register.filter
def de(name) -> str:
    return french_de(str(name)) if name not in (None, "") else ""


@register.filter
def french_datetime(value: datetime.datetime | None, with_year: str = "") -> str:
    """The year when it is not this one; `|french_datetime:"annee"` always gives it."""
    if value is None or value == "":
        return ""
    return _french_datetime(value, with_year=True if with_year else None)


@register.filter
def french_day(value: datetime.datetime | datetime.date | None, with_year: str = "annee") -> str:
    """With the year; `|french_day:""` without it."""
    if value is None or value == "":
        return ""
    return _french_day(value, with_year=bool(with_year))


@register.filter
def french_date(value: datetime.datetime | datetime.date | None, with_time: str = "") -> str:
    """ "1er janvier 2027"; `|french_date:"heure"` adds « à 14 h 30 » (a datetime)."""
    if value is None or value == "":
        return ""
    text = french_day_month(value)
    if with_time and isinstance(value, datetime.datetime):
        text = pgettext("date et heure", "%(day)s à %(time)s") % {
            "day": text,
            "time": french_time(value),
        }
    return text
