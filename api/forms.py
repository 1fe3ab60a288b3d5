"""The form a coordinator fills in to create an API key."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiClient
from api.scopes import Scope
from learners.models import Structure

MAX_RATE = 6000  # a call every 10 ms: beyond, a client should ask for a file instead


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du client"),
        max_length=120,
        help_text=_("Qui lit avec cette clé, par exemple « Entrepôt de données du département »."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Droits"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les agendas, lieux, fiches et ateliers se lisent sans clé."),
    )
    structure = forms.ModelChoiceField(
        label=_("Structure"),
        queryset=Structure.objects.order_by("name"),
        required=False,
        empty_label=_("Tout le réseau"),
        help_text=_("Liée à une structure, la clé ne lit que les données de cette structure."),
    )
    expires_on = forms.DateField(
        label=_("Expire le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Vide : pas d'expiration. La clé cesse de fonctionner au début de ce jour (0 h)."
        ),
    )
    requests_per_minute = forms.IntegerField(
        label=_("Appels par minute"), min_value=1, max_value=MAX_RATE, initial=120
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ApiClient.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("Un client porte déjà ce nom."))
        return name

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date après aujourd'hui."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
