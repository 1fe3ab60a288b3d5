"""Competence progress at two levels (model: Kolibri's ContentSessionLog/ContentSummaryLog).

`Observation` is append-only: one recorded level on one competence for one person, by a
counsellor or a self-assessment. Services never update or delete one; a correction is a
new observation. `CompetenceSummary` is derived from the observations, updated in the same
transaction as each new observation and rebuildable at any time
(`learners.services.progress.summary_rebuild`, command `rebuild_competence_summaries`).
The summary rules live in `learners.progress`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.choices import ObservationSource
from learners.progress import STUCK_AFTER_OBSERVATIONS


class Observation(models.Model):
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("personne"),
    )
    competence = models.ForeignKey(
        "workshops.Competence",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("compétence"),
    )
    level = models.ForeignKey(
        "workshops.Level",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("niveau"),
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=ObservationSource.choices,
        default=ObservationSource.COUNSELLOR,
    )
    session = models.ForeignKey(
        "learners.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("séance"),
    )
    observed_on = models.DateField(_("date"))
    # The structure that recorded it (the session's, else the author's at the time); null
    # for a self-assessment from the carnet, which is the person's own. Visibility follows
    # it (`learners.scoping`), whoever the author works for later.
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure qui l'a enregistrée"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["observed_on", "id"]
        indexes = [
            models.Index(
                fields=["learner", "competence", "observed_on"], name="observation_progress_idx"
            ),
            models.Index(fields=["session"], name="observation_session_idx"),
            models.Index(fields=["structure", "learner"], name="observation_structure_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.competence_id} · {self.level_id} ({self.observed_on})"

    def save(self, *args, **kwargs):
        if self.structure_id is None and self.session_id is not None:
            self.structure_id = self.session.structure_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.level_id
            and self.competence_id
            and self.level.framework_id != self.competence.framework_id
        ):
            raise ValidationError(
                {"level": _("Ce niveau n'appartient pas au référentiel de la compétence.")}
            )


class CompetenceSummary(models.Model):
    """Where a person stands on one competence, derived from their observations.

    Observations are ordered by (observed_on, id). `levels_gained` = best rank − first rank.
    `observations_without_gain` counts the observations since the best level was last
    raised (the first observation counts as one without gain): "stuck" is ≥ 3.
    `last_progress_on` is the date the best level was last raised (None: never).
    """

    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.CASCADE,
        related_name="competence_summaries",
        verbose_name=_("personne"),
    )
    competence = models.ForeignKey(
        "workshops.Competence",
        on_delete=models.CASCADE,
        related_name="summaries",
        verbose_name=_("compétence"),
    )
    first_level = models.ForeignKey(
        "workshops.Level",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("niveau initial"),
    )
    current_level = models.ForeignKey(
        "workshops.Level",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("niveau actuel"),
    )
    best_level = models.ForeignKey(
        "workshops.Level",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meilleur niveau"),
    )
    first_observed_on = models.DateField(_("première observation"))
    last_observed_on = models.DateField(_("dernière observation"))
    observation_count = models.PositiveIntegerField(_("nombre d'observations"), default=0)
    levels_gained = models.SmallIntegerField(_("niveaux gagnés"), default=0)
    observations_without_gain = models.PositiveIntegerField(
        _("observations sans progrès"), default=0
    )
    last_progress_on = models.DateField(_("dernier progrès"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("synthèse par compétence")
        verbose_name_plural = _("synthèses par compétence")
        ordering = ["learner", "competence"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "competence"], name="competence_summary_unique"
            )
        ]
        indexes = [
            # The dashboard's "progressed this month" (count and list) read this index
            # alone: filter, order and the rows' ids (national benchmark, bench/tracking.py).
            models.Index(
                fields=["last_progress_on", "learner", "competence"],
                include=["id"],
                name="summary_progress_idx",
            ),
            # The dashboard's "stuck" people (recent observations without a gain), likewise.
            models.Index(
                fields=["last_observed_on", "learner"],
                include=["id", "competence", "best_level", "observations_without_gain"],
                condition=models.Q(observations_without_gain__gte=STUCK_AFTER_OBSERVATIONS),
                name="summary_stuck_idx",
            ),
            models.Index(fields=["competence"], name="summary_competence_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.competence_id} · {self.current_level_id}"
