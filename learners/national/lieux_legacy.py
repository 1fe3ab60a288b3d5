"""The free-text venue fields written before the standard, mapped onto its vocabularies.

Migration 0013 uses it once per venue: a service line, a public or a specific support that
names a vocabulary value (case, accents and punctuation aside, or one of the few common
wordings below) becomes that value; what matches nothing stays as typed, in the free-text
field next to the list, so nothing is lost. Pure functions, no database.
"""

from __future__ import annotations

import re
from typing import Any

from common.text import fold
from learners import lieux_vocabularies as vocab

Vocabulary = tuple[tuple[str, Any], ...]

_SPLIT = re.compile(r"[\n,;|]+")

# Common wordings seen in networks' venue lists -> the standard's value.
_AUDIENCE_WORDINGS = {
    "familles": "Familles et/ou enfants",
    "enfants": "Familles et/ou enfants",
    "parents": "Familles et/ou enfants",
    "personnesagees": "Seniors",
    "retraites": "Seniors",
    "jeunes1625ans": "Jeunes",
}
_SUPPORT_WORDINGS = {
    "handicapmoteur": "Handicaps moteurs",
    "handicapsmoteurs": "Handicaps moteurs",
    "fauteuilroulant": "Handicaps moteurs",
    "handicapmental": "Handicaps mentaux",
    "handicappsychique": "Handicaps mentaux",
    "malvoyance": "Déficience visuelle",
    "malvoyants": "Déficience visuelle",
    "handicapvisuel": "Déficience visuelle",
    "malentendants": "Surdité",
    "deficienceauditive": "Surdité",
    "fle": "Langues étrangères (autres)",
}
_SERVICE_WORDINGS = {
    "aideauxdemarchesenligne": "Aide aux démarches administratives",
    "demarchesenligne": "Aide aux démarches administratives",
    "accesinternet": "Accès internet et matériel informatique",
    "accesinternetlibre": "Accès internet et matériel informatique",
    "postesenlibreacces": "Accès internet et matériel informatique",
}
# Structure kinds (learners.choices.StructureKind) -> the data·inclusion typology.
STRUCTURE_KIND_TYPOLOGY = {
    "commune": "MUNI",
    "association": "ASSO",
    "france_services": "RFS",
    "mediatheque": "BIB",
    "ccas": "CCAS",
}


def _index(vocabulary: Vocabulary, wordings: dict[str, str] | None = None) -> dict[str, str]:
    index = {fold(value): value for value, _label in vocabulary}
    index.update(wordings or {})
    return index


def map_items(
    items: list[str], vocabulary: Vocabulary, wordings: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """(vocabulary values in the vocabulary's order, the items that matched none)."""
    index = _index(vocabulary, wordings)
    found, rest = set(), []
    for item in items:
        value = index.get(fold(item))
        if value is None:
            rest.append(item)
        else:
            found.add(value)
    return [value for value, _label in vocabulary if value in found], rest


def split_items(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def map_services(text: str) -> tuple[list[str], str]:
    """One service a line: (national services, the lines to keep as typed). A line that
    starts with a national service and says more (« Aide aux démarches administratives
    (CAF, impôts) ») gives the service and is kept for its details."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    values, rest = map_items(lines, vocab.SERVICES, _SERVICE_WORDINGS)
    found = set(values)
    for line in rest:
        for value, _label in vocab.SERVICES:
            if fold(line).startswith(fold(value)):
                found.add(value)
    return [value for value, _label in vocab.SERVICES if value in found], "\n".join(rest)


def map_publics(text: str) -> tuple[list[str], str]:
    """(audiences, the publics that matched none, comma-separated)."""
    values, rest = map_items(split_items(text), vocab.AUDIENCES, _AUDIENCE_WORDINGS)
    return values, ", ".join(rest)


def map_specific_support(text: str) -> list[str]:
    """The specific supports an accessibility text names (the text itself is kept: it also
    describes the place, and the agenda shows it)."""
    values, _rest = map_items(split_items(text), vocab.SPECIFIC_SUPPORT, _SUPPORT_WORDINGS)
    return values
