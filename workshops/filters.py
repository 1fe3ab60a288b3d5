"""The filter forms of the public index pages: plain GET forms, so a filtered list is a
shareable URL and works without JavaScript (`?thematique=e-mail&public=seniors&page=2`).

The forms only validate and translate GET parameters; the listing itself is a selector
(`workshops.selectors.guide_list`, `atelier_list`). An unknown value never breaks the page:
the field shows a French error and is ignored.

The choices (themes, audiences, competences: small reference lists read on every index
page) are kept per process and publication version (`caching.memo.memoize`), so
rendering and validating the form runs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from caching import memo
from workshops.choices import WorkshopLevel
from workshops.models import Audience, Competence, Theme

INVALID_CHOICE = _("Ce choix n'existe pas (ou plus) : choisissez dans la liste.")


@dataclass(frozen=True)
class ReferenceLists:
    """Each list as (value, label) choices and a value → object mapping."""

    themes: list[tuple[str, str]]
    audiences: list[tuple[str, str]]
    competences: list[tuple[str, str]]
    objects: dict[str, dict[str, object]]


def reference_lists() -> ReferenceLists:
    def compute() -> ReferenceLists:
        themes = list(Theme.objects.select_related("parent"))
        audiences = list(Audience.objects.all())
        competences = list(Competence.objects.select_related("framework"))
        return ReferenceLists(
            themes=[(t.slug, str(t)) for t in themes],
            audiences=[(a.slug, a.name) for a in audiences],
            competences=[(str(c.pk), f"{c.code} {c.name}") for c in competences],
            objects={
                "thematique": {t.slug: t for t in themes},
                "public": {a.slug: a for a in audiences},
                "competence": {str(c.pk): c for c in competences},
            },
        )

    return memo.memoize("workshops.filters.reference_lists", compute)


class _IndexFilterForm(forms.Form):
    """Fields shared by both index pages. Field names are the GET parameter names; the
    cleaned values of `thematique`, `public` and `competence` are model instances."""

    thematique = forms.ChoiceField(label=_("Thématique"), required=False)
    public = forms.ChoiceField(label=_("Public"), required=False)
    competence = forms.ChoiceField(label=_("Compétence"), required=False)

    EMPTY_LABELS = {
        "thematique": _("Toutes les thématiques"),
        "public": _("Tous les publics"),
        "competence": _("Toutes les compétences"),
    }

    def __init__(self, data=None, **kwargs):
        # Only the filter parameters: `page` and anything else are ignored here.
        if data is not None:
            data = {name: data.get(name, "") for name in self.base_fields}
        super().__init__(data, **kwargs)
        self.references = reference_lists()
        lists = {
            "thematique": self.references.themes,
            "public": self.references.audiences,
            "competence": self.references.competences,
        }
        for name, choices in lists.items():
            self.fields[name].choices = [("", self.EMPTY_LABELS[name]), *choices]
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = INVALID_CHOICE
            field.widget.attrs["id"] = f"filtre-{name}"

    def _clean_reference(self, name: str):
        value = self.cleaned_data.get(name)
        return self.references.objects[name].get(value) if value else None

    def clean_thematique(self):
        return self._clean_reference("thematique")

    def clean_public(self):
        return self._clean_reference("public")

    def clean_competence(self):
        return self._clean_reference("competence")

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
    )
    field_order = ["thematique", "public", "niveau", "competence"]


class AtelierFilterForm(_IndexFilterForm):
    niveau = forms.ChoiceField(
        label=_("Niveau"),
        choices=[("", _("Tous les niveaux")), *WorkshopLevel.choices],
        required=False,
    )
    field_order = ["thematique", "public", "niveau", "competence"]
