"""Finding a commune the way a counsellor types it: a name ("landeronde", "la roche sur
yon", "st gilles") or a postal code ("85190", "851"). Communes are public facts: no
scoping, but the views that expose this are reserved to tracking users."""

from __future__ import annotations

import re

from django.db.models import Case, F, IntegerField, Q, Value, When

from common.text import fold
from learners.models import Commune

MIN_NAME_CHARS = 2
MIN_CODE_DIGITS = 2
# Leading articles people often leave out ("Roche-sur-Yon" for "La Roche-sur-Yon").
_ARTICLES = ("l", "la", "le", "les")


def _name_prefixes(folded: str) -> set[str]:
    prefixes = {folded, *(article + folded for article in _ARTICLES)}
    # "st gilles" / "ste hermine" for "Saint-Gilles" / "Sainte-Hermine".
    for short, long in (("ste", "sainte"), ("st", "saint")):
        if folded.startswith(short) and not folded.startswith(long[: len(short) + 1]):
            prefixes.add(long + folded[len(short) :])
            break
    return prefixes


def communes_search(*, query: str, limit: int = 10) -> list[Commune]:
    """Communes whose name starts with `query` (ignoring accents, case, hyphens, spaces and
    a leading article), or whose postal code (or INSEE code) starts with the digits typed.
    Exact names first, then the most populated. Two queries at most; [] for too short
    a query (fewer than 2 letters or digits)."""
    text = (query or "").strip()
    compact = re.sub(r"\s+", "", text)
    if compact.isdigit():
        if len(compact) < MIN_CODE_DIGITS:
            return []
        condition = (
            Q(postal_codes__startswith=compact)
            | Q(postal_codes__contains=" " + compact)
            | Q(insee_code__startswith=compact)
        )
        exact = Q(postal_codes__startswith=compact) | Q(insee_code=compact)
    else:
        folded = fold(text)
        if len(folded) < MIN_NAME_CHARS:
            return []
        condition = Q()
        for prefix in _name_prefixes(folded):
            condition |= Q(normalized_name__startswith=prefix)
        exact = Q(normalized_name__in=_name_prefixes(folded))
    return list(
        Commune.objects.filter(condition)
        .annotate(
            exact=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("exact", F("population").desc(nulls_last=True), "name", "insee_code")[:limit]
    )


def commune_label(commune: Commune) -> str:
    """ "Landeronde (85150)": the name and its first postal code (or département)."""
    codes = commune.postal_code_list
    return f"{commune.name} ({codes[0] if codes else commune.department_code})"
