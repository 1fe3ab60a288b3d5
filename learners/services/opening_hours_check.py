"""Opening hours of a venue are kept in the national `opening_hours` syntax (OpenStreetMap,
required by the « lieux de médiation numérique » standard), checked with the maintained
`opening-hours-py` parser before they are saved: a typo gets a French message showing
the syntax, never a venue whose hours the agenda cannot read."""

from __future__ import annotations

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OPENING_HOURS_MAX_LENGTH = 500


def opening_hours_clean(value: str) -> str:
    """The value with surrounding spaces removed, or a French ValidationError."""
    value = " ".join((value or "").split())
    if not value:
        return ""
    if len(value) > OPENING_HOURS_MAX_LENGTH or not opening_hours.validate(value):
        raise ValidationError(
            {
                "opening_hours": _(
                    "Ces horaires ne sont pas au format national (OpenStreetMap). Écrivez par "
                    "exemple « Tu 09:00-12:00; Th 14:00-17:30 » (mardi de 9 h à 12 h, jeudi de "
                    "14 h à 17 h 30) ou « Mo-Fr 09:00-12:00,14:00-17:00 ». Jours : Mo Tu We Th "
                    "Fr Sa Su ; jours fériés fermés : « PH off »."
                )
            }
        )
    return value
