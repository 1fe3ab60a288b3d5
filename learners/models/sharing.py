"""Who may read what another structure recorded about a person.

A `LearnerStructure` link makes one person one person across the network (statistics count
distinct people) and lets a structure record its own sessions and observations on the
record; it gives that structure nothing of what the others recorded. A `SharingConsent` is
the person's agreement that one structure may read the whole record (the other structures'
sessions, observations, contact details and notes). The person controls it: it is given by
showing the carnet code to the counsellor, or recorded by a counsellor with the person
present, and it is withdrawn from the carnet or on request (`revoked_at`). A consent the
person withdrew from their carnet (`revoked_from_carnet`) can only be given again to that
structure with the carnet code (`learners.services.linking.sharing_consent_record`).

A `LinkRequest` is what a counsellor asks when the person they are about to register seems
to be followed already by another structure and cannot show their carnet: the coordination
checks it (usually by merging the two records) and closes it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentMethod(models.TextChoices):
    CARNET_CODE = "carnet", _("code du carnet montré par la personne")
    IN_PERSON = "en_personne", _("accord recueilli par un conseiller, la personne présente")


class SharingConsent(models.Model):
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="sharing_consents",
        verbose_name=_("personne"),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.CASCADE,
        related_name="sharing_consents",
        verbose_name=_("structure qui reçoit l'accord"),
    )
    method = models.CharField(_("comment"), max_length=20, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("donné le"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revoked_from_carnet = models.BooleanField(
        _("retiré par la personne depuis son carnet"), default=False
    )

    class Meta:
        verbose_name = _("accord de partage")
        verbose_name_plural = _("accords de partage")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "structure"],
                condition=models.Q(revoked_at__isnull=True),
                name="sharing_consent_active_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["structure", "learner"],
                condition=models.Q(revoked_at__isnull=True),
                name="sharing_consent_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.structure_id} ({self.method})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LinkRequest(models.Model):
    """ "This person seems to be followed elsewhere": a request for the coordination.

    `learner` is the existing record (never shown to the requester), `own_record` the record
    the requesting structure created meanwhile (null when it created none)."""

    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("fiche existante"),
    )
    own_record = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="link_requests_made",
        verbose_name=_("fiche créée par la structure"),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("structure qui demande"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    source = models.CharField(_("origine"), max_length=30, default="formulaire")
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    outcome = models.CharField(_("suite donnée"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("demande de rattachement")
        verbose_name_plural = _("demandes de rattachement")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=models.Q(closed_at__isnull=True),
                name="link_request_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.structure_id} → {self.learner_id}"
