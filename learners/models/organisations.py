"""Structures (employers and partners), their counsellors, and the venues they run."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.choices import StructureKind

siret_validator = RegexValidator(r"^\d{14}$", _("Le SIRET compte 14 chiffres, sans espace."))


class Structure(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type de structure"),
        max_length=20,
        choices=StructureKind.choices,
        default=StructureKind.ASSOCIATION,
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])
    commune = models.ForeignKey(
        "learners.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("commune"),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collection de documents et d'images"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Counsellor(models.Model):
    """The counsellor profile of a user (conseiller ou conseillère numérique)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counsellor",
        verbose_name=_("utilisateur"),
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="counsellors",
        verbose_name=_("structure"),
    )
    communes = models.ManyToManyField(
        "learners.Commune",
        blank=True,
        related_name="counsellors",
        verbose_name=_("communes desservies"),
    )
    is_structure_manager = models.BooleanField(
        _("responsable de la structure"),
        default=False,
        help_text=_("Voit les statistiques de toute sa structure."),
    )

    class Meta:
        verbose_name = _("conseiller numérique")
        verbose_name_plural = _("conseillers numériques")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Venue(models.Model):
    """A lieu, with the core fields of the "lieux de médiation numérique" standard (v1.0)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="venues", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte 5 chiffres."))],
    )
    commune = models.ForeignKey(
        "learners.Commune",
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    opening_hours = models.CharField(
        _("horaires"),
        max_length=500,
        blank=True,
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00; We 14:00-17:00 »."),
    )
    services = models.TextField(_("services"), blank=True, help_text=_("Un service par ligne."))
    publics = models.CharField(
        _("publics spécifiquement adressés"),
        max_length=300,
        blank=True,
        help_text=_("Jeunes, Étudiants, Familles, Seniors, Femmes…"),
    )
    accessibility = models.TextField(
        _("accessibilité et prise en charge spécifique"),
        blank=True,
        help_text=_("Surdité, handicaps moteurs, déficience visuelle, illettrisme…"),
    )
    access_details = models.TextField(
        _("modalités d'accès"),
        blank=True,
        help_text=_("Comment venir : bus, parking, entrée, étage."),
    )
    takes_appointments = models.BooleanField(
        _("prend des rendez-vous"),
        default=False,
        help_text=_("Une personne peut demander un rendez-vous en ligne depuis la page du lieu."),
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    external_id = models.CharField(
        _("identifiant externe"),
        max_length=100,
        blank=True,
        help_text=_("Identifiant dans le jeu de données national, pour les imports."),
    )
    is_active = models.BooleanField(_("en activité"), default=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name"]
        # The public agenda: venues within a distance (a bounding box on the coordinates).
        indexes = [models.Index(fields=["latitude", "longitude"], name="venue_coords_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="venue_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})" if self.commune_id else self.name

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]
