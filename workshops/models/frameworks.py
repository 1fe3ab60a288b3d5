"""Competence frameworks: framework → domain → competence, with ordered levels.

Natural keys (framework slug, codes) make frameworks importable and re-importable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("référentiel de compétences")
        verbose_name_plural = _("référentiels de compétences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="domains", verbose_name=_("référentiel")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["framework", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Competence(models.Model):
    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="competences",
        verbose_name=_("référentiel"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="competences", verbose_name=_("domaine")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    can_do = models.CharField(
        _("« je sais faire » en mots simples"),
        max_length=300,
        blank=True,
        help_text=_(
            "Affiché dans le carnet : « Je sais envoyer un e-mail avec une pièce jointe »."
        ),
    )
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["framework", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competence_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.domain_id and self.framework_id and self.domain.framework_id != self.framework_id:
            raise ValidationError(
                {"domain": _("Le domaine doit appartenir au même référentiel que la compétence.")}
            )


class LevelQuerySet(models.QuerySet):
    def tops(self) -> LevelQuerySet:
        """The highest level of each framework (nobody can progress beyond it)."""
        highest = (
            Level.objects.filter(framework_id=models.OuterRef("framework_id"))
            .order_by("-rank")
            .values("rank")[:1]
        )
        return self.filter(rank=models.Subquery(highest))


class Level(models.Model):
    """One step of a framework's ordered scale. `rank` orders levels (0 = lowest)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("référentiel")
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    name = models.CharField(_("nom"), max_length=100)
    group = models.CharField(
        _("palier"), max_length=100, blank=True, help_text=_("Par exemple « Novice » (CRCN).")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects = LevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="level_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.group})" if self.group else self.name
