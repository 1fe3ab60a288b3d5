"""People accompanied (personnes accompagnées): the minimum the national record needs."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.choices import Gender, LegalBasis, SocialStatus

BIRTH_YEAR_MIN = 1900


def current_year() -> int:
    return timezone.localdate().year


def network_id_generate() -> str:
    """Opaque network-wide identifier: 16 random hex characters (64 bits)."""
    return secrets.token_hex(8)


class Learner(models.Model):
    """A person accompanied. Never a full birth date; contact details only with consent.

    `normalized_first_name`, `normalized_last_name` and `normalized_name` (first + last) are
    folded with `common.text.fold` on every save, for matching across the network.
    `structure` is the structure that created the record; the structures that may see the
    person are in `LearnerStructure` (the creator, plus every structure where the person
    attended a session, plus those of merged records).
    """

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(BIRTH_YEAR_MIN), MaxValueValidator(current_year)],
        help_text=_("Jamais la date complète : l'année suffit pour la tranche d'âge."),
    )
    commune = models.ForeignKey(
        "learners.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learners",
        verbose_name=_("commune de résidence"),
    )
    gender = models.CharField(
        _("genre"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    social_status = models.CharField(
        _("statut"), max_length=20, choices=SocialStatus.choices, default=SocialStatus.UNKNOWN
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    contact_consent = models.BooleanField(
        _("accepte d'être contactée pour des rappels"), default=False
    )
    contact_consent_at = models.DateTimeField(_("consentement recueilli le"), null=True, blank=True)
    notes = models.TextField(
        _("remarques"),
        max_length=500,
        blank=True,
        help_text=_(
            "Uniquement ce qui sert l'accompagnement. Jamais de santé, d'opinions, de "
            "religion, de situation judiciaire ni de numéro de sécurité sociale."
        ),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="learners",
        verbose_name=_("structure d'accueil"),
    )
    legal_basis = models.CharField(
        _("base légale"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.PUBLIC_INTEREST,
    )
    information_given_at = models.DateField(
        _("personne informée le"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle la personne a été informée du traitement de ses données."),
    )
    network_id = models.CharField(
        _("identifiant réseau"),
        max_length=32,
        unique=True,
        default=network_id_generate,
        editable=False,
    )
    external_id = models.CharField(
        _("identifiant externe"),
        max_length=100,
        blank=True,
        help_text=_(
            "Identifiant de la personne dans un tableau de suivi de la structure, pour les "
            "imports (unique dans la structure)."
        ),
    )
    normalized_first_name = models.CharField(max_length=100, db_index=True, editable=False)
    normalized_last_name = models.CharField(max_length=100, db_index=True, editable=False)
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    anonymized_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    last_activity_at = models.DateTimeField(
        _("dernière activité"),
        default=timezone.now,
        help_text=_(
            "Mise à jour à chaque séance ou modification ; sert à la durée de conservation."
        ),
    )
    last_attended_on = models.DateField(
        _("dernière présence"),
        null=True,
        blank=True,
        help_text=_("Date de la dernière séance où la personne était présente."),
    )

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        ordering = ["normalized_first_name", "normalized_last_name", "id"]
        indexes = [
            models.Index(fields=["normalized_name", "birth_year"], name="learner_match_idx"),
            models.Index(
                fields=["normalized_first_name", "birth_year"], name="learner_match_first_idx"
            ),
            models.Index(fields=["structure", "last_attended_on"], name="learner_struct_seen_idx"),
            models.Index(fields=["last_activity_at"], name="learner_activity_idx"),
            # The read API's activity records count the people present by age band and
            # gender: this covering index answers them without visiting the table
            # (index-only scans; PostgreSQL only, elsewhere a plain index on id).
            models.Index(
                fields=["id"], include=["birth_year", "gender"], name="learner_sync_counts_idx"
            ),
            # The dashboard's "stopped coming" (count and list) of people not anonymised.
            models.Index(
                fields=["last_attended_on"],
                include=["id"],
                condition=models.Q(anonymized_at__isnull=True),
                name="learner_attended_idx",
            ),
            # The coordinator's dashboard leaves anonymised people out by this short list
            # rather than by joining the whole table (1M rows at national scale).
            models.Index(
                fields=["id"],
                condition=models.Q(anonymized_at__isnull=False),
                name="learner_anonymized_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "external_id"],
                condition=~models.Q(external_id=""),
                name="learner_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.normalize_names()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {
                *update_fields,
                "normalized_first_name",
                "normalized_last_name",
                "normalized_name",
            }
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """First name and last-name initial: what lists and hints show."""
        initial = f" {self.last_name[:1].upper()}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymized(self) -> bool:
        return self.anonymized_at is not None

    def normalize_names(self) -> None:
        self.normalized_first_name = fold(self.first_name)
        self.normalized_last_name = fold(self.last_name)
        self.normalized_name = self.normalized_first_name + self.normalized_last_name

    def clean(self) -> None:
        errors = {}
        if not self.contact_consent:
            if self.phone:
                errors["phone"] = _(
                    "Un téléphone ne peut être enregistré qu'avec l'accord de la personne."
                )
            if self.email:
                errors["email"] = _(
                    "Un courriel ne peut être enregistré qu'avec l'accord de la personne."
                )
        elif self.contact_consent_at is None:
            errors["contact_consent_at"] = _("Indiquez la date de l'accord de la personne.")
        if self.first_name is not None and not fold(self.first_name) and not self.is_anonymized:
            errors["first_name"] = _("Indiquez un prénom.")
        if errors:
            raise ValidationError(errors)


class LearnerStructure(models.Model):
    """A structure that accompanies a person, hence may see their record.

    Kept by the services: the creating structure, every structure whose session the person
    attended, and the union of both records' structures after a merge. Counsellors' scoping
    joins this table (indexed by structure), never scans attendance.

    The three dates are copies of the person's own (empty once anonymised), so that a
    counsellor's dashboard reads one structure's slice of an index instead of joining the
    whole network's recent activity with the structure's people. They are written by
    `learners.services.activity.structure_links_refresh` wherever the originals change.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="structure_links")
    structure = models.ForeignKey(
        "learners.Structure", on_delete=models.CASCADE, related_name="learner_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Learner.last_attended_on.
    last_attended_on = models.DateField(null=True, blank=True, editable=False)
    # The latest CompetenceSummary.last_progress_on of the person.
    last_progress_on = models.DateField(null=True, blank=True, editable=False)
    # The latest CompetenceSummary.last_observed_on among the person's stuck competences
    # (observations without gain at the threshold, best level below the framework's top).
    last_stuck_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("structure qui accompagne")
        verbose_name_plural = _("structures qui accompagnent")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "learner"], name="learner_structure_unique"
            )
        ]
        indexes = [
            models.Index(fields=["learner"], name="learner_structure_learner_idx"),
            # A counsellor's dashboard: one structure's people by each date.
            *(
                models.Index(
                    fields=["structure", field],
                    include=["learner"],
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=name,
                )
                for field, name in (
                    ("last_attended_on", "link_attended_idx"),
                    ("last_progress_on", "link_progress_idx"),
                    ("last_stuck_on", "link_stuck_idx"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.structure_id}"
