"""Forms of the admin screens on people: the person's record (create and edit), the
merge confirmation and the audit log filters. Forms validate input and speak French;
the writes are the services' (`learner_create`, `learner_update`, `learner_merge`).

Only the fields the privacy section of PRODUCT.md allows: first name, optional last name,
birth year (never a date), commune, gender and social status (each may stay "non
communiqué"), phone and e-mail only with the person's recorded consent, the legal basis
and the date the person was informed, and the model's short "remarques" field.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.choices import Gender, LegalBasis, SocialStatus
from learners.forms.people_quick import CommuneFieldsMixin
from learners.models import Learner, Structure
from learners.models.people import BIRTH_YEAR_MIN

NOTES_MAX = 500
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(CommuneFieldsMixin, forms.Form):
    """A person's record. `structure` is asked only when a coordinator creates a record
    (a counsellor's records belong to their structure)."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        required=False,
        help_text=_("Facultatif, mais il aide à ne pas créer la même personne deux fois."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        required=False,
        help_text=_("Jamais la date complète : l'année suffit pour la tranche d'âge."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("Genre"), choices=Gender.choices, initial=Gender.UNKNOWN, required=False
    )
    social_status = forms.ChoiceField(
        label=_("Statut"),
        choices=SocialStatus.choices,
        initial=SocialStatus.UNKNOWN,
        required=False,
    )
    legal_basis = forms.ChoiceField(
        label=_("Base légale du traitement"),
        choices=LegalBasis.choices,
        initial=LegalBasis.PUBLIC_INTEREST,
    )
    information_given_at = forms.DateField(
        label=_("Personne informée le"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
        help_text=_("Date à laquelle la personne a reçu la mention d'information."),
    )
    contact_consent = forms.BooleanField(
        label=_("La personne accepte d'être contactée pour des rappels"),
        required=False,
        help_text=_(
            "Sans cet accord, ni téléphone ni courriel ne sont enregistrés. Le retirer "
            "efface les coordonnées."
        ),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    notes = forms.CharField(
        label=_("Remarques"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Learner._meta.get_field("notes").help_text,
    )

    IDENTITY_FIELDS = ("first_name", "last_name", "birth_year", "commune_q", "commune")
    # Held by the structure that recorded them (or given with the person's consent):
    # left out of the form for another structure (`learners.scoping.holds_record`).
    PRIVATE_FIELDS = ("contact_consent", "phone", "email", "notes")

    def __init__(self, *args, structures=None, private: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not private:
            for name in self.PRIVATE_FIELDS:
                del self.fields[name]
        self._setup_commune()
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(min=BIRTH_YEAR_MIN, max=year)
        if structures is not None:
            self.fields["structure"] = forms.ModelChoiceField(
                label=_("Structure qui accompagne la personne"),
                queryset=structures,
                empty_label=_("— Choisir —"),
            )
        self.order_fields(
            [
                *self.IDENTITY_FIELDS,
                "gender",
                "social_status",
                "structure",
                "legal_basis",
                "information_given_at",
                "contact_consent",
                "phone",
                "email",
                "notes",
            ]
        )

    @classmethod
    def initial_from(cls, learner: Learner) -> dict:
        return {
            "first_name": learner.first_name,
            "last_name": learner.last_name,
            "birth_year": learner.birth_year,
            "commune_q": learner.commune.name if learner.commune_id else "",
            "commune": learner.commune,
            "gender": learner.gender,
            "social_status": learner.social_status,
            "legal_basis": learner.legal_basis,
            "information_given_at": learner.information_given_at,
            "contact_consent": learner.contact_consent,
            "phone": learner.phone,
            "email": learner.email,
            "notes": learner.notes,
        }

    def clean_first_name(self):
        value = self.cleaned_data["first_name"].strip()
        if not fold(value):
            raise forms.ValidationError(_("Indiquez un prénom."))
        return value

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        current = timezone.localdate().year
        if year is not None and not BIRTH_YEAR_MIN <= year <= current:
            raise forms.ValidationError(
                _("Indiquez une année entre %(min)d et %(max)d.")
                % {"min": BIRTH_YEAR_MIN, "max": current}
            )
        return year

    def clean_information_given_at(self):
        day = self.cleaned_data.get("information_given_at")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Cette date est dans le futur."))
        return day

    def clean(self):
        cleaned = super().clean()
        self._clean_commune_from_query(cleaned)
        cleaned["gender"] = cleaned.get("gender") or Gender.UNKNOWN
        cleaned["social_status"] = cleaned.get("social_status") or SocialStatus.UNKNOWN
        if "contact_consent" in self.fields and not cleaned.get("contact_consent"):
            if cleaned.get("phone"):
                self.add_error(
                    "phone",
                    _("Un téléphone ne peut être enregistré qu'avec l'accord de la personne."),
                )
            if cleaned.get("email"):
                self.add_error(
                    "email",
                    _("Un courriel ne peut être enregistré qu'avec l'accord de la personne."),
                )
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values under the services' argument names."""
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "first_name",
                "last_name",
                "birth_year",
                "commune",
                "gender",
                "social_status",
                "legal_basis",
                "information_given_at",
                "contact_consent",
                "phone",
                "email",
                "notes",
            )
            if name in self.fields
        }
        for name in ("last_name", "phone", "email", "notes"):
            if name in data:
                data[name] = data[name] or ""
        return data

    def identity(self) -> dict:
        """What the match hints and `learner_attach_to_structure` compare."""
        return {
            "first_name": self.cleaned_data.get("first_name", ""),
            "last_name": self.cleaned_data.get("last_name", ""),
            "birth_year": self.cleaned_data.get("birth_year"),
            "commune": self.cleaned_data.get("commune"),
        }


def structures_choice():
    return Structure.objects.order_by("name")


class MergeConfirmForm(forms.Form):
    keep = forms.ChoiceField(
        label=_("Fiche à conserver"),
        widget=forms.RadioSelect,
        help_text=_(
            "L'autre fiche est supprimée après avoir tout transmis à celle-ci : séances, "
            "niveaux, carnet, structures. Les champs vides de la fiche conservée sont "
            "complétés par ceux de l'autre, sauf les coordonnées et remarques d'une fiche "
            "créée par une autre structure : elles restent à celle-ci. Chaque structure ne "
            "continue de voir que ce qu'elle a enregistré."
        ),
    )
    confirm = forms.BooleanField(
        label=_("J'ai vérifié qu'il s'agit de la même personne"),
        error_messages={"required": _("Cochez la case pour confirmer la fusion.")},
    )

    def __init__(self, *args, sides=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (str(side.learner.pk), _("Fiche %(number)d") % {"number": number})
            for number, side in enumerate(sides, start=1)
        ]


class AuditFilterForm(forms.Form):
    personne = forms.CharField(
        label=_("Personne"),
        required=False,
        max_length=100,
        help_text=_("Identifiant réseau, ou prénom, nom, année de naissance."),
    )
    utilisateur = forms.CharField(
        label=_("Utilisateur"),
        required=False,
        max_length=150,
        help_text=_("Tout ou partie de l'identifiant de connexion."),
    )
    du = forms.DateField(
        label=_("Du"), required=False, input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    au = forms.DateField(
        label=_("Au"), required=False, input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin est avant la date de début."))
        return cleaned
