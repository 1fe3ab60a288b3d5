"""The carnet de progression: a code a person uses to open their progress at home."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CarnetQuerySet(models.QuerySet):
    """The one definition of a carnet that still counts, so that no caller restates it."""

    def active(self) -> CarnetQuerySet:
        """Not revoked: the person's current code (at most one per person)."""
        return self.filter(revoked_at__isnull=True)

    def openable(self) -> CarnetQuerySet:
        """Active, and its person not anonymised: the codes that open a carnet."""
        return self.active().filter(learner__anonymized_at__isnull=True)


class Carnet(models.Model):
    """A carnet code issued to a person. Only the HMAC of the code is stored
    (`learners.codes`); at most one non-revoked carnet per person.

    Guides the person marked as read are kept on the person (`GuideRead`), so they survive
    when a code is revoked and replaced; `read_guides` gives them for this carnet.
    """

    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="carnets",
        verbose_name=_("personne"),
    )
    code_hash = models.CharField(_("empreinte du code"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remis par"),
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("dernière ouverture"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("nombre d'ouvertures"), default=0)

    objects = CarnetQuerySet.as_manager()

    class Meta:
        verbose_name = _("carnet de progression")
        verbose_name_plural = _("carnets de progression")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=models.Q(revoked_at__isnull=True),
                name="carnet_one_active_per_learner",
            )
        ]

    def __str__(self) -> str:
        return f"Carnet {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def read_guides(self):
        """GuideRead rows of the carnet's person."""
        return GuideRead.objects.filter(learner_id=self.learner_id)


class GuideRead(models.Model):
    """A guide (fiche pratique) the person marked as read from their carnet."""

    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="guide_reads",
        verbose_name=_("personne"),
    )
    guide = models.ForeignKey(
        "workshops.GuidePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("fiche pratique"),
    )
    read_at = models.DateTimeField(_("lue le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fiche lue")
        verbose_name_plural = _("fiches lues")
        constraints = [
            models.UniqueConstraint(fields=["learner", "guide"], name="guide_read_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.guide_id}"
