"""Pre-computed statistics: the raw figures of one dashboard (scope, period and filters),
stored so a national-scale dashboard answers at once (see `learners.statistics.snapshots`).
They hold counts only, never a person's data; suppression is applied when they are shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatisticsSnapshot(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En cours de calcul")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    key = models.CharField(_("clé"), max_length=64, unique=True)
    scope_level = models.CharField(_("périmètre"), max_length=20)
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure du périmètre"),
    )
    counsellor = models.ForeignKey(
        "learners.Counsellor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conseiller du périmètre"),
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    filters = models.JSONField(_("filtres"), default=dict)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    data = models.JSONField(_("chiffres"), null=True, blank=True)
    requested_at = models.DateTimeField(_("demandé le"))
    computed_at = models.DateTimeField(_("calculé le"), null=True, blank=True)
    seconds = models.FloatField(_("durée du calcul (s)"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statistiques pré-calculées")
        verbose_name_plural = _("statistiques pré-calculées")
        indexes = [models.Index(fields=["computed_at"], name="stats_snapshot_computed_idx")]

    def __str__(self) -> str:
        return f"{self.scope_level} {self.period_start}–{self.period_end} ({self.status})"
