"""Sessions (séances), their anonymous participant counts, and attendance (présences)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learners.age_bands import AgeBand
from learners.choices import (
    COLLECTIVE_KINDS,
    DURATION_MAX_MINUTES,
    DURATION_PRESETS,
    AttendanceStatus,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
)
from workshops.choices import WorkshopLevel


class Session(models.Model):
    """One dated session. `structure` owns it: counsellors see the sessions of their
    structure. Levels for `competences` are what the attendance sheet records."""

    kind = models.CharField(_("type de séance"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    atelier = models.ForeignKey(
        "workshops.AtelierPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("déroulé d'atelier"),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("structure"),
    )
    place_type = models.CharField(
        _("type de lieu"), max_length=20, choices=PlaceType.choices, default=PlaceType.VENUE
    )
    venue = models.ForeignKey(
        "learners.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("lieu"),
    )
    place_commune = models.ForeignKey(
        "learners.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune du lieu"),
        help_text=_("Pour une séance dans un autre lieu : sa commune."),
    )
    start = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(DURATION_MAX_MINUTES)],
        help_text=_("15, 30, 45, 60, 90, 120 minutes ou une autre durée."),
    )
    counsellors = models.ManyToManyField(
        "learners.Counsellor",
        blank=True,
        related_name="sessions",
        verbose_name=_("conseillers"),
    )
    themes = models.ManyToManyField(
        "workshops.Theme", blank=True, related_name="sessions", verbose_name=_("thématiques")
    )
    competences = models.ManyToManyField(
        "workshops.Competence",
        blank=True,
        related_name="sessions",
        verbose_name=_("compétences travaillées"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Laisser vide si le nombre de places n'est pas limité."),
    )
    level = models.CharField(_("niveau"), max_length=20, choices=WorkshopLevel.choices, blank=True)
    # The public agenda (« Près de chez vous »): whether and how the session is offered.
    series = models.ForeignKey(
        "learners.SessionSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("cycle"),
    )
    is_published = models.BooleanField(
        _("publiée dans l'agenda"),
        default=False,
        help_text=_("Visible de tous sur « Près de chez vous », avec l'inscription en ligne."),
    )
    waitlist_capacity = models.PositiveSmallIntegerField(
        _("places sur liste d'attente"),
        default=10,
        help_text=_("0 : pas de liste d'attente une fois la séance complète."),
    )
    audiences = models.ManyToManyField(
        "workshops.Audience", blank=True, related_name="sessions", verbose_name=_("publics")
    )
    what_to_bring = models.TextField(
        _("à apporter"),
        blank=True,
        help_text=_(
            "Par exemple : votre téléphone chargé, vos identifiants, une pièce d'identité."
        ),
    )
    accessibility_note = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_(
            "Accès en fauteuil roulant, boucle magnétique, salle à l'étage sans ascenseur…"
        ),
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_reason = models.TextField(_("motif de l'annulation"), blank=True)
    external_id = models.CharField(
        _("identifiant externe"),
        max_length=100,
        blank=True,
        help_text=_(
            "Identifiant de la séance dans un tableau de suivi de la structure, pour les "
            "imports (unique dans la structure)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-start", "id"]
        indexes = [
            models.Index(fields=["structure", "start"], name="session_structure_start_idx"),
            models.Index(fields=["start"], name="session_start_idx"),
            # Statistics: first and last session of an atelier cycle (one index probe).
            models.Index(
                fields=["atelier", "structure", "start"], name="session_atelier_cycle_idx"
            ),
            # The public agenda: upcoming published sessions of a set of venues (with the
            # kind, so the agenda counts them per venue from the index; PostgreSQL only).
            models.Index(
                fields=["venue", "start"],
                include=["kind"],
                condition=models.Q(is_published=True, cancelled_at__isnull=True),
                name="session_agenda_idx",
            ),
            # The read API's activity records, in the order of their cursor (modification,
            # id): any page is one index range scan, for the network or for one structure.
            models.Index(fields=["updated_at", "id"], name="session_sync_idx"),
            models.Index(
                fields=["structure", "updated_at", "id"], name="session_structure_sync_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "external_id"],
                condition=~models.Q(external_id=""),
                name="session_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.start).strftime("%d/%m/%Y %H:%M") if self.start else ""
        return f"{self.display_title} – {when}"

    @property
    def display_title(self) -> str:
        return self.title or str(SessionKind(self.kind).label)

    @property
    def end(self) -> datetime.datetime:
        return self.start + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def local_date(self) -> datetime.date:
        return timezone.localdate(self.start)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_collective(self) -> bool:
        return self.kind in COLLECTIVE_KINDS

    @property
    def is_custom_duration(self) -> bool:
        return self.duration_minutes not in DURATION_PRESETS

    def clean(self) -> None:
        errors = {}
        if self.place_type == PlaceType.VENUE and not self.venue_id:
            errors["venue"] = _(
                "Choisissez le lieu, ou indiquez « à domicile », « à distance » ou « autre »."
            )
        if self.place_type != PlaceType.VENUE and self.venue_id:
            errors["venue"] = _("Un lieu ne s'indique que pour une séance dans un lieu d'activité.")
        if errors:
            raise ValidationError(errors)


class AnonymousParticipants(models.Model):
    """People who came to a collective session without being registered, counted only."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="anonymous_participants",
        verbose_name=_("séance"),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    gender = models.CharField(
        _("genre"), max_length=20, choices=Gender.choices, default=Gender.UNKNOWN
    )
    count = models.PositiveSmallIntegerField(_("nombre"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("participants anonymes")
        verbose_name_plural = _("participants anonymes")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "age_band", "gender"], name="anonymous_participants_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.get_age_band_display()} / {self.get_gender_display()}"


class Attendance(models.Model):
    """A person at a session: status, equipment used, autonomy, referral."""

    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("personne"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("séance")
    )
    status = models.CharField(
        _("présence"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.REGISTERED,
    )
    equipment = models.CharField(
        _("matériel utilisé"), max_length=20, choices=Equipment.choices, blank=True
    )
    autonomy = models.CharField(_("autonomie"), max_length=30, choices=Autonomy.choices, blank=True)
    referred_to = models.CharField(
        _("orientée vers"),
        max_length=200,
        blank=True,
        help_text=_("Structure vers laquelle la personne a été orientée (CAF, France Travail…)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "session"], name="attendance_unique")
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="attendance_session_idx"),
            # Statistics count "présent" only: these partial indexes answer "a person's
            # presences" and "a session's people" from the index alone (index-only scans).
            models.Index(
                fields=["learner", "session"],
                condition=models.Q(status="present"),
                name="attendance_present_learner_idx",
            ),
            models.Index(
                fields=["session", "learner"],
                condition=models.Q(status="present"),
                name="attendance_present_session_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.session} ({self.get_status_display()})"
