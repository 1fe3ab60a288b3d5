"""Structures (employers and partners), their counsellors, and the venues they run."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.choices import AttestationBasis, StructureKind
from learners.contacts import phone_display, phone_e164_or_empty
from learners.models.fields import EmailListField, VocabularyListField

siret_validator = RegexValidator(r"^\d{14}$", _("Le SIRET compte 14 chiffres, sans espace."))
# The national standard's patterns (schema v1.0.2: `pivot`, `telephone`).
pivot_validator = RegexValidator(
    r"^[a-zA-Z0-9]{9,14}$",
    _("Un SIRET (14 chiffres) ou un RNA (W suivi de 9 chiffres), sans espace."),
)
phone_validator = RegexValidator(
    r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$",
    _("Un numéro français au format international, par exemple +33123456789."),
)


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
    attestation_basis = models.CharField(
        _("attestations de compétences"),
        max_length=10,
        choices=AttestationBasis.choices,
        default=AttestationBasis.LEVEL,
        help_text=_("Ce qui permet à un conseiller de délivrer une attestation à une personne."),
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
    # The read API's `modification`: a rename or a move reaches the warehouses' sync.
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

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
    # The read API's `modification`: a move to another structure reaches the sync.
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("conseiller numérique")
        verbose_name_plural = _("conseillers numériques")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Venue(models.Model):
    """A lieu, with every field of the "lieux de médiation numérique" standard (v1.0.2).

    `learners.national.lieux` maps a venue to the standard's row and back; the list fields
    hold the schema's own values (`learners.lieux_vocabularies`)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="venues", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=200)
    pivot = models.CharField(
        _("SIRET ou RNA du lieu"),
        max_length=14,
        blank=True,
        validators=[pivot_validator],
        help_text=_("Laissé vide, le SIRET de la structure est publié."),
    )
    typology = VocabularyListField(_("typologie"), vocabulary="TYPOLOGY")
    summary = models.CharField(
        _("présentation courte"),
        max_length=280,
        blank=True,
        help_text=_("280 caractères au plus : ce que le lieu propose, en une ou deux phrases."),
    )
    description = models.TextField(_("présentation détaillée"), blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    address_complement = models.CharField(
        _("complément d'adresse"),
        max_length=300,
        blank=True,
        help_text=_("Bâtiment, étage, nom du lieu voisin…"),
    )
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
    mobility = VocabularyListField(
        _("itinérance"),
        vocabulary="MOBILITY",
        help_text=_("« Itinérant » pour un bus ou des permanences tournantes."),
    )
    parent_organisation = models.CharField(
        _("structure parente"),
        max_length=200,
        blank=True,
        help_text=_("Le réseau ou l'organisme dont le lieu dépend, par exemple la commune."),
    )
    opening_hours = models.CharField(
        _("horaires"),
        max_length=500,
        blank=True,
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00; We 14:00-17:00 »."),
    )
    services = VocabularyListField(_("services"), vocabulary="SERVICES")
    other_services = models.TextField(
        _("autres services"),
        blank=True,
        help_text=_("Ceux que la liste nationale ne nomme pas, un par ligne."),
    )
    audiences = VocabularyListField(_("publics spécifiquement adressés"), vocabulary="AUDIENCES")
    publics = models.CharField(
        _("autres publics"),
        max_length=300,
        blank=True,
        help_text=_("Ceux que la liste nationale ne nomme pas."),
    )
    specific_support = VocabularyListField(
        _("prise en charge spécifique"), vocabulary="SPECIFIC_SUPPORT"
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès en fauteuil, boucle magnétique, aide pour lire…"),
    )
    fees = VocabularyListField(_("frais à charge"), vocabulary="FEES")
    national_programmes = VocabularyListField(
        _("dispositifs et programmes nationaux"), vocabulary="NATIONAL_PROGRAMMES"
    )
    training_labels = VocabularyListField(_("formations et labels"), vocabulary="TRAINING_LABELS")
    other_training_labels = models.CharField(
        _("autres formations et labels"), max_length=500, blank=True
    )
    access_modes = VocabularyListField(_("modalités d'accès"), vocabulary="ACCESS_MODES")
    support_modes = VocabularyListField(_("modalités d'accompagnement"), vocabulary="SUPPORT_MODES")
    access_details = models.TextField(
        _("comment venir"),
        blank=True,
        help_text=_("Bus, parking, entrée, étage."),
    )
    acceslibre_url = models.URLField(
        _("fiche Acceslibre"),
        max_length=500,
        blank=True,
        help_text=_("L'adresse de la fiche du lieu sur acceslibre.beta.gouv.fr."),
    )
    booking_url = models.URLField(
        _("prise de rendez-vous en ligne"),
        max_length=500,
        blank=True,
        help_text=_("L'adresse d'un service de rendez-vous en ligne, s'il y en a un."),
    )
    takes_appointments = models.BooleanField(
        _("prend des rendez-vous"),
        default=False,
        help_text=_("Une personne peut demander un rendez-vous en ligne depuis la page du lieu."),
    )
    phone = models.CharField(
        _("téléphone"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
    )
    emails = EmailListField(
        _("courriels"),
        help_text=_("Une adresse par ligne ; la première reçoit les réponses aux messages."),
    )
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
    def phone_label(self) -> str:
        """The phone as people read it (« 02 51 00 00 01 »); as stored if it does not parse."""
        e164 = phone_e164_or_empty(self.phone)
        return phone_display(e164) if e164 else self.phone

    @property
    def email(self) -> str:
        """The first address: the one messages about this venue answer to."""
        return self.emails[0] if self.emails else ""

    @email.setter
    def email(self, value: str) -> None:
        # `Venue(email=…)` as before the standard: that address first, the others kept.
        others = [e for e in (self.emails or []) if e != value]
        self.emails = [value, *others] if value else others

    @property
    def service_list(self) -> list[str]:
        """The national services, then the others, as people read them."""
        others = [line.strip() for line in self.other_services.splitlines() if line.strip()]
        return [*self.services, *others]
