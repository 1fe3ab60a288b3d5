"""People in La Coop de la médiation numérique's beneficiaries import template
(`public/modeles/coop-numerique_import-beneficiaires.xlsx`, commit in `coop_source`): sheet
« Bénéficiaires », instructions in row 1, headers in rows 2 and 3 (« Commune » over « Nom »,
« Code INSEE », « Code postal »), one person a line from row 4; genre as the template's list
(« Féminin », « Masculin », « Non communiqué »), birth year as a number, INSEE code, postal
code and phone number as text.

Contact details and notes are filled only for people the user holds (`held`, as the other
people exports); the Coop's template needs only the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from learners.choices import Gender
from learners.models import Learner

from . import coop_labels as labels

SHEET_TITLE = "Bénéficiaires"
INSTRUCTIONS = (
    "Instructions d'utilisation :  \n"
    "- Nom et Prénom sont obligatoires \n"
    "- Année de naissance est fortement conseillé pour différencier les homonymes \n"
    "- Les autres champs sont optionnels \n"
    "- Pour compléter le champ commune, renseignez le nom de la commune. Le code INSEE et "
    "le code postal seront automatiquement complétés"
)
HEADERS = (
    "Nom",
    "Prénom",
    "Année de naissance",
    "Commune",
    None,
    None,
    "N° de téléphone",
    "E-mail",
    "Genre",
    "Notes supplémentaires",
)
SUB_HEADERS = (None, None, None, "Nom", "Code INSEE", "Code postal", None, None, None, None)
MERGED = ("A1:J1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3", "H2:H3", "I2:I3", "J2:J3")
# One header row for CSV: the merged « Commune » spelt out by its sub-headers.
FLAT_HEADERS = (
    "Nom",
    "Prénom",
    "Année de naissance",
    "Commune",
    "Code INSEE",
    "Code postal",
    "N° de téléphone",
    "E-mail",
    "Genre",
    "Notes supplémentaires",
)
GENRE_VALUES = ("Féminin", "Masculin", "Non communiqué")


def beneficiary_line(learner: Learner) -> list[Any]:
    held = getattr(learner, "held", True)
    commune = learner.commune
    postal_codes = commune.postal_codes.split() if commune else []
    return [
        learner.last_name,
        learner.first_name,
        learner.birth_year,
        commune.name if commune else "",
        commune.insee_code if commune else "",
        postal_codes[0] if postal_codes else "",
        learner.phone if held else "",
        learner.email if held else "",
        labels.GENDERS[Gender(learner.gender)],
        learner.notes if held else "",
    ]


def beneficiary_lines(people: Iterable[Learner]) -> Iterator[list[Any]]:
    for learner in people:
        yield beneficiary_line(learner)
