"""The label vocabularies of La Coop de la médiation numérique's activity worksheet, and
how our codes map onto them (both ways).

The Coop's labels are data, not interface text: they are written and read exactly as the
Coop spells them (typographic apostrophes included), never translated. Source: see
`coop_source` (cra/fields/*.ts, cra/individuel/fields/*.ts, beneficiaire/domain/*.ts).
"""

from __future__ import annotations

from common.text import fold
from learners.age_bands import AgeBand
from learners.choices import Autonomy, Equipment, Gender, PlaceType, SessionKind, SocialStatus
from workshops.choices import WorkshopLevel

# typeActiviteLabels
TYPE_INDIVIDUAL = "Accompagnement individuel"
TYPE_COLLECTIVE = "Atelier collectif"
TYPES = (TYPE_INDIVIDUAL, TYPE_COLLECTIVE)

# typeLieuLabels (the worksheet's « Canaux d’accompagnement »)
PLACE_TYPES: dict[str, str] = {
    PlaceType.VENUE: "Lieu d’activité",
    PlaceType.OTHER: "Autre lieu",
    PlaceType.HOME: "À domicile",
    PlaceType.REMOTE: "À distance",
}

# materielLabels
EQUIPMENT: dict[str, str] = {
    Equipment.COMPUTER: "Ordinateur",
    Equipment.PHONE: "Téléphone",
    Equipment.TABLET: "Tablette",
    Equipment.OTHER: "Autre",
    Equipment.NONE: "Pas de matériel",
}

# autonomieStars and niveauAtelierStars: the worksheet writes « stars/3 ».
STARS_MAX = 3
AUTONOMY_STARS: dict[str, int] = {
    Autonomy.ACCOMPANIED: 1,
    Autonomy.PARTLY: 2,
    Autonomy.AUTONOMOUS: 3,
}
LEVEL_STARS: dict[str, int] = {
    WorkshopLevel.BEGINNER: 1,
    WorkshopLevel.INTERMEDIATE: 2,
    WorkshopLevel.ADVANCED: 3,
}

# structuresRedirectionLabels
REDIRECTION_OTHER = "Autre"
REDIRECTIONS = (
    "Administration (mairie, préfecture…)",
    "Autre structure de médiation numérique",
    "Opérateur ou organisme en charge de la démarche administrative",
    "Structure d’aide sociale (maison des solidarités, centre social…)",
    "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
    "Structure d’aide aux démarches administratives (France Services…)",
    REDIRECTION_OTHER,
)

# genreLabels
GENDERS: dict[str, str] = {
    Gender.MALE: "Masculin",
    Gender.FEMALE: "Féminin",
    Gender.UNKNOWN: "Non communiqué",
}

# trancheAgeLabels (our bands are the same seven plus « non communiqué »)
AGE_BANDS: dict[str, str] = {
    AgeBand.FROM_70: "70 ans et plus",
    AgeBand.FROM_60: "60 - 69 ans",
    AgeBand.FROM_40: "40 - 59 ans",
    AgeBand.FROM_25: "25 - 39 ans",
    AgeBand.FROM_18: "18 - 24 ans",
    AgeBand.FROM_12: "12 - 17 ans",
    AgeBand.UNDER_12: "Moins de 12 ans",
    AgeBand.UNKNOWN: "Non communiqué",
}

# statutSocialLabels
STATUSES: dict[str, str] = {
    SocialStatus.RETIRED: "Retraité",
    SocialStatus.UNEMPLOYED: "Sans emploi",
    SocialStatus.EMPLOYED: "En emploi",
    SocialStatus.STUDENT: "Scolarisé",
    SocialStatus.UNKNOWN: "Non communiqué ou hétérogène",
}

# yesNoLabels, displayNameFromIdentity's anonymous name
YES, NO = "Oui", "Non"
ANONYMOUS = "Bénéficiaire anonyme"

# The worksheet's multi-valued cells (materiel, thématiques, tags) hold one value a line.
LINE_BREAK = "\n"


def stars(value: str, scale: dict) -> str:
    return f"{scale[value]}/{STARS_MAX}" if value in scale else ""


def redirection_label(referred_to: str) -> str:
    """Our free-text referral as the Coop's vocabulary: its own label when the text is
    one (any case and accents), else « Autre »."""
    if not referred_to:
        return ""
    folded = fold(referred_to)
    for label in REDIRECTIONS:
        if fold(label) == folded:
            return label
    return REDIRECTION_OTHER


def reverse(mapping: dict) -> dict[str, str]:
    """label (folded) → our code, to read the Coop's cells."""
    return {fold(label): code for code, label in mapping.items()}


KIND_FROM_LABEL = {
    fold(TYPE_INDIVIDUAL): SessionKind.INDIVIDUAL,
    fold(TYPE_COLLECTIVE): SessionKind.WORKSHOP,
}
