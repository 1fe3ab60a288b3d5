"""Who read or changed a person's record, when, and what (never the personal data itself)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.choices import AuditAction


class AuditLog(models.Model):
    """One access to personal data. `username` and `learner_network_id` are copies, so the
    line still says who and whom after the user or the person record is deleted.
    `detail` is a short technical note (field names, session id), never personal data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisateur"),
    )
    username = models.CharField(_("identifiant"), max_length=150, blank=True)
    # The structure the user worked for when acting (empty: coordination, system, carnet):
    # a structure's data export gives the entries of its own staff only.
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure"),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_logs",
        verbose_name=_("personne"),
    )
    learner_network_id = models.CharField(_("identifiant réseau"), max_length=32, blank=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("journal d'accès")
        verbose_name_plural = _("journal d'accès")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["learner", "created_at"], name="audit_learner_idx"),
            models.Index(fields=["user", "created_at"], name="audit_user_idx"),
            models.Index(fields=["created_at"], name="audit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.username} {self.action}"
