"""French communes (INSEE's Code officiel géographique), loaded by `load_communes`."""

import math

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.choices import CommuneType

KM_PER_DEGREE_LATITUDE = 111.2


class Commune(models.Model):
    """One commune, keyed by its INSEE code (text: "85191", "2A004", never a number)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    normalized_name = models.CharField(
        _("nom normalisé"), max_length=100, db_index=True, editable=False
    )
    department_code = models.CharField(_("département"), max_length=3, db_index=True)
    region_code = models.CharField(_("région"), max_length=3, blank=True)
    postal_codes = models.CharField(
        _("codes postaux"),
        max_length=200,
        blank=True,
        help_text=_("Séparés par des espaces : « 85000 85001 »."),
    )
    type = models.CharField(
        _("type"), max_length=4, choices=CommuneType.choices, default=CommuneType.COMMUNE
    )
    parent_insee_code = models.CharField(
        _("code INSEE de la commune parente"), max_length=5, blank=True
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    delegated_names = models.CharField(
        _("communes déléguées"),
        max_length=500,
        blank=True,
        help_text=_("Anciens noms encore en usage, séparés par « | »."),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_coords_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_code})"

    def save(self, *args, **kwargs):
        self.normalized_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()

    def distance_km(self, other: "Commune") -> float | None:
        """Great-circle distance between the two communes' centres, None if unknown."""
        if None in (self.latitude, self.longitude, other.latitude, other.longitude):
            return None
        lat1, lng1, lat2, lng2 = map(
            math.radians, (self.latitude, self.longitude, other.latitude, other.longitude)
        )
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(a))
