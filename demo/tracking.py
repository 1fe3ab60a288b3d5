"""Demo content of the tracking app: structures, venues, counsellors, 60 fictional people,
six months of sessions with attendance and progress, and one carnet code.

Called by `manage.py load_demo` after the publishing demo (which creates the demo users and
the atelier and guide pages) and the national commune list. Everything goes through the
services (`learners.services`), as a counsellor would, except the demo carnet (below).

**Idempotent.** Structures (by name), venues (by `external_id` "demo-…"), counsellor
profiles, group memberships are ensured one by one. People, sessions, attendance and
observations are generated together, only when the demo structures have no session yet:
a second run (any day) creates none of them again. The only thing a later run may add is
one upcoming session for a counsellor who has none left with free places (the demo must
show some); on the same day, a second run changes nothing.

**The demo carnet.** Codes are stored hashed, so a random code could not be printed again
by a second run. The demo person's code is therefore derived from the carnet key
(`learners.codes.code_hash` of a fixed label, mapped onto the code alphabet): the same on
every run of one installation, different between installations (another SECRET_KEY or
CARNET_CODE_KEY), and reinstated if a counsellor revoked it. That row is written directly
(`carnet_issue` only draws random codes), with its audit line.

**Plausible data.** A seeded `random.Random` (same people and histories every time), dates
relative to today in the site's time zone (Europe/Paris). People of every age from 13 to
90, a few without last name or birth year, genders and statuses including "non
communiqué", contact consent for some (fictional e-mails at example.org, phone numbers in
the range ARCEP reserves for fiction). Histories: people progressing (some this month),
people stuck on a competence (three observations or more without a gain, recently),
people who stopped coming more than two months ago, occasional and new visitors.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from demo import publishing
from demo.accounts import DEMO_COORDINATOR, DEMO_COUNSELLORS, DEMO_PARTNER_EDITOR, DEMO_PASSWORD
from learners.choices import (
    AttendanceStatus,
    AttestationName,
    AuditAction,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
    SocialStatus,
    StructureKind,
)
from learners.codes import CODE_ALPHABET, CODE_LENGTH, code_hash
from learners.models import (
    Attestation,
    Carnet,
    Commune,
    Counsellor,
    Learner,
    Session,
    Structure,
    Venue,
)
from learners.selectors.attestations import attestation_eligible_competences
from learners.selectors.sessions import sessions_with_free_places
from learners.services import (
    SheetRow,
    attendance_sheet_save,
    audit_log_record,
    carnet_mark_guide_read,
    counsellor_create,
    learner_create,
    session_anonymous_participants_set,
    session_create,
    structure_create,
    venue_create,
)
from learners.services.attestations import attestation_issue
from workshops.models import AtelierPage, Competence, GuidePage, Level, Theme
from workshops.roles import COORDINATORS
from workshops.services.editorial import partner_sections_ensure, structure_editor_add

SEED = 85000
PERIOD_DAYS = 182  # six months of history

# Structures: key -> (name, kind, INSEE code of their commune, SIRET). The SIRETs are
# made up (14 digits, the standard's `pivot` of their venues), not real establishments'.
STRUCTURES = {
    "agglo": (
        "La Roche-sur-Yon Agglomération – Espace numérique",
        StructureKind.COMMUNE,
        "85191",
        "20004019900017",
    ),
    "asso": (
        "Association Clic et Lien de Mouilleron",
        StructureKind.ASSOCIATION,
        "85155",
        "81234567800015",
    ),
    "fs": (
        "France Services de Dompierre-sur-Yon",
        StructureKind.FRANCE_SERVICES,
        "85081",
        "21850081000019",
    ),
}

# Venues: key -> fields, with the national standard's (« Lieux de médiation numérique »),
# so that the open data file is a full one. Weekday of the weekly permanence (0 = Monday),
# its hour, its counsellor.
VENUES = {
    "laroche": {
        "structure": "agglo",
        "external_id": "demo-lieu-la-roche-sur-yon",
        "name": "Espace numérique du Bourg-sous-la-Roche",
        "typology": ["EPN", "MUNI"],
        "parent_organisation": "La Roche-sur-Yon Agglomération",
        "address": "12 rue de la Simbrandière",
        "address_complement": "Rez-de-chaussée, porte vitrée",
        "postal_code": "85000",
        "insee": "85191",
        "opening_hours": "Tu-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00",
        "summary": "Un espace public numérique de l'agglomération : postes en libre accès, "
        "aide aux démarches en ligne et ateliers pour apprendre à se servir d'un "
        "ordinateur ou d'un smartphone.",
        "description": "Six ordinateurs et une imprimante sont en libre accès aux heures "
        "d'ouverture. Une conseillère numérique reçoit sur rendez-vous le mardi matin pour "
        "les démarches (CAF, impôts, ANTS) et anime des ateliers collectifs de quatre à "
        "huit personnes. Prêt de tablettes pour s'entraîner à la maison.",
        "services": [
            "Aide aux démarches administratives",
            "Maîtrise des outils numériques du quotidien",
            "Utilisation sécurisée du numérique",
            "Accès internet et matériel informatique",
        ],
        "other_services": "Prêt de tablettes",
        "audiences": ["Familles et/ou enfants", "Seniors"],
        "specific_support": ["Surdité", "Handicaps moteurs"],
        "accessibility": "Accessible en fauteuil roulant. Boucle magnétique à l'accueil.",
        "fees": ["Gratuit"],
        "national_programmes": ["Conseillers numériques", "Aidants Connect"],
        "training_labels": ["Formé à « Mon Espace Santé »"],
        "access_modes": ["Se présenter", "Téléphoner", "Prendre un RDV en ligne"],
        "support_modes": ["En autonomie", "Accompagnement individuel", "Dans un atelier collectif"],
        "emails": ["espace.numerique@example.org"],
        "website": "https://www.example.org/espace-numerique",
        "permanence": (1, 9, 30, 120, "camille.martin"),
    },
    "landeronde": {
        "structure": "agglo",
        "external_id": "demo-lieu-landeronde",
        "name": "Mairie de Landeronde – salle du conseil",
        "typology": ["MUNI"],
        "parent_organisation": "La Roche-sur-Yon Agglomération",
        "address": "1 place de la Mairie",
        "postal_code": "85150",
        "insee": "85118",
        "mobility": ["Itinérant"],
        "opening_hours": "Th 14:00-17:00",
        "summary": "Une permanence numérique chaque jeudi après-midi à la mairie, tenue par "
        "un conseiller numérique de l'agglomération.",
        "services": ["Aide aux démarches administratives", "Compréhension du monde numérique"],
        "other_services": "Permanence numérique",
        "audiences": ["Seniors"],
        "accessibility": "Salle de plain-pied.",
        "fees": ["Gratuit"],
        "national_programmes": ["Conseillers numériques"],
        "access_modes": ["Se présenter", "Téléphoner"],
        "support_modes": ["Accompagnement individuel"],
        "permanence": (3, 14, 0, 90, "julien.bernard"),
    },
    "mouilleron": {
        "structure": "asso",
        "external_id": "demo-lieu-mouilleron-le-captif",
        "name": "Maison des associations de Mouilleron-le-Captif",
        "typology": ["ASSO"],
        "address": "5 rue des Sports",
        "postal_code": "85000",
        "insee": "85155",
        "opening_hours": "We 14:00-18:00; Sa 10:00-12:00",
        "summary": "L'association Clic et Lien accueille petits et grands pour apprendre le "
        "numérique ensemble : permanences, café numérique et ateliers.",
        "description": "Un café numérique chaque mois : on vient avec son téléphone ou sa "
        "tablette et ses questions. Ateliers « premiers pas », « photos et souvenirs » et "
        "« sécurité en ligne ». Adhésion annuelle de 10 €, gratuite pour les personnes "
        "non imposables.",
        "services": [
            "Maîtrise des outils numériques du quotidien",
            "Parentalité et éducation avec le numérique",
            "Loisirs et créations numériques",
        ],
        "other_services": "Permanence numérique\nCafé numérique mensuel",
        "audiences": ["Jeunes", "Seniors"],
        "accessibility": "Accessible en fauteuil roulant.",
        "fees": ["Gratuit sous condition", "Payant"],
        "other_training_labels": "Pass numérique",
        "access_modes": ["Se présenter", "Contacter par mail"],
        "support_modes": ["En autonomie", "Dans un atelier collectif"],
        "emails": ["contact@clic-et-lien.example.org", "ateliers@clic-et-lien.example.org"],
        "permanence": (2, 14, 0, 120, "sophie.petit"),
    },
    "dompierre": {
        "structure": "fs",
        "external_id": "demo-lieu-dompierre-sur-yon",
        "name": "France Services de Dompierre-sur-Yon",
        "typology": ["RFS"],
        "address": "2 rue du Commerce",
        "postal_code": "85170",
        "insee": "85081",
        # Tuesdays and Thursdays all day: a later « ; » rule replaces the days it names.
        "opening_hours": "Mo-Fr 09:00-12:30; Tu,Th 09:00-12:30,14:00-17:00",
        "summary": "L'espace France Services : un accueil pour les démarches (CAF, impôts, "
        "ANTS, France Travail) et un accompagnement au numérique.",
        "services": [
            "Aide aux démarches administratives",
            "Insertion professionnelle via le numérique",
        ],
        "other_services": "Accompagnement au numérique",
        "audiences": ["Familles et/ou enfants", "Seniors"],
        "specific_support": ["Surdité", "Langues étrangères (anglais)"],
        "accessibility": "Accessible en fauteuil roulant. Accueil en langue des signes sur "
        "rendez-vous.",
        "fees": ["Gratuit"],
        "national_programmes": ["France Services", "Conseillers numériques"],
        "training_labels": ["Étapes numériques(La Poste)"],
        "access_modes": ["Se présenter", "Téléphoner", "Prendre un RDV en ligne"],
        "support_modes": ["Accompagnement individuel", "À distance"],
        "emails": ["france-services.dompierre@example.org"],
        "booking_url": "https://rdv.example.org/france-services-dompierre",
        "permanence": (4, 9, 0, 120, "karim.haddad"),
    },
}

# Counsellors: username -> (structure key, home venue key, communes served).
COUNSELLORS = {
    "camille.martin": ("agglo", "laroche", ["85191", "85008", "85160"]),
    "julien.bernard": ("agglo", "landeronde", ["85118", "85300", "85191"]),
    "sophie.petit": ("asso", "mouilleron", ["85155", "85178"]),
    "karim.haddad": ("fs", "dompierre", ["85081", "85089", "85046", "85093"]),
}

# Where people live: INSEE code -> (weight, venue they go to).
RESIDENCES = {
    "85191": (16, "laroche"),  # La Roche-sur-Yon
    "85008": (3, "laroche"),  # Aubigny-Les Clouzeaux
    "85160": (2, "laroche"),  # Nesmy
    "85118": (6, "landeronde"),  # Landeronde
    "85300": (5, "landeronde"),  # Venansault
    "85155": (8, "mouilleron"),  # Mouilleron-le-Captif
    "85178": (4, "mouilleron"),  # Le Poiré-sur-Vie
    "85081": (7, "dompierre"),  # Dompierre-sur-Yon
    "85089": (4, "dompierre"),  # La Ferrière
    "85046": (3, "dompierre"),  # La Chaize-le-Vicomte
    "85093": (2, "dompierre"),  # Fougeré
}

FIRST_NAMES = {
    # (generation, gender) -> names
    ("old", Gender.FEMALE): [
        "Jeanine",
        "Yvette",
        "Colette",
        "Odette",
        "Simone",
        "Josiane",
        "Marcelle",
        "Paulette",
        "Ginette",
        "Huguette",
        "Jacqueline",
        "Andrée",
    ],
    ("old", Gender.MALE): [
        "Gérard",
        "Marcel",
        "Raymond",
        "Roger",
        "Bernard",
        "René",
        "Jean",
        "Maurice",
        "Lucien",
        "Guy",
    ],
    ("senior", Gender.FEMALE): [
        "Monique",
        "Martine",
        "Brigitte",
        "Chantal",
        "Danielle",
        "Françoise",
        "Annie",
        "Michèle",
        "Évelyne",
        "Maryvonne",
    ],
    ("senior", Gender.MALE): [
        "Michel",
        "Alain",
        "Daniel",
        "Jean-Pierre",
        "Patrick",
        "Gilles",
        "Joël",
        "Dominique",
    ],
    ("adult", Gender.FEMALE): [
        "Sylvie",
        "Nathalie",
        "Sandrine",
        "Karima",
        "Isabelle",
        "Céline",
        "Aurélie",
        "Fatima",
        "Virginie",
        "Stéphanie",
    ],
    ("adult", Gender.MALE): [
        "Laurent",
        "Thierry",
        "Mohamed",
        "Stéphane",
        "Sébastien",
        "Frédéric",
        "Nicolas",
        "Olivier",
    ],
    ("young", Gender.FEMALE): ["Emma", "Léa", "Chloé", "Inès", "Manon", "Jade", "Lina"],
    ("young", Gender.MALE): ["Lucas", "Hugo", "Enzo", "Nathan", "Yanis", "Théo", "Noah"],
}
LAST_NAMES = [
    "Guérin",
    "Rousseau",
    "Gaborit",
    "Brochard",
    "Boisseau",
    "Charrier",
    "Renaud",
    "Bonnin",
    "Martineau",
    "Chauvet",
    "Pineau",
    "Poiraud",
    "Giraud",
    "Chevalier",
    "Rambaud",
    "Bouron",
    "Grolleau",
    "Fradet",
    "Rabiller",
    "Robin",
    "Gouraud",
    "Bretin",
    "Praud",
    "Blanchard",
    "Cougnaud",
    "Loizeau",
    "Sorin",
    "Tessier",
    "Barreau",
    "Jaunet",
    "Mercier",
    "Benali",
    "Diallo",
    "Nguyen",
    "Ferreira",
    "Arnaud",
    "Billaud",
    "Coutand",
    "Durand",
    "Vrignaud",
]

# Age groups: (count, youngest age, oldest age, generation of first names).
AGE_GROUPS = [
    (5, 13, 17, "young"),
    (3, 18, 24, "young"),
    (6, 25, 39, "adult"),
    (10, 40, 59, "adult"),
    (13, 60, 69, "senior"),
    (14, 70, 79, "old"),
    (9, 80, 91, "old"),
]

# Trajectories and how many people follow each (the demo carnet person is "star").
TRAJECTORIES = [
    ("star", 1),
    ("progressing", 21),
    ("stuck", 8),
    ("stopped", 10),
    ("occasional", 12),
    ("new", 8),
]
VISIT_PROBABILITY = {"star": 0.7, "progressing": 0.45, "stuck": 0.6, "stopped": 0.5, "new": 0.6}
GAIN_PROBABILITY = {
    "star": 0.75,
    "progressing": 0.5,
    "stuck": 0.3,
    "stopped": 0.35,
    "occasional": 0.4,
    "new": 0.5,
}

# What beginners work on (socle) and what teenagers and working-age people add (CRCN).
SOCLE_FOR_SENIORS = ["S1.1", "S1.2", "S1.3", "S1.4", "S2.1", "S2.2", "S2.3", "S3.1", "S3.2",
                     "S3.3", "S3.4", "S4.1", "S4.2"]  # fmt: skip
SOCLE_FOR_ADULTS = ["S2.1", "S2.2", "S3.2", "S3.3", "S3.4", "S4.1", "S4.2", "S2.4"]
CRCN_FOR_YOUNG = ["1.1", "2.2", "3.1", "4.2", "4.3", "5.2"]
CRCN_FOR_ADULTS = ["1.1", "2.1", "2.4", "3.1", "4.1"]

THEME_BY_PREFIX = {
    "S1": "prendre-en-main-du-materiel",
    "S2": "e-mail",
    "S3": "aide-aux-demarches-administratives",
    "S4": "securite-numerique",
    "1.": "navigation-sur-internet",
    "2.": "e-mail",
    "3.": "bureautique",
    "4.": "securite-numerique",
    "5.": "prendre-en-main-du-materiel",
}

STAR = {
    "first_name": "Monique",
    "last_name": "Gaborit",
    "age": 74,
    "gender": Gender.FEMALE,
    "insee": "85118",  # Landeronde: goes to the permanence at the mairie
    "interests": ["S1.2", "S1.4", "S2.1", "S2.2", "S2.3", "S3.2", "S3.3", "S4.1"],
}
DEMO_CARNET_LABEL = "pas-a-pas/demo-carnet/v1"


@dataclass
class Person:
    index: int
    first_name: str
    last_name: str
    birth_year: int | None
    gender: str
    social_status: str
    insee: str
    venue: str
    trajectory: str
    interests: list[str]
    start: int  # first day (0 = six months ago) the person comes
    end: int  # last day they may come
    email: str = ""
    phone: str = ""
    stuck_on: str = ""
    visits: list[int] = field(default_factory=list)  # occasional visitors' days
    learner: Learner | None = None


@dataclass
class Planned:
    """One session to create, with its sheet rows (learner index, status, {code: rank})."""

    day: int
    hour: int
    minute: int
    kind: str
    venue: str | None
    counsellor: str
    duration: int = 60
    atelier: AtelierPage | None = None
    title: str = ""
    place_type: str = PlaceType.VENUE
    rows: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)
    anonymous: dict[tuple[str, str], int] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    force_gain: bool = False  # an appointment where the person gains a level


def demo_carnet_code() -> str:
    """The demo person's code: fixed for this installation's carnet key (see module doc)."""
    digest = bytes.fromhex(code_hash(DEMO_CARNET_LABEL))
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])


def load(*, today: datetime.date | None = None) -> str:
    """Create what is missing (see the module docstring). Returns the demo carnet code
    (plain; format it for print with `learners.codes.code_format`)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        communes = _communes()
        users = _users_ensure()
        structures = {key: _structure_ensure(key, communes) for key in STRUCTURES}
        venues = {key: _venue_ensure(key, structures, communes) for key in VENUES}
        _partner_editor_ensure(structures["asso"])
        counsellors = {
            username: _counsellor_ensure(users[username], username, structures, communes)
            for username in COUNSELLORS
        }
        generate = not Session.objects.filter(structure__in=structures.values()).exists()
        if generate:
            _generate(
                today=today,
                users=users,
                structures=structures,
                venues=venues,
                counsellors=counsellors,
                communes=communes,
            )
        _future_sessions_ensure(today=today, users=users, venues=venues, counsellors=counsellors)
        star = Learner.objects.get(
            structure=structures[VENUES[_venue_of(STAR["insee"])]["structure"]],
            first_name=STAR["first_name"],
            last_name=STAR["last_name"],
        )
        star_counsellor = users[_counsellor_of_venue(_venue_of(STAR["insee"]))]
        code = _demo_carnet_ensure(star, star_counsellor)
        if generate:
            _star_reads_a_guide(star)
        _star_attestation_ensure(star, star_counsellor)
    return code


def demo_carnet_holder() -> tuple[str, str]:
    """Who holds the demo carnet, as the run command prints it (after `load`): (her name
    as the admin shows it, the username of the counsellor who follows her)."""
    carnet = Carnet.objects.select_related("learner").get(code_hash=code_hash(demo_carnet_code()))
    return carnet.learner.display_name, _counsellor_of_venue(_venue_of(STAR["insee"]))


# Set-up ----------------------------------------------------------------------------------


def _communes() -> dict[str, Commune]:
    wanted = {code for _n, _k, code, _siret in STRUCTURES.values()}
    wanted |= {venue["insee"] for venue in VENUES.values()}
    wanted |= {code for _s, _v, codes in COUNSELLORS.values() for code in codes}
    wanted |= set(RESIDENCES)
    found = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=wanted)}
    missing = wanted - set(found)
    if missing:
        raise LookupError(
            f"Communes {sorted(missing)} are missing: run `manage.py load_communes` first."
        )
    return found


def _users_ensure() -> dict[str, object]:
    """The demo users (created by the publishing demo; created here if it did not run)."""
    user_model = get_user_model()
    users = {}
    for username in (DEMO_COORDINATOR, *DEMO_COUNSELLORS):
        first, _dot, last = username.partition(".")
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first.capitalize(),
                "last_name": last.capitalize(),
                "email": f"{username}@example.org",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    coordinators, _created = Group.objects.get_or_create(name=COORDINATORS)
    users[DEMO_COORDINATOR].groups.add(coordinators)
    users["coordinator"] = users[DEMO_COORDINATOR]
    return users


def _partner_editor_ensure(structure) -> None:
    """The demo partner editor edits the association's image and document collection and
    writes in its section of the guides, where one guide of theirs waits for review."""
    user = get_user_model().objects.filter(username=DEMO_PARTNER_EDITOR).first()
    if user is None:
        return
    structure_editor_add(user=user, name=structure.name)
    for section in partner_sections_ensure(name=structure.name):
        publishing.partner_guides_ensure(section=section, editor=user)


def _structure_ensure(key: str, communes: dict[str, Commune]) -> Structure:
    name, kind, insee, siret = STRUCTURES[key]
    existing = Structure.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return structure_create(name=name, kind=kind, commune=communes[insee], siret=siret)


def _venue_ensure(key: str, structures, communes) -> Venue:
    data = VENUES[key]
    existing = Venue.objects.filter(external_id=data["external_id"]).first()
    if existing is not None:
        return existing
    fields = {
        name: value
        for name, value in data.items()
        if name not in ("structure", "name", "insee", "permanence")
    }
    return venue_create(
        structure=structures[data["structure"]],
        name=data["name"],
        commune=communes[data["insee"]],
        **fields,
    )


def _counsellor_ensure(user, username: str, structures, communes) -> Counsellor:
    existing = Counsellor.objects.filter(user=user).first()
    if existing is not None:
        return existing
    structure_key, _venue, served = COUNSELLORS[username]
    return counsellor_create(
        user=user,
        structure=structures[structure_key],
        communes=[communes[code] for code in served],
        is_structure_manager=username in ("camille.martin", "sophie.petit", "karim.haddad"),
    )


def _venue_of(insee: str) -> str:
    return RESIDENCES[insee][1]


def _counsellor_of_venue(venue_key: str) -> str:
    return VENUES[venue_key]["permanence"][4]


# People ----------------------------------------------------------------------------------


def _people(rng: random.Random, today: datetime.date) -> list[Person]:
    """The star, then the others: every draw from `rng` in a fixed order (same people for
    the same seed)."""
    trajectories = [name for name, count in TRAJECTORIES[1:] for _ in range(count)]
    rng.shuffle(trajectories)
    ages = [
        (rng.randint(low, high), generation)
        for count, low, high, generation in AGE_GROUPS
        for _ in range(count)
    ]
    # The star is one of the 70-79: take one out.
    ages.remove(next(a for a in ages if 70 <= a[0] <= 79))
    rng.shuffle(ages)
    last_names = list(LAST_NAMES)
    rng.shuffle(last_names)
    people = [_star(today)]
    used_names: set[tuple[str, str]] = {(STAR["first_name"], STAR["last_name"])}
    for index, (trajectory, (age, generation)) in enumerate(
        zip(trajectories, ages, strict=True), start=1
    ):
        person = _person(
            rng, today, index=index, trajectory=trajectory, age=age, generation=generation,
            last_names=last_names, used_names=used_names,
        )  # fmt: skip
        people.append(person)
    return people


def _star(today: datetime.date) -> Person:
    return Person(
        index=0,
        first_name=STAR["first_name"],
        last_name=STAR["last_name"],
        birth_year=today.year - STAR["age"],
        gender=STAR["gender"],
        social_status=SocialStatus.RETIRED,
        insee=STAR["insee"],
        venue=_venue_of(STAR["insee"]),
        trajectory="star",
        interests=list(STAR["interests"]),
        start=6,
        end=PERIOD_DAYS,
        email="monique.gaborit@example.org",
        phone="06 39 98 01 00",
    )


def _person(
    rng: random.Random,
    today: datetime.date,
    *,
    index: int,
    trajectory: str,
    age: int,
    generation: str,
    last_names: list[str],
    used_names: set[tuple[str, str]],
) -> Person:
    roll = rng.random()
    gender = Gender.FEMALE if roll < 0.56 else Gender.MALE if roll < 0.93 else Gender.UNKNOWN
    name_gender = gender if gender != Gender.UNKNOWN else rng.choice([Gender.FEMALE, Gender.MALE])
    first_name, last_name = _unused_name(
        rng, index=index, names=FIRST_NAMES[(generation, name_gender)],
        last_names=last_names, used_names=used_names,
    )  # fmt: skip
    status = _social_status(rng, age=age, index=index)
    insee = rng.choices(list(RESIDENCES), [weight for weight, *_ in RESIDENCES.values()])[0]
    interests = _interests(rng, age=age)
    start, end = _window(rng, trajectory)
    person = Person(
        index=index,
        first_name=first_name,
        last_name=last_name,
        birth_year=today.year - age if index % 29 != 7 else None,
        gender=gender,
        social_status=status,
        insee=insee,
        venue=_venue_of(insee),
        trajectory=trajectory,
        interests=interests,
        start=start,
        end=end,
    )
    if trajectory == "stuck":
        person.stuck_on = interests[0]
    if index % 4 == 1 and last_name:
        person.email = f"{_ascii(first_name)}.{_ascii(last_name)}@example.org"
        if index % 8 == 1:
            person.phone = f"06 39 98 {index // 100:02d} {index % 100:02d}"
    return person


def _unused_name(
    rng: random.Random,
    *,
    index: int,
    names: list[str],
    last_names: list[str],
    used_names: set[tuple[str, str]],
) -> tuple[str, str]:
    """A first and last name nobody has yet (every tenth person has no last name)."""
    while True:
        first_name = rng.choice(names)
        last_name = last_names[index % len(last_names)] if index % 10 != 3 else ""
        if (first_name, last_name) not in used_names:
            break
        last_names.append(last_names.pop(0))
    used_names.add((first_name, last_name))
    return first_name, last_name


def _social_status(rng: random.Random, *, age: int, index: int) -> str:
    if age < 18:
        status = SocialStatus.STUDENT
    elif age < 25:
        status = rng.choice([SocialStatus.STUDENT, SocialStatus.EMPLOYED,
                             SocialStatus.UNEMPLOYED])  # fmt: skip
    elif age < 62:
        status = rng.choice([SocialStatus.EMPLOYED, SocialStatus.UNEMPLOYED,
                             SocialStatus.EMPLOYED])  # fmt: skip
    else:
        status = SocialStatus.RETIRED
    return SocialStatus.UNKNOWN if index % 9 == 4 else status


def _interests(rng: random.Random, *, age: int) -> list[str]:
    if age < 25:
        return rng.sample(CRCN_FOR_YOUNG, rng.randint(2, 3))
    if age < 60:
        interests = rng.sample(SOCLE_FOR_ADULTS, rng.randint(2, 3))
        return interests + rng.sample(CRCN_FOR_ADULTS, rng.randint(0, 2))
    return rng.sample(SOCLE_FOR_SENIORS, rng.randint(2, 5))


def _ascii(text: str) -> str:
    from common.text import fold

    return fold(text).replace(" ", "-")


def _window(rng: random.Random, trajectory: str) -> tuple[int, int]:
    if trajectory == "progressing":
        return rng.randint(0, 110), PERIOD_DAYS
    if trajectory == "stuck":
        return rng.randint(10, 90), PERIOD_DAYS
    if trajectory == "stopped":
        start = rng.randint(0, 40)
        return start, rng.randint(start + 30, 105)
    if trajectory == "occasional":
        return rng.randint(0, 150), PERIOD_DAYS
    return rng.randint(140, 165), PERIOD_DAYS  # new


# Sessions --------------------------------------------------------------------------------


class _Levels:
    """Each person's current rank per competence code, evolving with the rules above."""

    def __init__(self, rng: random.Random, bounds: dict[str, tuple[int, int]]):
        self.rng = rng
        self.bounds = bounds
        self.rank: dict[tuple[int, str], int] = {}

    def observe(self, person: Person, code: str, *, gain: bool | None = None) -> int:
        low, high = self.bounds[code]
        key = (person.index, code)
        current = self.rank.get(key)
        if current is None:
            if person.trajectory == "star":
                rank = low + 1 if self.rng.random() < 0.7 else low
            elif code.startswith("S"):
                rank = low if self.rng.random() < 0.7 else low + 1
            else:
                rank = low if self.rng.random() < 0.6 else low + 1
        else:
            if gain is None:
                if person.trajectory == "stuck" and code == person.stuck_on:
                    gain = False
                else:
                    gain = self.rng.random() < GAIN_PROBABILITY[person.trajectory]
            rank = min(high, current + 1) if gain else current
            if not code.startswith("S"):
                rank = min(rank, low + 3)  # beginners stay at the start of the CRCN scale
        self.rank[key] = rank
        return rank

    def can_gain(self, person: Person, code: str) -> bool:
        current = self.rank.get((person.index, code))
        low, high = self.bounds[code]
        return current is not None and current < (high if code.startswith("S") else low + 3)


def _plan(
    rng: random.Random, people: list[Person], ateliers: list[AtelierPage], today: datetime.date
) -> list[Planned]:
    """Every past session with its rows, in date order, plus the this-month appointments.
    The kinds of session are drawn in this order (same sessions for the same seed)."""
    by_venue: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_venue[person.venue].append(person)
    start = today - datetime.timedelta(days=PERIOD_DAYS)
    _occasional_visits(rng, people)
    return [
        *_permanences(rng, by_venue, start),
        *_atelier_runs(rng, people, ateliers),
        *_cafes(rng, by_venue),
        *_home_visits(people, today),
    ]


def _occasional_visits(rng: random.Random, people: list[Person]) -> None:
    """Occasional visitors: one to three permanences after they first came."""
    for person in people:
        if person.trajectory == "occasional":
            days = range(person.start, PERIOD_DAYS)
            person.visits = sorted(rng.sample(list(days), min(len(days), rng.randint(1, 3))))


def _permanences(
    rng: random.Random, by_venue: dict[str, list[Person]], start: datetime.date
) -> list[Planned]:
    """Weekly permanences at each venue."""
    planned_all = []
    for venue_key, venue in VENUES.items():
        weekday, hour, minute, duration, counsellor = venue["permanence"]
        first = (weekday - start.weekday()) % 7
        for day in range(first, PERIOD_DAYS, 7):
            planned = Planned(
                day=day,
                hour=hour,
                minute=minute,
                kind=SessionKind.DROP_IN,
                venue=venue_key,
                counsellor=counsellor,
                duration=duration,
                title="Permanence numérique",
            )
            for person in by_venue[venue_key]:
                if _comes_to_permanence(rng, person, day) and len(planned.rows) < 9:
                    worked = [person.stuck_on] if person.stuck_on else []
                    worked += rng.sample(person.interests, 2 if person.trajectory == "star" else 1)
                    planned.rows.append((person.index, AttendanceStatus.PRESENT,
                                         dict.fromkeys(worked)))  # fmt: skip
            planned_all.append(planned)
    return planned_all


def _comes_to_permanence(rng: random.Random, person: Person, day: int) -> bool:
    if person.trajectory == "occasional":
        return any(day <= v < day + 7 for v in person.visits)
    coming = (
        person.start <= day <= person.end and rng.random() < VISIT_PROBABILITY[person.trajectory]
    )
    if person.trajectory == "stuck" and day >= PERIOD_DAYS - 60:
        coming = coming or rng.random() < 0.5
    return coming


def _atelier_runs(
    rng: random.Random, people: list[Person], ateliers: list[AtelierPage]
) -> list[Planned]:
    """Ateliers: each curriculum twice, at two venues, by their counsellors."""
    planned_all = []
    venue_keys = list(VENUES)
    for k, atelier in enumerate(ateliers):
        for run in range(2):
            venue_key = venue_keys[(k + run * 2) % len(venue_keys)]
            day = 12 + (k * 23 + run * 71) % (PERIOD_DAYS - 20)
            planned = Planned(
                day=day,
                hour=14,
                minute=0,
                kind=SessionKind.WORKSHOP,
                venue=venue_key,
                counsellor=_counsellor_of_venue(venue_key),
                duration=atelier.duration_minutes or 120,
                atelier=atelier,
            )
            chosen = _atelier_group(rng, people, atelier, venue_key=venue_key, day=day, k=k)
            codes = [c.code for c in atelier.competences.all()]
            for person in chosen:
                status = _atelier_status(rng, is_star=person is people[0])
                worked = codes if status == AttendanceStatus.PRESENT else []
                planned.rows.append((person.index, status, dict.fromkeys(worked, None)))
            planned_all.append(planned)
    return planned_all


def _atelier_group(
    rng: random.Random,
    people: list[Person],
    atelier: AtelierPage,
    *,
    venue_key: str,
    day: int,
    k: int,
) -> list[Person]:
    """Who comes: people of the venue's structure active that day (the star to the first
    three ateliers)."""
    structure = VENUES[venue_key]["structure"]
    pool = [
        p
        for p in people
        if VENUES[p.venue]["structure"] == structure
        and p.start <= day <= p.end
        and p.trajectory != "occasional"
    ]
    rng.shuffle(pool)
    capacity = atelier.group_size_max or 8
    chosen = pool[: min(capacity, rng.randint(4, 7))]
    star = people[0]
    if star not in chosen and star in pool and k < 3:
        chosen = [star, *chosen[: capacity - 1]]
    return chosen


def _atelier_status(rng: random.Random, *, is_star: bool) -> str:
    roll = rng.random()
    if roll < 0.85 or is_star:
        return AttendanceStatus.PRESENT
    return AttendanceStatus.ABSENT if roll < 0.95 else AttendanceStatus.EXCUSED


def _cafes(rng: random.Random, by_venue: dict[str, list[Person]]) -> list[Planned]:
    """Monthly "café numérique" (temps d'échange) at Mouilleron, with unregistered people."""
    planned_all = []
    for n, day in enumerate(range(15, PERIOD_DAYS, 30)):
        pool = [p for p in by_venue["mouilleron"] if p.start <= day <= p.end]
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 5)))
        planned_all.append(
            Planned(
                day=day,
                hour=10,
                minute=0,
                kind=SessionKind.DISCUSSION,
                venue="mouilleron",
                counsellor="sophie.petit",
                duration=90,
                title="Café numérique : vos questions, nos astuces",
                rows=[(p.index, AttendanceStatus.PRESENT, {}) for p in chosen],
                anonymous={("70_plus", Gender.FEMALE): 1 + n % 3, ("60_69", Gender.MALE): 1},
                themes=["culture-numerique"],
            )
        )
    return planned_all


def _home_visits(people: list[Person], today: datetime.date) -> list[Planned]:
    """Home visits for some of the oldest people (their own counsellor)."""
    oldest = [
        p
        for p in people[1:]
        if p.birth_year and today.year - p.birth_year >= 84 and p.trajectory != "stopped"
    ][:3]
    planned_all = []
    for n, person in enumerate(oldest):
        for visit in range(2):
            day = min(PERIOD_DAYS - 3, max(person.start, 20) + 40 * visit + 9 * n)
            planned_all.append(
                Planned(
                    day=day,
                    hour=10,
                    minute=30,
                    kind=SessionKind.INDIVIDUAL,
                    venue=None,
                    place_type=PlaceType.HOME,
                    counsellor=_counsellor_of_venue(person.venue),
                    duration=60,
                    rows=[
                        (
                            person.index,
                            AttendanceStatus.PRESENT,
                            dict.fromkeys(person.interests[:1], None),
                        )
                    ],  # fmt: skip
                )
            )
    return planned_all


def _this_month_appointments(
    rng: random.Random, people: list[Person], today: datetime.date
) -> list[Planned]:
    """Individual appointments this month where progressing people gain a level (on the
    first of their competences that can still progress, chosen when levels are decided)."""
    month_start = today.replace(day=1)
    first_day = PERIOD_DAYS - (today - month_start).days
    last_day = max(first_day, PERIOD_DAYS - 1)
    planned = []
    candidates = [p for p in people if p.trajectory in ("star", "progressing")]
    for n, person in enumerate(candidates[:9]):
        day = first_day if first_day >= last_day else rng.randint(first_day, last_day)
        plan = Planned(
            day=day,
            hour=9 + n % 3,
            minute=0,
            kind=SessionKind.INDIVIDUAL,
            venue=person.venue,
            counsellor=_counsellor_of_venue(person.venue),
            duration=45,
            title="Rendez-vous individuel",
            rows=[(person.index, AttendanceStatus.PRESENT, {})],
            force_gain=True,
        )
        planned.append(plan)
    return planned


def _generate(*, today, users, structures, venues, counsellors, communes) -> None:
    rng = random.Random(SEED)
    people = _people(rng, today)
    ateliers = list(AtelierPage.objects.live().public().order_by("pk"))
    competences = {
        c.code: c
        for c in Competence.objects.filter(framework__slug__in=["socle", "crcn"]).select_related(
            "framework"
        )
    }
    level_ids: dict[tuple[int, int], int] = {
        (lv.framework_id, lv.rank): lv.pk for lv in Level.objects.all()
    }
    bounds_by_framework: dict[int, tuple[int, int]] = {}
    for framework_id, rank in level_ids:
        low, high = bounds_by_framework.get(framework_id, (rank, rank))
        bounds_by_framework[framework_id] = (min(low, rank), max(high, rank))
    bounds = {code: bounds_by_framework[c.framework_id] for code, c in competences.items()}
    themes = {t.slug: t for t in Theme.objects.all()}
    levels = _Levels(rng, bounds)
    start = today - datetime.timedelta(days=PERIOD_DAYS)

    # The people, created by a counsellor of their structure, informed on their first visit.
    for person in people:
        structure = structures[VENUES[person.venue]["structure"]]
        person.learner = learner_create(
            user=users[_counsellor_of_venue(person.venue)],
            structure=structure,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_year=person.birth_year,
            commune=communes[person.insee],
            gender=person.gender,
            social_status=person.social_status,
            email=person.email,
            phone=person.phone,
            contact_consent=bool(person.email or person.phone),
            contact_consent_at=_at(start, person.start, 10, 0) if person.email else None,
            information_given_at=start + datetime.timedelta(days=person.start),
        )

    plans = _plan(rng, people, ateliers, today) + _this_month_appointments(rng, people, today)
    # Levels are decided and written in date order.
    plans.sort(key=lambda p: (p.day, p.hour, p.minute, p.kind, p.venue or ""))
    for plan in plans:
        _decide_levels(plan, people, levels)
        _session_write(plan, people, start, users, venues, counsellors, competences, themes,
                       level_ids)  # fmt: skip


def _star_reads_a_guide(star: Learner) -> None:
    """The demo person marked one of her suggested guides as read, from her carnet."""
    carnet = Carnet.objects.get(learner=star, revoked_at__isnull=True)
    guide = (
        GuidePage.objects.live()
        .public()
        .filter(competences__code__in=STAR["interests"][-3:])
        .order_by("pk")
        .first()
    )
    if guide is not None:
        carnet_mark_guide_read(carnet=carnet, guide=guide)


def _decide_levels(plan: Planned, people: list[Person], levels: _Levels) -> None:
    rows = []
    for index, status, worked in plan.rows:
        person = people[index]
        if plan.force_gain:
            gainable = [code for code in person.interests if levels.can_gain(person, code)]
            decided = {code: levels.observe(person, code, gain=True) for code in gainable[:1]}
        else:
            decided = {code: levels.observe(person, code) for code in worked}
        rows.append((index, status, decided))
    plan.rows = rows


def _at(start: datetime.date, day: int, hour: int, minute: int) -> datetime.datetime:
    moment = datetime.datetime.combine(
        start + datetime.timedelta(days=day), datetime.time(hour, minute)
    )
    return timezone.make_aware(moment)


def _session_write(plan, people, start, users, venues, counsellors, competences, themes,
                   level_ids) -> Session:  # fmt: skip
    user = users[plan.counsellor]
    worked_codes = sorted({code for _i, _s, worked in plan.rows for code in worked})
    session_competences = [competences[code] for code in worked_codes]
    theme_slugs = plan.themes or sorted(
        {THEME_BY_PREFIX[code[:2]] for code in worked_codes if code[:2] in THEME_BY_PREFIX}
    )
    kwargs = {}
    if plan.atelier is None:
        kwargs = {
            "competences": session_competences,
            "themes": [themes[slug] for slug in theme_slugs if slug in themes],
            "duration_minutes": plan.duration,
            "title": plan.title,
        }
    session = session_create(
        user=user,
        start=_at(start, plan.day, plan.hour, plan.minute),
        kind=plan.kind,
        atelier=plan.atelier,
        place_type=plan.place_type,
        venue=venues[plan.venue] if plan.venue else None,
        counsellors=[counsellors[plan.counsellor]],
        **kwargs,
    )
    if plan.atelier is not None:
        # Levels are recorded only for the curriculum's competences.
        allowed = set(session.competences.values_list("code", flat=True))
    else:
        allowed = set(worked_codes)
    framework_of = {code: competences[code].framework_id for code in allowed}
    rows = []
    for index, status, worked in plan.rows:
        person = people[index]
        equipment, autonomy = _equipment_autonomy(person, plan)
        rows.append(
            SheetRow(
                learner_id=person.learner.pk,
                status=status,
                equipment=equipment if status == AttendanceStatus.PRESENT else "",
                autonomy=autonomy if status == AttendanceStatus.PRESENT else "",
                levels={
                    competences[code].pk: level_ids[(framework_of[code], rank)]
                    for code, rank in worked.items()
                    if code in allowed
                },
            )
        )
    if rows:
        attendance_sheet_save(user=user, session=session, rows=rows)
    if plan.anonymous:
        session_anonymous_participants_set(user=user, session=session, counts=plan.anonymous)
    return session


def _equipment_autonomy(person: Person, plan: Planned) -> tuple[str, str]:
    if plan.kind == SessionKind.DISCUSSION:
        return Equipment.NONE, Autonomy.PARTLY
    young = person.birth_year is not None and timezone.localdate().year - person.birth_year < 30
    equipment = Equipment.PHONE if (young or person.index % 3 == 0) else Equipment.COMPUTER
    if person.index % 7 == 0:
        equipment = Equipment.TABLET
    autonomy = {
        "star": Autonomy.PARTLY,
        "progressing": Autonomy.PARTLY,
        "stuck": Autonomy.ACCOMPANIED,
        "stopped": Autonomy.ACCOMPANIED,
        "occasional": Autonomy.ACCOMPANIED,
        "new": Autonomy.ACCOMPANIED,
    }[person.trajectory]
    if young:
        autonomy = Autonomy.AUTONOMOUS
    return equipment, autonomy


def _future_sessions_ensure(*, today, users, venues, counsellors) -> None:
    """Each counsellor has an upcoming atelier in the next two weeks with free places."""
    now = timezone.now()
    horizon = now + datetime.timedelta(days=14)
    ateliers = list(AtelierPage.objects.live().public().order_by("pk"))
    if not ateliers:
        return
    for n, (username, (_structure, venue_key, _served)) in enumerate(COUNSELLORS.items()):
        counsellor = counsellors[username]
        upcoming = sessions_with_free_places(
            Session.objects.filter(counsellors=counsellor, start__gt=now, start__lt=horizon)
        )
        if upcoming.exists():
            continue
        atelier = ateliers[(n + 2) % len(ateliers)]
        day = today + datetime.timedelta(days=3 + 2 * n)
        session = session_create(
            user=users[username],
            start=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(14 if n % 2 else 10, 0))
            ),
            atelier=atelier,
            venue=venues[venue_key],
            counsellors=[counsellor],
        )
        regulars = list(
            Learner.objects.filter(structure=counsellor.structure, anonymized_at__isnull=True)
            .exclude(last_attended_on=None)
            .order_by(F("last_attended_on").desc(), "pk")[: min(3, (session.capacity or 8) - 2)]
        )
        attendance_sheet_save(
            user=users[username],
            session=session,
            rows=[
                SheetRow(learner_id=learner.pk, status=AttendanceStatus.REGISTERED)
                for learner in regulars
            ],
        )


# The demo carnet's attestation: at most this many of her eligible competences.
DEMO_ATTESTATION_COMPETENCES = 3


def _star_attestation_ensure(learner: Learner, user) -> None:
    """One attestation in the demo carnet (its verification page linked from there), issued
    once: a later run leaves it, even revoked, as a counsellor's action would be left."""
    if Attestation.objects.filter(learner=learner).exists():
        return
    eligible = attestation_eligible_competences(user=user, learner=learner)
    if not eligible:
        return
    attestation_issue(
        user=user,
        learner=learner,
        competence_ids=[e.competence.pk for e in eligible[:DEMO_ATTESTATION_COMPETENCES]],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )


def _demo_carnet_ensure(learner: Learner, user) -> str:
    code = demo_carnet_code()
    digest = code_hash(code)
    current = Carnet.objects.filter(code_hash=digest).first()
    if current is not None and current.learner_id == learner.pk and current.is_active:
        return code
    with transaction.atomic():
        Carnet.objects.filter(learner=learner, revoked_at__isnull=True).exclude(
            code_hash=digest
        ).update(revoked_at=timezone.now())
        if current is not None:
            current.learner = learner
            current.revoked_at = None
            current.save(update_fields=["learner", "revoked_at"])
        else:
            carnet = Carnet(learner=learner, code_hash=digest, created_by=user)
            carnet.full_clean(validate_constraints=False)
            carnet.save()
        audit_log_record(
            user=user, action=AuditAction.CREATE, learner=learner, detail="carnet remis (démo)"
        )
    return code
