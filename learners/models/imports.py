"""Spreadsheet imports: one `ImportJob` per uploaded file, from preview to result.

The uploaded file is kept in the row itself (`content`), not in MEDIA_ROOT: it holds
personal data, must never be served by the web server, and every web process and Celery
worker reads the same database. `content` and the sample rows of `preview` are erased when
the job ends (done, failed or cancelled); the counts stay, so "Mes imports" still says what
happened. See `learners.imports` for the flow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("Personnes accompagnées")
    ATTENDANCE = "attendance", _("Séances et présences")
    VENUES = "venues", _("Lieux")
    COOP_ACTIVITY = "coop_activity", _("Activités exportées de La Coop")


class ImportStatus(models.TextChoices):
    READY = "ready", _("Aperçu prêt, à confirmer")
    INVALID = "invalid", _("Erreurs dans le fichier")
    QUEUED = "queued", _("En attente de traitement")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec : rien n'a été importé")
    CANCELLED = "cancelled", _("Annulé")


ACTIVE_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)
FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)


class ImportJob(models.Model):
    """An uploaded spreadsheet: its preview, then (once confirmed) its import.

    `summary` holds the counts ({"created": …, "updated": …, "unchanged": …, "skipped": …,
    "flagged": …} per entity), `preview` the sample lines shown before confirmation,
    `errors` the first errors found ({"line", "column", "message"}), `error_count` all of
    them. `processed_rows` / `total_rows` is the progress of a running job.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("type d'import"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("état"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.READY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure par défaut"),
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    content = models.BinaryField(_("contenu du fichier"), blank=True, default=b"")
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    summary = models.JSONField(_("résumé"), default=dict, blank=True)
    preview = models.JSONField(_("aperçu"), default=dict, blank=True)
    errors = models.JSONField(_("erreurs"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("nombre d'erreurs"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import de fichier")
        verbose_name_plural = _("imports de fichiers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_by", "created_at"], name="importjob_user_idx"),
            models.Index(fields=["status", "created_at"], name="importjob_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.original_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
