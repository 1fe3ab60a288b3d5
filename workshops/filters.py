"""The filter forms of the public index pages: plain GET forms, so a filtered list is a
shareable URL and works without JavaScript (`?thematique=e-mail&public=seniors&page=2`).

The forms only validate and translate GET parameters; the listing itself is a selector
(`workshops.selectors.guide_list`, `atelier_list`). An unknown value never breaks the page:
the field shows a French error and is ignored.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.choices import WorkshopLevel
from workshops.models import Audience, Competence, Theme

INVALID_CHOICE = _("Ce choix n'existe pas (ou plus) : choisissez dans la liste.")


class CompetenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Competence) -> str:
        return f"{obj.code} {obj.name}"


class _IndexFilterForm(forms.Form):
    """Fields shared by both index pages. Field names are the GET parameter names."""

    thematique = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.select_related("parent"),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les thématiques"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    public = forms.ModelChoiceField(
        label=_("Public"),
        queryset=Audience.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les publics"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    competence = CompetenceChoiceField(
        label=_("Compétence"),
        queryset=Competence.objects.select_related("framework"),
        required=False,
        empty_label=_("Toutes les compétences"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, data=None, **kwargs):
        # Only the filter parameters: `page` and anything else are ignored here.
        if data is not None:
            data = {name: data.get(name, "") for name in self.base_fields}
        super().__init__(data, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"filtre-{name}"

    def filters(self) -> dict:
        """The valid, non-empty filters (invalid ones are dropped, their error is shown)."""
        if not self.is_bound:
            return {}
        if self.is_valid() is False:
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"filtre-{name}-erreur"}
                    )
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }

    @property
    def active(self) -> bool:
        return bool(self.filters())


class GuideFilterForm(_IndexFilterForm):
    niveau = forms.ChoiceField(
        label=_("Difficulté"),
        choices=[("", _("Toutes les difficultés")), *WorkshopLevel.choices],
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    field_order = ["thematique", "public", "niveau", "competence"]


class AtelierFilterForm(_IndexFilterForm):
    niveau = forms.ChoiceField(
        label=_("Niveau"),
        choices=[("", _("Tous les niveaux")), *WorkshopLevel.choices],
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    field_order = ["thematique", "public", "niveau", "competence"]
