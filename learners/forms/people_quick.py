"""The quick "nouvelle personne" form of the attendance sheet, and the commune field that
accepts a name or a postal code.

A commune is chosen with two inputs: `commune_q` (what the counsellor types, a name or a
postal code) and `commune` (the INSEE code, a select of the matches). Without JavaScript a
"Chercher" button reloads the form with the select filtered by `commune_q`; with it, the
admin script turns `commune_q` into an autocomplete over `learners_commune_lookup`. If only
`commune_q` is sent and it designates one commune (a unique match, or one exact name), that
commune is taken.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.models import Commune
from learners.models.people import BIRTH_YEAR_MIN
from learners.selectors.communes import commune_label, communes_search


class CommuneFieldsMixin:
    """Adds `commune_q` and `commune` to a form (call `_setup_commune()` in `__init__`)."""

    commune_required = False

    def _setup_commune(self) -> None:
        self.fields["commune_q"] = forms.CharField(
            label=_("Commune de résidence"),
            required=False,
            max_length=100,
            help_text=_("Tapez le nom ou le code postal, puis choisissez."),
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        )
        self.fields["commune"] = forms.ChoiceField(
            label=_("Commune choisie"), required=False, choices=[]
        )
        query = self._raw("commune_q")
        code = self._raw("commune")
        matches = communes_search(query=query) if query else []
        if code and code not in {c.insee_code for c in matches}:
            selected = Commune.objects.filter(pk=code).first()
            if selected is not None:
                matches.insert(0, selected)
        self.commune_matches = matches
        empty = _("— Choisir dans la liste —") if matches else _("— Tapez d'abord un nom —")
        self.fields["commune"].choices = [("", empty)] + [
            (c.insee_code, commune_label(c)) for c in matches
        ]

    def _raw(self, name: str) -> str:
        if self.is_bound:
            return (self.data.get(self.add_prefix(name)) or "").strip()
        value = self.initial.get(name)
        if isinstance(value, Commune):
            return value.insee_code
        return str(value or "").strip()

    def clean_commune(self) -> Commune | None:
        code = self.cleaned_data.get("commune")
        if not code:
            return None
        commune = Commune.objects.filter(pk=code).first()
        if commune is None:
            raise forms.ValidationError(
                _("Cette commune est inconnue : choisissez-la dans la liste.")
            )
        return commune

    def _clean_commune_from_query(self, cleaned: dict) -> None:
        if cleaned.get("commune") is not None or "commune" in self.errors:
            return
        query = (cleaned.get("commune_q") or "").strip()
        if not query:
            if self.commune_required:
                self.add_error("commune_q", _("Indiquez la commune."))
            return
        matches = self.commune_matches
        exact = [c for c in matches if fold(c.name) == fold(query) or query in c.postal_code_list]
        if len(matches) == 1:
            cleaned["commune"] = matches[0]
        elif len(exact) == 1:
            cleaned["commune"] = exact[0]
        elif matches:
            self.add_error(
                "commune",
                _("Plusieurs communes correspondent à « %(query)s » : choisissez dans la liste.")
                % {"query": query},
            )
        else:
            self.add_error(
                "commune_q",
                _(
                    "Aucune commune ne correspond à « %(query)s ». Vérifiez l'orthographe ou "
                    "tapez le code postal."
                )
                % {"query": query},
            )


class QuickLearnerForm(CommuneFieldsMixin, forms.Form):
    """First name, optional last name, birth year and commune: enough to find a duplicate
    and to count the person in the national statistics."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        required=False,
        help_text=_("Facultatif."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        required=False,
        help_text=_(
            "Jamais la date complète. Laissez vide si la personne ne souhaite pas la donner."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    informed = forms.BooleanField(
        label=_("La personne a été informée de l'usage de ses données"),
        required=False,
        help_text=_("Mention d'information remise ou lue aujourd'hui."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_commune()
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(min=BIRTH_YEAR_MIN, max=year)
        self.order_fields(["first_name", "last_name", "birth_year", "commune_q", "commune"])

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not BIRTH_YEAR_MIN <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("Indiquez une année entre %(min)d et %(max)d.")
                % {"min": BIRTH_YEAR_MIN, "max": timezone.localdate().year}
            )
        return year

    def clean_first_name(self):
        value = self.cleaned_data["first_name"].strip()
        if not fold(value):
            raise forms.ValidationError(_("Indiquez un prénom."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._clean_commune_from_query(cleaned)
        return cleaned
