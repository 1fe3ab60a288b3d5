"""Our activity themes (La Coop's list, `workshops.reference_data`) → data·inclusion
`thematiques` (v1). data·inclusion has four `numerique--*` values; every digital theme
lands on one of them. Where a theme is really about another of data·inclusion's categories
(family, health, administrative procedures, housing), that category's value is added, so a
social worker searching the catalogue by that need finds the atelier too.

Keyed by theme slug. A theme a coordinator adds later (not in the table) takes its parent's
values; an atelier with no mapped theme is about the basics (`FALLBACK`).
"""

from __future__ import annotations

from collections.abc import Iterable

from data_inclusion.schema.v1 import Thematique as T

FUNDAMENTALS = T.NUMERIQUE__MAITRISER_LES_FONDAMENTAUX_DU_NUMERIQUE
ONLINE_SERVICES = T.NUMERIQUE__ACCEDER_A_DES_SERVICES_EN_LIGNE
EQUIPMENT = T.NUMERIQUE__ACQUERIR_UN_EQUIPEMENT
PROCEDURES = (
    T.DIFFICULTES_ADMINISTRATIVES_OU_JURIDIQUES__ACCOMPAGNEMENT_AUX_DEMARCHES_ADMINISTRATIVES
)
PARENTING = T.FAMILLE__SOUTIEN_A_LA_PARENTALITE_ET_A_LEDUCATION

# What an atelier without any mapped theme teaches: Pas à pas ateliers are digital basics.
FALLBACK: tuple[T, ...] = (FUNDAMENTALS,)

THEMES: dict[str, tuple[T, ...]] = {
    # Assessing what a person can do is the first step of learning the basics.
    "diagnostic-numerique": (FUNDAMENTALS,),
    # Switching on and using a computer, phone or tablet: the basics; choosing one to buy
    # is part of the theme in La Coop's definition, hence « acquérir un équipement ».
    "prendre-en-main-du-materiel": (FUNDAMENTALS, EQUIPMENT),
    # Updates, storage, a slow computer: keeping one's own equipment usable.
    "maintenance-de-materiel": (FUNDAMENTALS,),
    # Files, photos, folders, the cloud.
    "gerer-ses-contenus-numeriques": (FUNDAMENTALS,),
    # Browsing, searching, bookmarks.
    "navigation-sur-internet": (FUNDAMENTALS,),
    # Creating and using a mailbox.
    "e-mail": (FUNDAMENTALS,),
    # Writing a letter, a table.
    "bureautique": (FUNDAMENTALS,),
    # Using social networks safely.
    "reseaux-sociaux": (FUNDAMENTALS,),
    # Health services online (Ameli, Mon espace santé, booking a doctor): access to care.
    "sante": (ONLINE_SERVICES, T.SANTE__ACCES_AUX_SOINS),
    # Online banking and shopping are online services.
    "banque-et-achats-en-ligne": (ONLINE_SERVICES,),
    # Helping a professional (a shopkeeper, an association) go digital: the basics.
    "accompagner-un-professionnel": (FUNDAMENTALS,),
    # Job sites, France Travail's online space, applications by e-mail.
    "insertion-professionnelle": (
        ONLINE_SERVICES,
        T.PREPARER_SA_CANDIDATURE__ORGANISER_SES_DEMARCHES_DE_RECHERCHE_DEMPLOI,
    ),
    # Passwords, scams, updates: part of the basics everyone needs.
    "securite-numerique": (FUNDAMENTALS,),
    # Screens and children, parental control: support to parents.
    "parentalite": (FUNDAMENTALS, PARENTING),
    # School's online services (ENT, Pronote) and supporting a child's schooling.
    "scolarite-et-numerique": (ONLINE_SERVICES, PARENTING),
    # Photos, video, creative tools.
    "creer-avec-le-numerique": (FUNDAMENTALS,),
    # Understanding the digital world (information, data, rights).
    "culture-numerique": (FUNDAMENTALS,),
    # Understanding and using AI tools.
    "intelligence-artificielle": (FUNDAMENTALS,),
    # Online administrative procedures: both the online service and the procedure itself.
    "aide-aux-demarches-administratives": (ONLINE_SERVICES, PROCEDURES),
    # Its sub-themes: the same, plus the need's own category where data·inclusion has one.
    "demarches-papiers": (ONLINE_SERVICES, PROCEDURES),
    "demarches-famille": (ONLINE_SERVICES, PROCEDURES),
    "demarches-social-sante": (
        ONLINE_SERVICES,
        PROCEDURES,
        T.DIFFICULTES_ADMINISTRATIVES_OU_JURIDIQUES__ACCOMPAGNEMENT_POUR_LACCES_AUX_DROITS,
    ),
    "demarches-travail": (ONLINE_SERVICES, PROCEDURES),
    "demarches-logement": (
        ONLINE_SERVICES,
        PROCEDURES,
        T.LOGEMENT_HEBERGEMENT__SINFORMER_SUR_LES_DEMARCHES_LIEES_A_LACCES_AU_LOGEMENT,
    ),
    "demarches-transports": (ONLINE_SERVICES, PROCEDURES),
    "demarches-argent": (ONLINE_SERVICES, PROCEDURES),
    "demarches-justice": (ONLINE_SERVICES, PROCEDURES),
    "demarches-etrangers": (ONLINE_SERVICES, PROCEDURES),
    "demarches-loisirs": (ONLINE_SERVICES, PROCEDURES),
    "demarches-associations": (ONLINE_SERVICES, PROCEDURES),
}


def thematiques_for(themes: Iterable[tuple[str, str | None]]) -> list[str]:
    """The data·inclusion values of `(slug, parent slug)` pairs, sorted; `FALLBACK` when
    none is mapped."""
    found: set[T] = set()
    for slug, parent_slug in themes:
        found.update(THEMES.get(slug) or THEMES.get(parent_slug or "", ()))
    return sorted(value.value for value in (found or set(FALLBACK)))
