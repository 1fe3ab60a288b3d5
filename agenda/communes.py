"""Which commune a person means, from what they type in the agenda's search box.

People type « la roche sur yon », « La Roche-sur-Yon », « 85000 », « st gilles » or the old
name of a merged commune (« Montaigu »). The answer is one commune, a short list to choose
from (most populated first), or a reason to ask again (too vague, unknown). Read-only, no
personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from caching import memo
from common.text import fold
from learners.models import Commune

MIN_NAME_CHARS = 2
POSTCODE_DIGITS = 5
MAX_CHOICES = 8
# An INSEE commune code: 5 characters, Corsica's département as 2A / 2B.
_INSEE_CODE = re.compile(r"[0-9][0-9AB][0-9]{3}")
# "st gilles" / "ste hermine" for "Saint-Gilles…" / "Sainte-Hermine".
_SAINTS = (("ste", "sainte"), ("st", "saint"))
_ARTICLES = ("l", "la", "le", "les")


class LookupProblem(StrEnum):
    NONE = ""
    EMPTY = "vide"
    VAGUE = "imprecis"
    UNKNOWN = "inconnue"


@dataclass(frozen=True)
class CommuneLookup:
    """`commune` when one is meant; else `choices` to pick from, or a `problem`."""

    text: str
    commune: Commune | None = None
    choices: list[Commune] = field(default_factory=list)
    problem: LookupProblem = LookupProblem.NONE


def _name_keys(folded: str) -> set[str]:
    keys = {folded, *(article + folded for article in _ARTICLES)}
    for short, long in _SAINTS:
        if folded.startswith(short) and not folded.startswith(long[: len(short) + 1]):
            keys |= {long + folded[len(short) :]}
            break
    return keys


def _delegated_index() -> dict[str, list[str]]:
    """Folded old names of merged communes → INSEE codes of the new communes (500 rows,
    kept per process)."""

    def compute() -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        rows = Commune.objects.exclude(delegated_names="").values_list(
            "insee_code", "delegated_names"
        )
        for code, names in rows:
            for name in names.split("|"):
                if name.strip():
                    index.setdefault(fold(name), []).append(code)
        return index

    return memo.memoize("agenda.communes.delegated", compute)


def _ordered(queryset: QuerySet[Commune]) -> list[Commune]:
    return list(
        queryset.filter(latitude__isnull=False).order_by(
            F("population").desc(nulls_last=True), "name", "insee_code"
        )[: MAX_CHOICES + 1]
    )


def _by_postcode(text: str, digits: str) -> CommuneLookup:
    if len(digits) != POSTCODE_DIGITS:
        return CommuneLookup(text=text, problem=LookupProblem.VAGUE)
    found = _ordered(
        Commune.objects.filter(Q(postal_codes__contains=digits) | Q(insee_code=digits))
    )
    # `contains` on a space-separated list: keep whole codes only.
    found = [c for c in found if digits in c.postal_code_list or c.insee_code == digits]
    return _one_or_choices(text, found)


def _by_name(text: str, folded: str) -> CommuneLookup:
    """The commune whose name (or former name) is exactly what was typed; else every
    commune whose name starts with it (also with a leading article, « st » for « saint »),
    exact names first, then the most populated."""
    if len(folded) < MIN_NAME_CHARS:
        return CommuneLookup(text=text, problem=LookupProblem.VAGUE)
    keys = _name_keys(folded)
    delegated = _delegated_index()
    typed = Q(normalized_name=folded) | Q(insee_code__in=delegated.get(folded, []))
    exact = Q(normalized_name__in=keys) | Q(
        insee_code__in=[code for key in keys for code in delegated.get(key, [])]
    )
    condition = exact
    for key in keys:
        condition |= Q(normalized_name__startswith=key)
    rows = list(
        Commune.objects.filter(condition, latitude__isnull=False)
        .annotate(
            rank=Case(
                When(typed, then=Value(0)),
                When(exact, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", F("population").desc(nulls_last=True), "name", "insee_code")[
            : MAX_CHOICES + 1
        ]
    )
    typed_matches = [c for c in rows if c.rank == 0]
    if len(typed_matches) == 1:
        return CommuneLookup(text=text, commune=typed_matches[0])
    return _one_or_choices(text, rows)


def _one_or_choices(text: str, found: Sequence[Commune]) -> CommuneLookup:
    if not found:
        return CommuneLookup(text=text, problem=LookupProblem.UNKNOWN)
    if len(found) == 1:
        return CommuneLookup(text=text, commune=found[0])
    return CommuneLookup(text=text, choices=list(found[:MAX_CHOICES]))


def insee_code_or_empty(raw: str | None) -> str:
    """`raw` when it has the shape of an INSEE code (« 85128 », « 2A004 »), else "" (a
    NUL character, a long or odd string never reaches the database)."""
    code = (raw or "").strip()[:6].upper()
    return code if _INSEE_CODE.fullmatch(code) else ""


def commune_lookup(*, text: str, insee_code: str = "") -> CommuneLookup:
    """The commune meant by `text` (or chosen by its INSEE code among the choices offered).
    Two queries at most (one more, once per process, for the old names of merged
    communes)."""
    text = (text or "").strip()[:100]
    insee_code = insee_code_or_empty(insee_code)
    if insee_code:
        chosen = Commune.objects.filter(insee_code=insee_code, latitude__isnull=False).first()
        if chosen is not None:
            return CommuneLookup(text=text or chosen.name, commune=chosen)
    if not text:
        return CommuneLookup(text=text, problem=LookupProblem.EMPTY)
    digits = re.sub(r"\s+", "", text)
    if digits.isdigit():
        return _by_postcode(text, digits)
    return _by_name(text, fold(text))


def commune_label(commune: Commune) -> str:
    """ "Landeronde (85150)": the name and its first postal code (or département)."""
    codes = commune.postal_code_list
    return f"{commune.name} ({codes[0] if codes else commune.department_code})"
