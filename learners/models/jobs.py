"""Background jobs: the log of their runs, and what reminders and digests were sent.

`JobRun` is the job log coordinators read in the admin ("Tâches de fond"): one row per
run of a periodic job (a Celery task delivery and its retries share one row, keyed by the
task id; a management command run is a row of its own). It never holds personal data: the
summary is counts, the error is scrubbed of e-mail addresses and phone numbers
(`learners.services.job_log`).

`ReminderSent`, `SessionChangeSent` and `DigestSent` make sending idempotent: a row is
claimed (inserted under a unique constraint) before the message leaves, so a second run,
a retry or a concurrent worker never sends it again. See `learners.services.sending` for
the at-most-once choice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    RUNNING = "running", _("En cours")
    OK = "ok", _("Réussie")
    RETRYING = "retrying", _("Nouvel essai prévu")
    FAILED = "failed", _("Échec")


class JobRun(models.Model):
    """One run of a background job (with its retries)."""

    name = models.CharField(_("tâche"), max_length=100)
    task_id = models.CharField(_("identifiant Celery"), max_length=255, blank=True)
    origin = models.CharField(
        _("déclenchée par"),
        max_length=20,
        default="celery",
        help_text=_("« celery » (worker ou beat) ou « commande » (manage.py)."),
    )
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=JobStatus.choices, default=JobStatus.RUNNING
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=1)
    summary = models.CharField(_("résumé"), max_length=500, blank=True)
    error = models.TextField(_("erreur"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("exécution de tâche de fond")
        verbose_name_plural = _("exécutions de tâches de fond")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["name", "started_at"], name="jobrun_name_idx"),
            models.Index(fields=["started_at"], name="jobrun_started_idx"),
            models.Index(fields=["task_id"], name="jobrun_task_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%d/%m/%Y %H:%M} {self.status}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class ReminderSent(models.Model):
    """The reminder of one attendance for one session date: claimed before sending,
    `sent_at` set once the mail server accepted it. A session moved to another date gets a
    new reminder (the start is part of the key)."""

    attendance = models.ForeignKey(
        "learners.Attendance",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("présence"),
    )
    session_start = models.DateTimeField(_("début de la séance"))
    claimed_at = models.DateTimeField(_("préparé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "session_start"], name="reminder_once_per_session_date"
            )
        ]
        indexes = [models.Index(fields=["claimed_at"], name="reminder_claimed_idx")]

    def __str__(self) -> str:
        return f"{self.attendance_id} {self.session_start:%d/%m/%Y}"


class SessionChangeSent(models.Model):
    """The e-mail telling one registered person that their session was cancelled or
    moved: claimed before sending, once per change. Its own claim, not the reminder's: a
    person already reminded must still hear of a late cancellation. `change` names the
    change itself (the session's `updated_at` when the counsellor made it), so a session
    moved A → B → A → B tells the person each time, and a retry of one change sends
    nothing more."""

    attendance = models.ForeignKey(
        "learners.Attendance",
        on_delete=models.CASCADE,
        related_name="change_notices",
        verbose_name=_("présence"),
    )
    kind = models.CharField(_("changement"), max_length=20)
    change = models.CharField(_("référence du changement"), max_length=40)
    session_start = models.DateTimeField(_("début de la séance annoncé avant"))
    claimed_at = models.DateTimeField(_("préparé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement de séance annoncé")
        verbose_name_plural = _("changements de séance annoncés")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "kind", "change"], name="session_change_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendance_id} {self.kind} {self.change}"


class DigestSent(models.Model):
    """The weekly digest of one counsellor for one ISO week."""

    counsellor = models.ForeignKey(
        "learners.Counsellor",
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("conseiller numérique"),
    )
    iso_year = models.PositiveSmallIntegerField(_("année ISO"))
    iso_week = models.PositiveSmallIntegerField(_("semaine ISO"))
    claimed_at = models.DateTimeField(_("préparé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("récapitulatif envoyé")
        verbose_name_plural = _("récapitulatifs envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "iso_year", "iso_week"], name="digest_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counsellor_id} {self.iso_year}-W{self.iso_week:02d}"
