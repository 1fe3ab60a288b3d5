"""The agenda's search form: a plain GET form (a search is a shareable URL and works
without JavaScript). It only validates and translates the parameters; the search itself
is `agenda.selectors.agenda_search`. A wrong value never breaks the page: its field shows a
French message and is ignored.

Parameters: `commune` (name or postal code as typed), `code_insee` (the commune chosen
when several match), `distance` (5, 10, 20, 50 km), `type`, `thematique`, `niveau`,
`public`, `quand` (`semaine`, `mois`, `a-partir-du` with `date`), `page`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.selectors import DEFAULT_RADIUS_KM, RADII_KM, AgendaFilters
from learners.choices import SessionKind
from learners.forms import widgets
from workshops.choices import WorkshopLevel
from workshops.filters import INVALID_CHOICE, reference_lists

WHEN_ANY, WHEN_WEEK, WHEN_MONTH, WHEN_FROM = "", "semaine", "mois", "a-partir-du"


class DateInput(widgets.DateInput):
    input_type = "date"


class AgendaSearchForm(forms.Form):
    commune = forms.CharField(
        label=_("Votre commune ou son code postal"),
        required=False,
        max_length=100,
        widget=widgets.TextInput,
        help_text=_("Par exemple : « La Roche-sur-Yon », « la roche sur yon » ou « 85000 »."),
    )
    distance = forms.TypedChoiceField(
        label=_("Jusqu'à quelle distance ?"),
        choices=[(str(km), _("%(km)s km") % {"km": km}) for km in RADII_KM],
        coerce=int,
        widget=widgets.Select,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )
    type = forms.ChoiceField(
        widget=widgets.Select,
        label=_("Type de rendez-vous"),
        choices=[
            ("", _("Tous les types")),
            (SessionKind.WORKSHOP, _("Ateliers")),
            (SessionKind.DISCUSSION, _("Temps d'échange")),
            (SessionKind.DROP_IN, _("Permanences")),
        ],
        required=False,
    )
    thematique = forms.ChoiceField(label=_("Thématique"), required=False, widget=widgets.Select)
    niveau = forms.ChoiceField(
        widget=widgets.Select,
        label=_("Niveau"),
        choices=[("", _("Tous les niveaux")), *WorkshopLevel.choices],
        required=False,
    )
    public = forms.ChoiceField(label=_("Public"), required=False, widget=widgets.Select)
    quand = forms.ChoiceField(
        widget=widgets.Select,
        label=_("Quand ?"),
        choices=[
            (WHEN_ANY, _("Toutes les dates")),
            (WHEN_WEEK, _("Cette semaine")),
            (WHEN_MONTH, _("Ce mois-ci")),
            (WHEN_FROM, _("À partir d'une date")),
        ],
        required=False,
    )
    date = forms.DateField(
        label=_("À partir du (jour/mois/année)"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": _("Cette date n'est pas reconnue : écrivez-la comme 25/03/2026.")
        },
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {name: data.get(name, "") for name in self.base_fields}
            data["distance"] = data["distance"] or str(DEFAULT_RADIUS_KM)
        kwargs.setdefault("initial", {"distance": DEFAULT_RADIUS_KM})
        super().__init__(data, **kwargs)
        self.references = reference_lists()
        self.fields["thematique"].choices = [
            ("", _("Toutes les thématiques")),
            *self.references.themes,
        ]
        self.fields["public"].choices = [("", _("Tous les publics")), *self.references.audiences]
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = INVALID_CHOICE
            field.widget.attrs["id"] = f"agenda-{name}"
        self.fields["commune"].widget.attrs.update(
            {"autocomplete": "address-level2", "aria-describedby": "agenda-commune-aide"}
        )
        self.fields["date"].error_messages["invalid"] = _(
            "Cette date n'est pas reconnue : écrivez-la comme 25/03/2026."
        )

    def clean_thematique(self):
        value = self.cleaned_data.get("thematique")
        return self.references.objects["thematique"].get(value) if value else None

    def clean_public(self):
        value = self.cleaned_data.get("public")
        return self.references.objects["public"].get(value) if value else None

    def valid_values(self) -> dict:
        """The valid values (an invalid field is dropped: its error is shown)."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"agenda-{name}-erreur"}
                    )
        return {name: v for name, v in self.cleaned_data.items() if name not in self.errors}

    def radius_km(self) -> int:
        return self.valid_values().get("distance") or DEFAULT_RADIUS_KM

    def agenda_filters(self, *, now: datetime.datetime | None = None) -> AgendaFilters:
        values = self.valid_values()
        start_from, start_before = _period(
            values.get("quand") or WHEN_ANY, values.get("date"), now or timezone.now()
        )
        theme, audience = values.get("thematique"), values.get("public")
        return AgendaFilters(
            kinds=(values["type"],) if values.get("type") else AgendaFilters.kinds,
            theme_id=theme.pk if theme else None,
            level=values.get("niveau") or "",
            audience_id=audience.pk if audience else None,
            start_from=start_from,
            start_before=start_before,
        )

    @property
    def narrowed(self) -> bool:
        """Whether a filter other than the commune and distance is set."""
        values = self.valid_values()
        names = ("type", "thematique", "niveau", "public", "quand", "date")
        return any(values.get(name) for name in names)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _period(
    when: str, day: datetime.date | None, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(from, before) of « cette semaine » (until Sunday night), « ce mois-ci » (until the
    end of the month) or « à partir du » a date."""
    today = timezone.localdate(now)
    if when == WHEN_WEEK:
        return None, _midnight(today + datetime.timedelta(days=7 - today.weekday()))
    if when == WHEN_MONTH:
        first_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return None, _midnight(first_next)
    if when == WHEN_FROM and day is not None:
        return _midnight(day), None
    return None, None
