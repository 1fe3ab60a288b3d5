"""French wording in templates, from `common.french_text` (one implementation
for e-mails, views and pages): `{% load french %}` then
`{{ commune|de }}` (« d'Angers », « du Mans »), `{{ moment|french_datetime }}`
(« mardi 1er septembre à 9 h »), `{{ moment|french_day }}` (« mardi 1er septembre 2026 »)."""

from __future__ import annotations

import datetime

from django import template

from common.french_text import french_datetime as _french_datetime
from common.french_text import french_day as _french_day
from common.french_text import french_de

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
