"""Fixed vocabularies of the tracking app (stable codes, French labels).

The codes follow the national activity record of La Coop de la médiation numérique where
one exists, so exports can map onto it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureKind(models.TextChoices):
    COMMUNE = "commune", _("Commune ou intercommunalité")
    ASSOCIATION = "association", _("Association")
    FRANCE_SERVICES = "france_services", _("France Services")
    LIBRARY = "mediatheque", _("Médiathèque ou bibliothèque")
    CCAS = "ccas", _("CCAS ou CIAS")
    OTHER = "autre", _("Autre")


class CommuneType(models.TextChoices):
    COMMUNE = "COM", _("Commune")
    DELEGATED = "COMD", _("Commune déléguée")
    ASSOCIATED = "COMA", _("Commune associée")
    ARRONDISSEMENT = "ARM", _("Arrondissement municipal")


class Gender(models.TextChoices):
    MALE = "masculin", _("Masculin")
    FEMALE = "feminin", _("Féminin")
    UNKNOWN = "non_communique", _("Non communiqué")


class SocialStatus(models.TextChoices):
    STUDENT = "scolarise", _("Scolarisé")
    UNEMPLOYED = "sans_emploi", _("Sans emploi")
    EMPLOYED = "en_emploi", _("En emploi")
    RETIRED = "retraite", _("Retraité")
    UNKNOWN = "non_communique", _("Non communiqué")


class LegalBasis(models.TextChoices):
    PUBLIC_INTEREST = "interet_public", _("Mission d'intérêt public")
    CONSENT = "consentement", _("Consentement de la personne")
    LEGITIMATE_INTEREST = "interet_legitime", _("Intérêt légitime de la structure")


class SessionKind(models.TextChoices):
    DROP_IN = "permanence", _("Permanence")
    WORKSHOP = "atelier", _("Atelier collectif")
    DISCUSSION = "echange", _("Temps d'échange")
    INDIVIDUAL = "individuel", _("Rendez-vous individuel")


# Kinds counted as collective accompaniments in the national record.
COLLECTIVE_KINDS = frozenset({SessionKind.WORKSHOP, SessionKind.DISCUSSION})


class PlaceType(models.TextChoices):
    VENUE = "lieu", _("Lieu d'activité")
    HOME = "domicile", _("À domicile")
    REMOTE = "distance", _("À distance")
    OTHER = "autre", _("Autre")


# The national record's duration presets, in minutes; any other duration is "custom".
DURATION_PRESETS = (15, 30, 45, 60, 90, 120)
DURATION_MAX_MINUTES = 12 * 60


class AttendanceStatus(models.TextChoices):
    REGISTERED = "inscrit", _("Inscrit")
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excuse", _("Excusé")
    WAITING = "attente", _("Liste d'attente")


# Statuses that take one of the session's places.
SEAT_TAKING_STATUSES = (AttendanceStatus.REGISTERED, AttendanceStatus.PRESENT)
# Which status to keep when two records of one person at one session are merged.
# Keyed by the status as stored (a str: Attendance.status is a CharField).
STATUS_RICHNESS: dict[str, int] = {
    AttendanceStatus.PRESENT: 5,
    AttendanceStatus.ABSENT: 4,
    AttendanceStatus.EXCUSED: 3,
    AttendanceStatus.REGISTERED: 2,
    AttendanceStatus.WAITING: 1,
}


class Equipment(models.TextChoices):
    COMPUTER = "ordinateur", _("Ordinateur")
    PHONE = "telephone", _("Téléphone")
    TABLET = "tablette", _("Tablette")
    OTHER = "autre", _("Autre")
    NONE = "aucun", _("Aucun")


class Autonomy(models.TextChoices):
    ACCOMPANIED = "accompagne", _("Entièrement accompagné")
    PARTLY = "partiellement_autonome", _("Partiellement autonome")
    AUTONOMOUS = "autonome", _("Autonome")


class ObservationSource(models.TextChoices):
    COUNSELLOR = "conseiller", _("Observation du conseiller")
    SELF = "auto", _("Auto-évaluation")


class AuditAction(models.TextChoices):
    READ = "read", _("Consultation")
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    DELETE = "delete", _("Suppression")
    MERGE = "merge", _("Fusion")
    EXPORT = "export", _("Export")
    ANONYMIZE = "anonymize", _("Anonymisation")
    # A keyed call to the read API (`username` « api:<client name> »): what a client read.
    API_READ = "api_read", _("Lecture par l'API")


class AttestationBasis(models.TextChoices):
    """What makes a competence eligible for an attestation (a structure's setting)."""

    LEVEL = "niveau", _("Compétences au niveau « acquis » ou « autonome »")
    CYCLE = "cycle", _("Compétences travaillées pendant un cycle d'ateliers suivi en entier")
    EITHER = "les_deux", _("L'un ou l'autre")


class AttestationName(models.TextChoices):
    """The name shown on an attestation, as the person chooses."""

    FIRST_NAME_INITIAL = "prenom_initiale", _("Prénom et initiale du nom")
    NONE = "aucun", _("Aucun nom")
