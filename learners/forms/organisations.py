"""Forms of the organisation screens (coordinators): structures, venues, counsellors.

Communes are typed, never picked in a 35,000-line list: one commune through the
`commune_q` / `commune` pair of `CommuneFieldsMixin`, several (the communes a counsellor
serves) as lines of `CommuneListField`. The writes are the services'."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.contacts import phone_display, phone_normalize
from learners.forms.people_quick import CommuneFieldsMixin
from learners.models import Commune, Counsellor, Structure, Venue
from learners.selectors.communes import commune_label, communes_search

_LABELLED = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9AB]{2,5})\)\s*$")
_INSEE = re.compile(r"^(\d[0-9AB]\d{3})$")


def commune_resolve(text: str) -> tuple[Commune | None, str]:
    """The commune meant by one typed item ("Landeronde", "Landeronde (85150)", "85150",
    "85191" as an INSEE code), or None and a French explanation."""
    text = text.strip()
    labelled = _LABELLED.match(text)
    name, code = (labelled["name"], labelled["code"]) if labelled else (text, "")
    if not labelled and _INSEE.match(text.upper()):
        commune = Commune.objects.filter(pk=text.upper()).first()
        if commune is not None:
            return commune, ""
    matches = communes_search(query=name, limit=20)
    if code:
        matches = [c for c in matches if code in c.postal_code_list or c.insee_code == code]
    exact = [c for c in matches if fold(c.name) == fold(name) or name in c.postal_code_list]
    if len(matches) == 1:
        return matches[0], ""
    if len(exact) == 1:
        return exact[0], ""
    if not matches:
        return None, str(_("« %(text)s » : aucune commune trouvée.") % {"text": text})
    options = ", ".join(commune_label(c) for c in (exact or matches)[:5])
    return None, str(
        _("« %(text)s » : plusieurs communes possibles (%(options)s) ; précisez le code postal.")
        % {"text": text, "options": options}
    )


class CommuneListField(forms.CharField):
    """Several communes, one per line (or separated by ";"), typed as names, postal
    codes or INSEE codes, "Nom (code postal)" to remove an ambiguity."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return "\n".join(commune_label(c) for c in items)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        communes, errors = [], []
        for item in re.split(r"[\n;]+", text):
            if not item.strip():
                continue
            commune, error = commune_resolve(item)
            if commune is None:
                errors.append(error)
            elif commune not in communes:
                communes.append(commune)
        if errors:
            raise forms.ValidationError(errors)
        return communes


class StructureForm(CommuneFieldsMixin, forms.ModelForm):
    class Meta:
        model = Structure
        fields = ["name", "kind", "siret", "attestation_basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.commune_id and not self.is_bound:
            self.initial.setdefault("commune_q", self.instance.commune.name)
            self.initial.setdefault("commune", self.instance.commune)
        self._setup_commune()
        self.fields["commune_q"].label = _("Commune du siège")
        self.fields["siret"].help_text = _("14 chiffres, facultatif.")
        # A form posted without it (older pages, scripts) keeps the structure's setting.
        self.fields["attestation_basis"].required = False

    def clean(self):
        cleaned = super().clean()
        self._clean_commune_from_query(cleaned)
        return cleaned

    def service_data(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "kind": self.cleaned_data["kind"],
            "siret": self.cleaned_data.get("siret") or "",
            "commune": self.cleaned_data.get("commune"),
        } | (
            {"attestation_basis": self.cleaned_data["attestation_basis"]}
            if self.cleaned_data.get("attestation_basis")
            else {}
        )


# The venue form's panels, in plain French: (title, field names). Every field of the
# national standard « Lieux de médiation numérique » is in one of them.
VENUE_PANELS = (
    (
        _("Le lieu"),
        ["structure", "name", "typology", "pivot", "parent_organisation", "mobility"],
    ),
    (
        _("Adresse et horaires"),
        [
            "address",
            "address_complement",
            "postal_code",
            "commune_q",
            "commune",
            "latitude",
            "longitude",
            "opening_hours",
            "access_details",
        ],
    ),
    (
        _("Ce que le lieu propose"),
        ["summary", "description", "services", "other_services", "support_modes", "fees"],
    ),
    (
        _("Les publics accueillis"),
        ["audiences", "publics", "specific_support", "accessibility", "acceslibre_url"],
    ),
    (
        _("Contact et rendez-vous"),
        ["access_modes", "phone", "emails", "website", "takes_appointments", "booking_url"],
    ),
    (
        _("Dispositifs, formations et labels"),
        ["national_programmes", "training_labels", "other_training_labels"],
    ),
    (_("Suivi"), ["external_id", "is_active"]),
)
NOT_MODEL_FIELDS = {"structure", "commune_q", "commune"}
VENUE_FORM_FIELDS = [
    name for _title, names in VENUE_PANELS for name in names if name not in NOT_MODEL_FIELDS
]


class VenueForm(CommuneFieldsMixin, forms.ModelForm):
    """A venue with every field of the national standard, in panels (`VENUE_PANELS`); the
    lists of the standard as checkboxes. The structure is chosen on creation only."""

    commune_required = True
    website = forms.URLField(
        label=Venue._meta.get_field("website").verbose_name.capitalize(),
        required=False,
        assume_scheme="https",
    )
    acceslibre_url = forms.URLField(
        label=Venue._meta.get_field("acceslibre_url").verbose_name.capitalize(),
        help_text=Venue._meta.get_field("acceslibre_url").help_text,
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    booking_url = forms.URLField(
        label=Venue._meta.get_field("booking_url").verbose_name.capitalize(),
        help_text=Venue._meta.get_field("booking_url").help_text,
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = Venue
        fields = ["structure", *VENUE_FORM_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "other_services": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "access_details": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "typology": _("La nature du lieu, dans la liste nationale (data·inclusion)."),
            "services": _("Ce qu'une personne peut y faire, dans la liste nationale."),
            "support_modes": _("Comment les personnes sont accompagnées."),
            "fees": _("« Gratuit sous condition » : par exemple sur présentation d'un pass."),
            "audiences": _("Les publics pour qui l'accueil est pensé, s'il y en a."),
            "specific_support": _(
                "Les besoins particuliers que l'équipe sait accompagner (surdité, illettrisme…)."
            ),
            "access_modes": _("Ce qu'une personne doit faire pour être reçue."),
            "national_programmes": _("Les dispositifs nationaux présents dans le lieu."),
            "training_labels": _("Les formations suivies et les labels obtenus par le lieu."),
            "other_training_labels": _("Ceux que la liste nationale ne nomme pas."),
            "phone": _("Le numéro d'accueil du lieu, par exemple 02 51 00 00 01."),
            "external_id": _(
                "L'identifiant du lieu dans un fichier national, s'il vient d'un import ; "
                "sinon, les fichiers ouverts donnent « pasapas-lieu- » suivi du numéro du lieu."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["structure"]
            if not self.is_bound and self.instance.commune_id:
                self.initial.setdefault("commune_q", self.instance.commune.name)
                self.initial.setdefault("commune", self.instance.commune)
            if not self.is_bound and self.instance.phone:
                self.initial["phone"] = phone_display(self.instance.phone)
        else:
            self.fields["structure"].queryset = Structure.objects.order_by("name")
        self._setup_commune()
        self.fields["commune_q"].label = _("Commune du lieu")
        self.fields["latitude"].help_text = _("Laissez vide : le centre de la commune est pris.")
        self.fields["opening_hours"].help_text = _(
            "Format national (OpenStreetMap), par exemple « Tu 09:00-12:00; Th 14:00-17:30 » "
            "pour le mardi de 9 h à 12 h et le jeudi de 14 h à 17 h 30."
        )
        self.order_fields([name for _title, names in VENUE_PANELS for name in names])

    def field_groups(self) -> list[tuple[str, list]]:
        """[(panel title, [bound fields])] for the template, every visible field once."""
        groups, placed = [], set()
        for title, names in VENUE_PANELS:
            bound = [self[name] for name in names if name in self.fields]
            bound = [field for field in bound if not field.is_hidden]
            placed.update(field.name for field in bound)
            if bound:
                groups.append((title, bound))
        rest = [f for f in self.visible_fields() if f.name not in placed]
        if rest:
            groups.append((_("Autres informations"), rest))
        return groups

    def clean_phone(self) -> str:
        try:
            return phone_normalize(self.cleaned_data.get("phone", ""), mobile_only=False)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self):
        cleaned = super().clean()
        self._clean_commune_from_query(cleaned)
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in VENUE_FORM_FIELDS}
        for name, value in list(data.items()):
            if value is None and name not in {"latitude", "longitude"}:
                data[name] = ""
        data["commune"] = self.cleaned_data["commune"]
        return data


class CounsellorForm(forms.ModelForm):
    """A counsellor's account and profile. On creation: a login and, if wished, an initial
    password (otherwise the person chooses one through "Mot de passe oublié")."""

    username = forms.CharField(
        label=_("Identifiant de connexion"),
        max_length=150,
        help_text=_("Par exemple prenom.nom ; lettres, chiffres et . @ + - _ seulement."),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Courriel professionnel"), required=False)
    password = forms.CharField(
        label=_("Mot de passe initial"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Facultatif. Sans mot de passe, la personne choisit le sien avec « Mot de passe "
            "oublié » (il faut alors son courriel)."
        ),
    )
    communes_served = CommuneListField(
        label=_("Communes desservies"),
        required=False,
        help_text=_(
            "Une par ligne : nom, code postal ou code INSEE ; « Nom (code postal) » si "
            "plusieurs communes portent ce nom."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Compte actif"),
        required=False,
        initial=True,
        help_text=_(
            "Décochez quand la personne quitte le réseau : elle ne peut plus se connecter."
        ),
    )

    class Meta:
        model = Counsellor
        fields = ["structure", "is_structure_manager"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.order_by("name")
        if self.instance.pk:
            user = self.instance.user
            del self.fields["username"]
            del self.fields["password"]
            if not self.is_bound:
                self.initial.update(
                    first_name=user.first_name,
                    last_name=user.last_name,
                    email=user.email,
                    is_active=user.is_active,
                    communes_served=list(self.instance.communes.all()),
                )
        else:
            del self.fields["is_active"]
        self.order_fields(
            [
                "username",
                "first_name",
                "last_name",
                "email",
                "password",
                "structure",
                "communes_served",
                "is_structure_manager",
                "is_active",
            ]
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username

    def account_data(self) -> dict:
        data = {
            "first_name": self.cleaned_data["first_name"],
            "last_name": self.cleaned_data["last_name"],
            "email": self.cleaned_data.get("email") or "",
        }
        if "is_active" in self.fields:
            data["is_active"] = self.cleaned_data.get("is_active", False)
        return data
