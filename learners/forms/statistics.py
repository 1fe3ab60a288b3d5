"""The filters of the statistics dashboard, read from the query string (a GET form, so a
filtered dashboard is a URL one can bookmark or send).

Parameters: `du`, `au` (dates, "2024-03-25" or "25/03/2024"; default: the current calendar
year), `structure`, `conseiller`, `lieu` (ids), `commune` (commune of residence: INSEE
code, postal code or name), `type` (session kind code), `thematique` (theme id).

Choices are limited to the user's scope (a structure manager: their structure's
counsellors and venues; a counsellor: no structure or counsellor filter). The selector
applies the scope again, so a forged id never widens what is counted.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import fold
from learners.choices import SessionKind
from learners.models import Commune, Counsellor, Structure, Venue
from learners.selectors.statistics import MAX_PERIOD_DAYS, StatisticsFilters, StatisticsScope
from learners.selectors.statistics_choices import (
    statistics_counsellor_choices,
    statistics_structure_choices,
    statistics_venue_choices,
)
from workshops.models import Theme

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"]
# Longer lists of counsellors or venues are not rendered until a structure is chosen.
MAX_OPTIONS = 300


def _choice_errors(what: str) -> dict:
    return {
        "invalid_choice": _(
            "Ce choix de %(what)s n'existe pas ou n'est pas dans votre périmètre. "
            "Choisissez dans la liste."
        )
        % {"what": what}
    }


class _DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.user.get_full_name() or obj.user.get_username()
        return f"{name} ({obj.structure.name})"


class VenueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.commune.name})"


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


class StatisticsFilterForm(forms.Form):
    du = forms.DateField(
        label=_("Du"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_DateInput(),
        error_messages={"invalid": _("Date de début invalide : écrivez-la comme 25/03/2024.")},
    )
    au = forms.DateField(
        label=_("Au"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=_DateInput(),
        error_messages={"invalid": _("Date de fin invalide : écrivez-la comme 31/12/2024.")},
    )
    structure = forms.ModelChoiceField(
        label=_("Structure"),
        queryset=Structure.objects.none(),
        required=False,
        empty_label=_("Toutes les structures"),
        error_messages=_choice_errors(_("structure")),
    )
    conseiller = CounsellorChoiceField(
        label=_("Conseiller ou conseillère"),
        queryset=Counsellor.objects.none(),
        required=False,
        empty_label=_("Tous"),
        error_messages=_choice_errors(_("conseiller")),
    )
    lieu = VenueChoiceField(
        label=_("Lieu"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("Tous les lieux"),
        error_messages=_choice_errors(_("lieu")),
    )
    commune = forms.CharField(
        label=_("Commune de résidence"),
        required=False,
        max_length=100,
        help_text=_("Nom, code postal ou code INSEE."),
    )
    type = forms.ChoiceField(
        label=_("Type de séance"),
        required=False,
        choices=[("", _("Tous les types")), *SessionKind.choices],
        error_messages={"invalid_choice": _("Ce type de séance n'existe pas.")},
    )
    thematique = ThemeChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.select_related("parent").order_by(
            "parent__sort_order", "sort_order", "name"
        ),
        required=False,
        empty_label=_("Toutes les thématiques"),
        error_messages=_choice_errors(_("thématique")),
    )

    def __init__(self, data=None, *, scope: StatisticsScope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.commune_obj: Commune | None = None
        structures = statistics_structure_choices(scope=scope)
        if structures is None:
            del self.fields["structure"]
        else:
            self.fields["structure"].queryset = structures
        counsellors = statistics_counsellor_choices(scope=scope)
        if counsellors is None:
            del self.fields["conseiller"]
        else:
            self.fields["conseiller"].queryset = counsellors
        self.fields["lieu"].queryset = statistics_venue_choices(scope=scope)
        self._narrow_long_lists()

    def _narrow_long_lists(self) -> None:
        """At national scale, list counsellors and venues only once a structure is chosen
        (validation still accepts any id of the scope, e.g. from a shared URL)."""
        structure_id = self._raw("structure") if "structure" in self.fields else ""
        self.narrow_hint = ""
        for name in ("conseiller", "lieu"):
            if name not in self.fields:
                continue
            field = self.fields[name]
            queryset = field.queryset
            if structure_id.isdigit():
                queryset = queryset.filter(structure_id=int(structure_id))
            selected = self._raw(name)
            shown = list(queryset[: MAX_OPTIONS + 1])
            if len(shown) > MAX_OPTIONS:
                shown = []
                self.narrow_hint = _(
                    "Choisissez d'abord une structure pour lister ses conseillers et ses lieux."
                )
                field.help_text = self.narrow_hint
            if selected.isdigit() and int(selected) not in {o.pk for o in shown}:
                extra = field.queryset.filter(pk=int(selected)).first()
                if extra is not None:
                    shown.insert(0, extra)
            field.choices = [("", field.empty_label)] + [
                (o.pk, field.label_from_instance(o)) for o in shown
            ]

    def _raw(self, name: str) -> str:
        if not self.is_bound:
            return ""
        return str(self.data.get(self.add_prefix(name)) or "").strip()

    def clean_commune(self) -> str:
        text = (self.cleaned_data.get("commune") or "").strip()
        if not text:
            return ""
        compact = text.replace(" ", "").upper()
        if len(compact) == 5 and compact.isalnum():
            by_code = Commune.objects.filter(insee_code=compact).first()
            if by_code is not None:
                self.commune_obj = by_code
                return by_code.insee_code
        if compact.isdigit():
            matches = list(
                Commune.objects.filter(
                    Q(postal_codes__startswith=compact) | Q(postal_codes__contains=" " + compact)
                )[:11]
            )
        else:
            matches = list(Commune.objects.filter(normalized_name=fold(text))[:11])
        if len(matches) == 1:
            self.commune_obj = matches[0]
            return matches[0].insee_code
        if not matches:
            raise forms.ValidationError(
                _(
                    "Aucune commune ne correspond à « %(text)s ». Indiquez le nom exact, le "
                    "code postal ou le code INSEE."
                ),
                params={"text": text},
            )
        names = ", ".join(f"{c.name} ({c.insee_code})" for c in matches[:10])
        raise forms.ValidationError(
            _(
                "Plusieurs communes correspondent à « %(text)s » : %(names)s. Indiquez le "
                "code INSEE."
            ),
            params={"text": text, "names": names},
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if "du" in self.errors or "au" in self.errors:
            return cleaned
        today = timezone.localdate()
        if start is None and end is None:
            start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        elif start is None:
            start = datetime.date(end.year, 1, 1)
        elif end is None:
            end = datetime.date(start.year, 12, 31)
        if end < start:
            self.add_error("au", _("La date de fin doit être après la date de début."))
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("au", _("La période ne peut pas dépasser 10 ans."))
        cleaned["du"], cleaned["au"] = start, end
        return cleaned

    def filters(self) -> StatisticsFilters:
        """The filters, once `is_valid()`."""
        c = self.cleaned_data
        structure = c.get("structure")
        counsellor = c.get("conseiller")
        venue = c.get("lieu")
        theme = c.get("thematique")
        return StatisticsFilters(
            start=c["du"],
            end=c["au"],
            structure_id=structure.pk if structure else None,
            counsellor_id=counsellor.pk if counsellor else None,
            venue_id=venue.pk if venue else None,
            commune_code=c.get("commune") or None,
            kind=c.get("type") or None,
            theme_id=theme.pk if theme else None,
        )

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use besides the period, for the page and the
        exports' heading."""
        if not self.is_bound or self.errors:
            return []
        out = []
        for name in ("structure", "conseiller", "lieu", "type", "thematique"):
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            else:
                text = str(dict(field.choices).get(value, value))
            out.append((str(field.label), text))
        if self.commune_obj is not None:
            out.append(
                (
                    str(self.fields["commune"].label),
                    f"{self.commune_obj.name} ({self.commune_obj.insee_code})",
                )
            )
        return out
