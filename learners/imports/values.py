"""Cell parsers for imports: text in, Python value out, or a `CellError` worded in French.

Forgiving where spreadsheets are known to damage values:
- INSEE codes and postal codes that lost their leading zero ("1053" → "01053"), Corsican
  codes in lower case ("2a004" → "2A004");
- French phone numbers that lost their leading zero ("612345678" → "0612345678");
- formula-neutralised text exported by us ("'=x" → "=x");
- choices given by their French label, their code, or a common synonym, in any case and
  with or without accents ("Féminin", "feminin", "F", "femme").

Parsers are pure and memoised where the same raw text repeats a lot (dates, choices), so
a 100,000-row file does not parse "25/03/2024" 100,000 times.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from django.utils.translation import gettext as _

from common.spreadsheets import (
    date_parse,
    datetime_split,
    decimal_parse,
    formula_unescape,
    time_parse,
)
from common.text import fold

YES = frozenset({"oui", "o", "x", "1", "vrai", "true", "yes", "y"})
NO = frozenset({"non", "n", "0", "faux", "false", "no", ""})
_DIGITS = re.compile(r"^\d+$")
# Excel's day numbers from 1954 to 2119 ("46365" is 9 December 2026), maybe with a time.
_SERIAL = re.compile(r"^([2-7]\d{4})(?:[.,]\d+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3}|\d[0-9AB]\d{3})$")


class CellError(ValueError):
    """A value that cannot be used; `message` is French and never repeats personal data."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(value: str, *, max_length: int) -> str:
    value = formula_unescape(value.strip())
    if len(value) > max_length:
        raise CellError(
            _("%(length)d caractères, %(max)d au maximum.")
            % {"length": len(value), "max": max_length}
        )
    return value


def integer(value: str, *, minimum: int = 0, maximum: int = 100_000) -> int | None:
    value = value.strip().replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if value.endswith((".0", ",0")):
        value = value[:-2]
    if not _DIGITS.match(value):
        raise CellError(_("un nombre entier est attendu (par exemple 60)."))
    number = int(value)
    if not minimum <= number <= maximum:
        raise CellError(
            _("le nombre doit être entre %(min)d et %(max)d.") % {"min": minimum, "max": maximum}
        )
    return number


def birth_year(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    this_year = datetime.date.today().year
    try:
        return integer(value, minimum=1900, maximum=this_year)
    except CellError:
        raise CellError(
            _("année de naissance sur 4 chiffres attendue (1900 à %(year)d), jamais la date.")
            % {"year": this_year}
        ) from None


@lru_cache(maxsize=4096)
def date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    serial = _SERIAL.match(value)
    if serial:  # a date cell that lost its format: Excel's day number (1900 system)
        return EXCEL_EPOCH + datetime.timedelta(days=int(serial.group(1)))
    try:
        return date_parse(value)
    except ValueError:
        raise CellError(_("date non reconnue : écrivez-la 25/03/2024 (ou 2024-03-25).")) from None


@lru_cache(maxsize=4096)
def time(value: str) -> datetime.time | None:
    value = value.strip()
    if not value:
        return None
    try:
        return time_parse(value)
    except ValueError:
        raise CellError(_("heure non reconnue : écrivez-la 14:30 ou 14h30.")) from None


@lru_cache(maxsize=4096)
def date_and_time(value: str) -> tuple[datetime.date | None, datetime.time | None]:
    """A "Date" cell that may also hold the time ("25/03/2024 14:30")."""
    date_part, time_part = datetime_split(value)
    return date(date_part), time(time_part) if time_part else None


def boolean(value: str) -> bool:
    folded = fold(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError(_("répondez « oui » ou « non »."))


def decimal(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return decimal_parse(value)
    except ValueError:
        raise CellError(_("nombre décimal attendu (par exemple 46,67).")) from None


def insee_code(value: str) -> str:
    code = value.strip().upper().replace(" ", "")
    if not code:
        return ""
    if len(code) == 4 and _DIGITS.match(code):
        code = "0" + code
    if not _INSEE.match(code) and not re.match(r"^[A-Z0-9]{5}$", code):
        raise CellError(_("code INSEE à 5 caractères attendu (par exemple 85191)."))
    return code


def postal_code(value: str) -> str:
    code = value.strip().replace(" ", "")
    if code.endswith(".0"):
        code = code[:-2]
    if len(code) == 4 and _DIGITS.match(code):
        code = "0" + code
    if code and not (len(code) == 5 and _DIGITS.match(code)):
        raise CellError(_("code postal à 5 chiffres attendu."))
    return code


def phone(value: str) -> str:
    number = formula_unescape(value.strip())
    digits = re.sub(r"[\s.\-]", "", number)
    if len(digits) == 9 and _DIGITS.match(digits) and digits[0] != "0":
        return "0" + digits
    if len(number) > 30:
        raise CellError(_("numéro de téléphone trop long (30 caractères au plus)."))
    return number


def split_list(value: str) -> list[str]:
    """ "E-mail; Bureautique" (also with "," or "|") → ["E-mail", "Bureautique"]."""
    parts = re.split(r"[;|,\n]", formula_unescape(value))
    return [p.strip() for p in parts if p.strip()]


class ChoiceParser:
    """Maps a label, a code or a synonym (folded) to a TextChoices code."""

    def __init__(self, choices, *, synonyms: dict[str, str] | None = None, what: str = ""):
        self.choices = choices
        self.mapping: dict[str, str] = {}
        for code, label in choices.choices:
            self.mapping[fold(code)] = code
            self.mapping[fold(str(label))] = code
        for synonym, code in (synonyms or {}).items():
            self.mapping[fold(synonym)] = code
        self.what = what

    def __call__(self, value: str, *, blank: str | None = "") -> str:
        folded = fold(value)
        if not folded:
            if blank is None:
                raise CellError(_("valeur manquante."))
            return blank
        code = self.mapping.get(folded)
        if code is None:
            labels = ", ".join(f"« {label} »" for _code, label in self.choices.choices)
            raise CellError(
                _("valeur inconnue ; valeurs possibles : %(labels)s.") % {"labels": labels}
            )
        return code
