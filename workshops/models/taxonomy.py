"""Themes (the national activity record's list, extensible) and audiences."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thématique parente"),
        help_text=_("Pour une sous-thématique administrative (Papiers, Logement…)."),
    )
    is_national = models.BooleanField(
        _("liste nationale"),
        default=False,
        help_text=_("Fait partie des thématiques de La Coop de la médiation numérique."),
    )
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Audience(models.Model):
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("public")
        verbose_name_plural = _("publics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
