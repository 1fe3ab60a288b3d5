"""Age bands of the national activity record, derived from a birth year AT A SESSION DATE.

People give a birth year, never a birth date, so the age on a given day is ambiguous by one
year. Rule used everywhere (Python and SQL): **age = year of the session − birth year**
(the age the person reaches during that calendar year). A person born in 2007 is 17 for
any 2024 session ("12-18" band) and 18 for any 2025 session ("18-24" band). Session years
are taken in the site's time zone (Europe/Paris), so a session on 31 December at 23:30 counts
in that year.

Two schemes:
- "current" (national record since 2025): moins de 12, 12-18 (that is 12 to 17), 18-24,
  25-39, 40-59, 60-69, 70 et plus, non communiqué;
- "2021" (2021-2024, for historical comparison): moins de 12, 12-18, 18-35, 35-60, plus de
  60 (lower bound included, upper excluded), plus non communiqué.

A missing birth year, or a birth year after the session year, gives "non communiqué".
`age_band_expression()` is the same rule as a database expression, for aggregations in SQL.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Value, When
from django.db.models.functions import ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCHEME_CURRENT = "current"
SCHEME_2021 = "2021"
UNKNOWN = "nc"


class AgeBand(models.TextChoices):
    UNDER_12 = "moins_12", _("Moins de 12 ans")
    FROM_12 = "12_17", _("12-18 ans")
    FROM_18 = "18_24", _("18-24 ans")
    FROM_25 = "25_39", _("25-39 ans")
    FROM_40 = "40_59", _("40-59 ans")
    FROM_60 = "60_69", _("60-69 ans")
    FROM_70 = "70_plus", _("70 ans et plus")
    UNKNOWN = UNKNOWN, _("Non communiqué")


class AgeBand2021(models.TextChoices):
    UNDER_12 = "moins_12", _("Moins de 12 ans")
    FROM_12 = "12_17", _("12-18 ans")
    FROM_18 = "18_34", _("18-35 ans")
    FROM_35 = "35_59", _("35-60 ans")
    FROM_60 = "60_plus", _("Plus de 60 ans")
    UNKNOWN = UNKNOWN, _("Non communiqué")


# (lowest age included, band), from the oldest band down.
_LOWER_BOUNDS = {
    SCHEME_CURRENT: (
        (70, AgeBand.FROM_70),
        (60, AgeBand.FROM_60),
        (40, AgeBand.FROM_40),
        (25, AgeBand.FROM_25),
        (18, AgeBand.FROM_18),
        (12, AgeBand.FROM_12),
        (0, AgeBand.UNDER_12),
    ),
    SCHEME_2021: (
        (60, AgeBand2021.FROM_60),
        (35, AgeBand2021.FROM_35),
        (18, AgeBand2021.FROM_18),
        (12, AgeBand2021.FROM_12),
        (0, AgeBand2021.UNDER_12),
    ),
}
CHOICES = {SCHEME_CURRENT: AgeBand, SCHEME_2021: AgeBand2021}


def _bounds(scheme: str):
    try:
        return _LOWER_BOUNDS[scheme]
    except KeyError:
        raise ValueError(f"Unknown age band scheme: {scheme!r}") from None


def age_at(birth_year: int | None, on_date: datetime.date | datetime.datetime) -> int | None:
    """Age under the documented rule (year of `on_date` − birth year), None if unknown."""
    if birth_year is None:
        return None
    if isinstance(on_date, datetime.datetime):
        on_date = timezone.localdate(on_date) if timezone.is_aware(on_date) else on_date.date()
    age = on_date.year - birth_year
    return age if age >= 0 else None


def age_band(
    birth_year: int | None, on_date: datetime.date | datetime.datetime, scheme: str = "current"
) -> str:
    """The band code (see `AgeBand`, `AgeBand2021`) of a person at `on_date`."""
    bounds = _bounds(scheme)
    age = age_at(birth_year, on_date)
    if age is None:
        return UNKNOWN
    for lowest, band in bounds:
        if age >= lowest:
            return band.value
    return UNKNOWN  # pragma: no cover - the last bound is 0


def age_band_label(code: str, scheme: str = "current") -> str:
    """French label of a band code ("12_17" → "12-18 ans")."""
    return str(CHOICES[scheme](code).label)


def age_band_expression(
    *,
    birth_year: str = "learner__birth_year",
    on: str | models.Expression = "session__start",
    scheme: str = "current",
) -> Case:
    """The band as a SQL expression, e.g. on `Attendance`:

    ``Attendance.objects.annotate(band=age_band_expression()).values("band").annotate(...)``

    `on` is a date or datetime field path (or an expression); datetimes are converted to the
    current time zone before taking the year, like `age_band()`.
    """
    bounds = _bounds(scheme)
    on_expr = F(on) if isinstance(on, str) else on
    age = ExpressionWrapper(ExtractYear(on_expr) - F(birth_year), output_field=IntegerField())
    whens = [When(**{f"{birth_year}__isnull": True}, then=Value(UNKNOWN))]
    whens.append(When(LessThan(age, 0), then=Value(UNKNOWN)))
    whens += [
        When(GreaterThanOrEqual(age, lowest), then=Value(band.value)) for lowest, band in bounds
    ]
    return Case(*whens, default=Value(UNKNOWN), output_field=models.CharField())


_OLDEST_AGE = 150


def _current_thresholds() -> list[tuple[int, str]]:
    """(lowest age, band), oldest first, read from `age_band` (age = year − birth year)."""
    year = 2000
    bands = [(age, age_band(year - age, datetime.date(year, 7, 1))) for age in range(_OLDEST_AGE)]
    thresholds = [
        (age, band)
        for age, band in bands
        if band != UNKNOWN and (age == 0 or bands[age - 1][1] != band)
    ]
    return sorted(thresholds, reverse=True)


def age_band_sql(age: str) -> str:
    """The current band of the SQL integer expression `age` (year − birth year), as raw
    SQL with the thresholds read from `age_band` (not written twice)."""
    whens = " ".join(
        f"WHEN {age} >= {lowest} THEN '{band}'" for lowest, band in _current_thresholds()
    )
    return f"CASE WHEN {age} IS NULL OR {age} < 0 THEN '{UNKNOWN}' {whens} ELSE '{UNKNOWN}' END"
