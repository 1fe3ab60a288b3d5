"""Forms to cancel or move a session (`learners.services.session_changes`)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learners.forms import widgets
from learners.models import Session, Venue
from learners.services.session_changes import REASON_MAX_LENGTH


def _reason_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label=_("Raison, en mots simples"),
        max_length=REASON_MAX_LENGTH,
        widget=widgets.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={
            "required": _("Indiquez la raison : elle est envoyée aux personnes inscrites.")
        },
    )


class SessionCancelForm(forms.Form):
    reason = _reason_field(
        _(
            "Envoyée telle quelle aux personnes inscrites et affichée sur la page publique "
            "de la séance et dans les agendas en ligne : n'y mettez rien de personnel. "
            "Par exemple : « la salle n'est pas disponible »."
        )
    )


class SessionMoveForm(forms.Form):
    date = forms.DateField(
        label=_("Nouvelle date"),
        widget=widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Nouvelle heure de début"),
        widget=widgets.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    venue = forms.ModelChoiceField(
        label=_("Lieu"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("— Le même lieu —"),
        widget=widgets.Select,
        error_messages={"invalid_choice": _("Choisissez un lieu de la liste.")},
    )
    reason = _reason_field(
        _("Envoyée aux personnes inscrites. Par exemple : « la salle est en travaux ».")
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(
            structure_id=session.structure_id, is_active=True
        ).order_by("name")
        start = timezone.localtime(session.start)
        self.initial.setdefault("date", start.date())
        self.initial.setdefault("time", start.time().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["start"] = timezone.make_aware(
                datetime.datetime.combine(cleaned["date"], cleaned["time"])
            )
        return cleaned
