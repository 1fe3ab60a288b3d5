"""The cycle form: a session form (what, where, for whom, agenda) plus the rhythm
(every week / every two weeks, N sessions, or a list of dates) and how people sign up."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learners.forms import widgets
from learners.forms.sessions import SessionForm
from learners.models import SignupScope
from learners.services.series import SERIES_MAX_SESSIONS, SERIES_MIN_SESSIONS

RHYTHM_WEEKLY = "1"
RHYTHM_FORTNIGHTLY = "2"
RHYTHM_DATES = "dates"
DATE_PATTERN = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")
ISO_PATTERN = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_french_date(text: str) -> datetime.date | None:
    """« 12/03/2027 », « 12.03.27 » or « 2027-03-12 »; None when it is not a date."""
    match = DATE_PATTERN.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year + 2000 if year < 100 else year, month, day)
        match = ISO_PATTERN.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


class SeriesForm(SessionForm):
    """`date` is the first session's day (with `time` and the rhythm), unless the dates
    are listed one per line."""

    series_title = forms.CharField(
        label=_("Intitulé du cycle"),
        max_length=200,
        required=False,
        widget=widgets.TextInput,
        help_text=_("Facultatif : par défaut, le titre de l'atelier ou l'intitulé ci-dessus."),
    )
    rhythm = forms.ChoiceField(
        label=_("Rythme"),
        choices=[
            (RHYTHM_WEEKLY, _("Chaque semaine")),
            (RHYTHM_FORTNIGHTLY, _("Toutes les deux semaines")),
            (RHYTHM_DATES, _("Des dates choisies")),
        ],
        initial=RHYTHM_WEEKLY,
        widget=widgets.RadioSelect,
    )
    count = forms.IntegerField(
        label=_("Nombre de séances"),
        required=False,
        min_value=SERIES_MIN_SESSIONS,
        max_value=SERIES_MAX_SESSIONS,
        initial=6,
        widget=widgets.NumberInput(attrs={"inputmode": "numeric"}),
    )
    dates = forms.CharField(
        label=_("Dates choisies, une par ligne"),
        required=False,
        widget=widgets.Textarea(attrs={"rows": 4}),
        help_text=_("Par exemple : 12/03/2027. L'heure est celle indiquée plus haut."),
    )
    signup_scope = forms.ChoiceField(
        label=_("Inscription"),
        choices=SignupScope.choices,
        initial=SignupScope.WHOLE_CYCLE,
        widget=widgets.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Date de la première séance")
        self.fields["date"].required = False

    def clean(self):
        cleaned = super().clean()
        rhythm = cleaned.get("rhythm")
        if rhythm == RHYTHM_DATES:
            cleaned["days"] = self._listed_days(cleaned.get("dates") or "")
        elif rhythm:
            if not cleaned.get("date") and "date" not in self.errors:
                self.add_error("date", _("Indiquez la date de la première séance."))
            if cleaned.get("count") is None and "count" not in self.errors:
                self.add_error("count", _("Indiquez le nombre de séances."))
        return cleaned

    def _listed_days(self, text: str) -> list[datetime.date]:
        days = []
        for line in filter(None, (line.strip() for line in text.splitlines())):
            day = parse_french_date(line)
            if day is None:
                self.add_error(
                    "dates",
                    _("« %(line)s » n'est pas une date : écrivez-la comme 12/03/2027.")
                    % {"line": line[:30]},
                )
                return []
            days.append(day)
        if len(days) < SERIES_MIN_SESSIONS:
            self.add_error("dates", _("Indiquez au moins deux dates, une par ligne."))
        return days

    def starts(self) -> list[datetime.datetime] | None:
        """The listed dates at the chosen time, or None for a rhythm (the service counts)."""
        data = self.cleaned_data
        if data["rhythm"] != RHYTHM_DATES:
            return None
        return [
            timezone.make_aware(datetime.datetime.combine(day, data["time"]))
            for day in data["days"]
        ]

    def session_values(self) -> dict:
        kwargs = self.service_kwargs()
        for name in ("start", "counsellors"):
            kwargs.pop(name, None)
        return kwargs
