"""Forms of the counsellor's session workflow: a session (create/edit) and its attendance
sheet. They only validate and shape input; the views call `learners.services`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.french_text import french_de
from learners.age_bands import AgeBand
from learners.choices import (
    COLLECTIVE_KINDS,
    DURATION_MAX_MINUTES,
    DURATION_PRESETS,
    AttendanceStatus,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
)
from learners.forms import widgets
from learners.models import Counsellor, Session, Structure
from learners.roles import counsellor_profile, is_coordinator
from learners.scoping import structures_choosable
from learners.selectors.session_choices import (
    session_atelier_choices,
    session_counsellor_choices,
    session_structure_chosen,
    session_venue_choices,
)
from learners.selectors.sessions import AttendanceSheet, SheetLine
from workshops.choices import WorkshopLevel
from workshops.models import AtelierPage, Audience, Competence, Theme

DURATION_OTHER = "autre"
VENUE_PREFIX = "lieu-"
ANONYMOUS_GENDERS = (Gender.FEMALE, Gender.MALE, Gender.UNKNOWN)
ANONYMOUS_GENDER_SHORT = {
    Gender.FEMALE: _("Fém."),
    Gender.MALE: _("Masc."),
    Gender.UNKNOWN: _("N. C."),
}


def _duration_label(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def anonymous_field_name(age_band: str, gender: str) -> str:
    return f"anon-{age_band}-{gender}"


def atelier_defaults(atelier: AtelierPage) -> dict:
    """What a session from this curriculum starts with (as `session_create` fills it)."""
    return {
        "kind": SessionKind.WORKSHOP,
        "title": atelier.title,
        "duration_minutes": atelier.duration_minutes,
        "level": atelier.level,
        "capacity": atelier.group_size_max,
        "themes": [t.pk for t in atelier.themes.all()],
        "competences": [c.pk for c in atelier.competences.all()],
    }


def _theme_choices() -> list:
    """Top themes, then each theme's sub-themes as a group."""
    themes = list(Theme.objects.select_related("parent").order_by("sort_order", "name"))
    top = [(t.pk, t.name) for t in themes if t.parent_id is None]
    groups: dict[str, list] = {}
    for t in themes:
        if t.parent_id is not None:
            groups.setdefault(t.parent.name, []).append((t.pk, t.name))
    return [
        (_("Thématiques"), top),
        *((_("%(theme)s : précisions") % {"theme": name}, items) for name, items in groups.items()),
    ]


def _competence_choices() -> list:
    """Competences grouped by framework."""
    by_framework: dict[str, list] = {}
    for c in Competence.objects.select_related("framework").order_by(
        "framework__name", "sort_order", "code"
    ):
        by_framework.setdefault(c.framework.name, []).append((c.pk, f"{c.code} {c.name}"))
    return list(by_framework.items())


def _anonymous_count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=999,
        widget=widgets.NumberInput(
            attrs={"inputmode": "numeric", "aria-label": label, "class": "pap-anon-input"}
        ),
    )


class SessionForm(forms.Form):
    """Create or edit a session. Built for a user and, when editing, for a session.

    Only one structure's active venues and counsellors are offered (and accepted): the
    session's, a counsellor's own, or for a coordinator's creation the structure chosen
    first (`chosen_structure`: the POSTed `structure`, else `?structure=` passed as
    `structure_param`, else their own). Never the whole network's: at national scale that
    would be thousands of options. Without a structure, only the places that need no
    venue are offered.

    On creation from a curriculum, a duration left unchosen, an empty level, capacity,
    themes or competences are filled from the curriculum by `session_create`
    (`service_kwargs()` passes None for them)."""

    kind = forms.ChoiceField(
        label=_("Type de séance"),
        choices=SessionKind.choices,
        required=False,
        widget=widgets.RadioSelect,
        help_text=_("Avec un déroulé d'atelier : « Atelier collectif » si rien n'est choisi."),
    )
    atelier = forms.ModelChoiceField(
        label=_("Déroulé d'atelier"),
        queryset=AtelierPage.objects.none(),
        required=False,
        empty_label=_("Aucun"),
        widget=widgets.Select,
        help_text=_(
            "Choisir un atelier reprend sa durée, son niveau, ses thématiques et ses compétences."
        ),
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        required=False,
        widget=widgets.TextInput,
        help_text=_("Facultatif : par défaut, le titre de l'atelier ou le type de séance."),
    )
    # A coordinator's creation only: the structure chosen above the form (hidden here).
    structure = forms.ModelChoiceField(
        label=_("Structure de la séance"),
        queryset=Structure.objects.none(),
        required=False,
        widget=widgets.HiddenInput,
        error_messages={
            "invalid_choice": _("Cette structure n'existe pas : choisissez-en une dans la liste.")
        },
    )
    place = forms.ChoiceField(
        label=_("Lieu"),
        choices=[],
        widget=widgets.Select,
        error_messages={
            "invalid_choice": _(
                "Ce lieu n'est pas proposé pour la structure de la séance. "
                "Choisissez un lieu de la liste."
            )
        },
    )
    date = forms.DateField(
        label=_("Date"), widget=widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Heure de début"), widget=widgets.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration = forms.ChoiceField(
        label=_("Durée"),
        required=False,
        choices=[
            *((str(m), _duration_label(m)) for m in DURATION_PRESETS),
            (DURATION_OTHER, _("Autre")),
        ],
        widget=widgets.RadioSelect,
    )
    duration_custom = forms.IntegerField(
        label=_("Autre durée, en minutes"),
        required=False,
        min_value=1,
        max_value=DURATION_MAX_MINUTES,
        widget=widgets.NumberInput(attrs={"inputmode": "numeric"}),
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Laissez vide si le nombre de places n'est pas limité."),
        widget=widgets.NumberInput(attrs={"inputmode": "numeric"}),
    )
    level = forms.ChoiceField(
        label=_("Niveau"),
        required=False,
        choices=[("", _("Non précisé")), *WorkshopLevel.choices],
        widget=widgets.Select,
    )
    counsellors = forms.ModelMultipleChoiceField(
        label=_("Conseillers"),
        queryset=Counsellor.objects.none(),
        required=False,
        widget=widgets.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Un des conseillers cochés ne fait pas partie de la structure de la séance. "
                "Choisissez-les dans la liste."
            )
        },
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Thématiques"), required=False, coerce=int, widget=widgets.CheckboxSelectMultiple
    )
    # The public agenda (« Près de chez vous »).
    is_published = forms.BooleanField(
        label=_("Publier dans l'agenda « Près de chez vous »"),
        required=False,
        widget=widgets.CheckboxInput,
        help_text=_(
            "Visible de tous, avec l'inscription en ligne. Un rendez-vous individuel n'est "
            "jamais publié."
        ),
    )
    waitlist_capacity = forms.IntegerField(
        label=_("Places sur liste d'attente"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("0 : pas de liste d'attente une fois la séance complète."),
        widget=widgets.NumberInput(attrs={"inputmode": "numeric"}),
    )
    what_to_bring = forms.CharField(
        label=_("À apporter"),
        required=False,
        max_length=1000,
        widget=widgets.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple : votre téléphone chargé, vos identifiants."),
    )
    accessibility_note = forms.CharField(
        label=_("Accessibilité du lieu pour cette séance"),
        required=False,
        max_length=1000,
        widget=widgets.Textarea(attrs={"rows": 2}),
        help_text=_("Salle à l'étage sans ascenseur, boucle magnétique…"),
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Publics"),
        queryset=Audience.objects.order_by("name"),
        required=False,
        widget=widgets.CheckboxSelectMultiple,
    )
    competences = forms.TypedMultipleChoiceField(
        label=_("Compétences travaillées"),
        required=False,
        coerce=int,
        widget=widgets.CheckboxSelectMultiple,
        help_text=_("Leurs niveaux se notent sur la feuille de présence."),
    )

    def __init__(
        self,
        *args,
        user,
        session: Session | None = None,
        structure_param: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.session = session
        self.coordinator = is_coordinator(user)
        # The structure whose venues and counsellors are offered (`session_structure_chosen`).
        self.chosen_structure = session_structure_chosen(
            user=user,
            session=session,
            posted=self.data.get("structure") if self.is_bound else None,
            requested=structure_param,
        )
        self.fields["atelier"].queryset = session_atelier_choices(session=session)
        self._setup_structure_field()
        self._setup_place_field()
        self.fields["counsellors"].queryset = session_counsellor_choices(
            structure=self.chosen_structure
        )
        self.fields["themes"].choices = _theme_choices()
        self.fields["competences"].choices = _competence_choices()
        self._add_anonymous_fields()
        if session is not None:
            self._initial_from_session(session)
        else:
            profile = self._own_profile_here()
            self.fields["counsellors"].initial = [profile.pk] if profile else []
            self.initial.setdefault("is_published", True)
            self.initial.setdefault(
                "waitlist_capacity", Session._meta.get_field("waitlist_capacity").default
            )

    def _setup_structure_field(self) -> None:
        """Only a coordinator's creation carries the (hidden) structure chosen above."""
        if self.session is None and self.coordinator:
            self.fields["structure"].queryset = structures_choosable(self.user)
            self.fields["structure"].initial = self.structure_pk
        else:
            del self.fields["structure"]

    def _setup_place_field(self) -> None:
        venues = session_venue_choices(structure=self.chosen_structure, session=self.session)
        self.venues = {v.pk: v for v in venues}
        self.fields["place"].choices = [
            ("", _("— Choisir —")),
            *(
                [(_("Lieux d'activité"), [(f"{VENUE_PREFIX}{v.pk}", str(v)) for v in venues])]
                if venues
                else []
            ),
            (PlaceType.HOME.value, PlaceType.HOME.label),
            (PlaceType.REMOTE.value, PlaceType.REMOTE.label),
            (PlaceType.OTHER.value, PlaceType.OTHER.label),
        ]

    def _add_anonymous_fields(self) -> None:
        """One number per age band and gender, for the participants not registered."""
        self.anonymous_rows = []
        for band in AgeBand:
            row = []
            for gender in ANONYMOUS_GENDERS:
                name = anonymous_field_name(band.value, gender.value)
                self.fields[name] = _anonymous_count_field(f"{band.label}, {gender.label}")
                row.append(name)
            self.anonymous_rows.append((band.label, row))
        # (short heading shown on a phone, full label for screen readers)
        self.anonymous_genders = [(ANONYMOUS_GENDER_SHORT[g], g.label) for g in ANONYMOUS_GENDERS]

    @property
    def structure_pk(self) -> int | None:
        return self.chosen_structure.pk if self.chosen_structure is not None else None

    def _checkbox_groups(self, name: str) -> list[tuple[str, list]]:
        """[(group label, [BoundWidget, ...])] for a grouped checkbox field."""
        subwidgets = list(self[name].subwidgets)
        groups, start = [], 0
        for label, options in self.fields[name].choices:
            groups.append((label, subwidgets[start : start + len(options)]))
            start += len(options)
        return groups

    @property
    def theme_groups(self):
        return self._checkbox_groups("themes")

    @property
    def competence_groups(self):
        return self._checkbox_groups("competences")

    @property
    def anonymous_grid(self):
        """[(age band label, [BoundField per gender])] for the participants table."""
        return [(label, [self[name] for name in names]) for label, names in self.anonymous_rows]

    # --- initial values -------------------------------------------------------------------

    def _initial_from_session(self, session: Session) -> None:
        start = timezone.localtime(session.start)
        self.initial.update(
            kind=session.kind,
            atelier=session.atelier_id,
            title=session.title,
            place=f"{VENUE_PREFIX}{session.venue_id}" if session.venue_id else session.place_type,
            date=start.date(),
            time=start.time().replace(second=0, microsecond=0),
            capacity=session.capacity,
            level=session.level,
            counsellors=[c.pk for c in session.counsellors.all()],
            themes=[t.pk for t in session.themes.all()],
            competences=[c.pk for c in session.competences.all()],
            is_published=session.is_published,
            waitlist_capacity=session.waitlist_capacity,
            what_to_bring=session.what_to_bring,
            accessibility_note=session.accessibility_note,
            audiences=[a.pk for a in session.audiences.all()],
        )
        self.initial.update(self.duration_initial(session.duration_minutes))
        for row in session.anonymous_participants.all():
            self.initial[anonymous_field_name(row.age_band, row.gender)] = row.count
        self.fields["duration"].required = True

    @staticmethod
    def duration_initial(minutes: int | None) -> dict:
        if minutes is None:
            return {}
        if minutes in DURATION_PRESETS:
            return {"duration": str(minutes), "duration_custom": None}
        return {"duration": DURATION_OTHER, "duration_custom": minutes}

    def initial_from_atelier(self, atelier: AtelierPage) -> None:
        defaults = atelier_defaults(atelier)
        self.initial.update(
            atelier=atelier.pk,
            kind=defaults["kind"],
            title=defaults["title"],
            level=defaults["level"],
            capacity=defaults["capacity"],
            themes=defaults["themes"],
            competences=defaults["competences"],
        )
        self.initial.update(self.duration_initial(defaults["duration_minutes"]))

    # --- validation -----------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        self._clean_kind(cleaned)
        cleaned["duration_minutes"] = self._clean_duration(cleaned)
        self._clean_place(cleaned)
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["start"] = timezone.make_aware(
                datetime.datetime.combine(cleaned["date"], cleaned["time"])
            )
        self._clean_structure(cleaned)
        self._clean_anonymous(cleaned)
        self._clean_publication(cleaned)
        return cleaned

    def _clean_publication(self, cleaned: dict) -> None:
        """An individual appointment, or a session at home or remote, is left out of the
        agenda even when the box stayed ticked (the box is ticked by default on a new
        session); the services refuse to publish them whatever the caller."""
        if cleaned.get("kind") == SessionKind.INDIVIDUAL or (
            cleaned.get("place_type") not in (None, PlaceType.VENUE)
        ):
            cleaned["is_published"] = False

    def public_values(self) -> dict:
        """The agenda fields for the services (`public`, and `audiences`)."""
        data = self.cleaned_data
        waitlist = data.get("waitlist_capacity")
        return {
            "is_published": bool(data.get("is_published")),
            "waitlist_capacity": 0 if waitlist is None else waitlist,
            "what_to_bring": data.get("what_to_bring") or "",
            "accessibility_note": data.get("accessibility_note") or "",
        }

    def _clean_kind(self, cleaned: dict) -> None:
        if not cleaned.get("kind"):
            if cleaned.get("atelier") is not None:
                cleaned["kind"] = SessionKind.WORKSHOP
            elif "kind" not in self.errors:
                self.add_error("kind", _("Choisissez le type de séance."))

    def _clean_duration(self, cleaned: dict) -> int | None:
        """A preset, or « Autre » with its minutes (a custom value alone counts too)."""
        duration = cleaned.get("duration")
        custom = cleaned.get("duration_custom")
        if duration == DURATION_OTHER:
            if custom is None and "duration_custom" not in self.errors:
                self.add_error("duration_custom", _("Indiquez la durée en minutes."))
            return custom
        if duration:
            return int(duration)
        return custom

    def _clean_place(self, cleaned: dict) -> None:
        """`venue` and `place_type` from the one « Lieu » select."""
        place = cleaned.get("place") or ""
        cleaned["venue"] = None
        if place.startswith(VENUE_PREFIX):
            venue_id = place[len(VENUE_PREFIX) :]
            venue = self.venues.get(int(venue_id) if venue_id.isdigit() else 0)
            if venue is None:
                self.add_error("place", _("Choisissez un lieu de la liste."))
            cleaned["venue"] = venue
            cleaned["place_type"] = PlaceType.VENUE
        elif place:
            cleaned["place_type"] = place

    def _clean_structure(self, cleaned: dict) -> None:
        """The venues and counsellors offered (hence accepted) are the chosen structure's."""
        structure = self.chosen_structure
        if self.session is None and self.coordinator and "structure" not in self.errors:
            if structure is None:
                self.add_error("structure", _("Choisissez la structure de la séance."))
        cleaned["structure_obj"] = structure
        if structure is None:
            return
        strangers = [c for c in cleaned.get("counsellors") or [] if c.structure_id != structure.pk]
        if strangers:
            self.add_error(
                "counsellors",
                _("%(names)s ne fait pas partie de la structure de la séance.")
                % {"names": ", ".join(str(c) for c in strangers)},
            )

    def _clean_anonymous(self, cleaned: dict) -> None:
        kind = cleaned.get("kind")
        if kind and kind not in COLLECTIVE_KINDS and any(self.anonymous_counts().values()):
            self.add_error(
                None,
                _(
                    "Les participants non inscrits ne se comptent que pour un atelier collectif "
                    "ou un temps d'échange."
                ),
            )

    def anonymous_counts(self) -> dict[tuple[str, str], int]:
        counts = {}
        for band in AgeBand:
            for gender in ANONYMOUS_GENDERS:
                value = self.cleaned_data.get(anonymous_field_name(band.value, gender.value))
                if value:
                    counts[(band.value, gender.value)] = value
        return counts

    def service_kwargs(self) -> dict:
        """Arguments for `session_create` (None where the curriculum should fill in)."""
        data = self.cleaned_data
        atelier = data.get("atelier")
        from_atelier = atelier is not None
        return {
            "kind": data["kind"],
            "structure": data["structure_obj"],
            "atelier": atelier,
            "title": data.get("title") or "",
            "place_type": data["place_type"],
            "venue": data["venue"],
            "start": data.get("start"),
            "duration_minutes": data["duration_minutes"],
            # Empty: the curriculum's maximum group size, or no limit without one.
            "capacity": data.get("capacity"),
            "level": data.get("level") or (None if from_atelier else ""),
            # None: the user's own counsellor profile (`session_create`), when it belongs
            # to the session's structure.
            "counsellors": list(data.get("counsellors") or []) or self._default_counsellors(),
            "themes": data.get("themes") or (None if from_atelier else []),
            "competences": data.get("competences") or (None if from_atelier else []),
            "public": self.public_values(),
            "audiences": list(data.get("audiences") or []),
        }

    def _own_profile_here(self):
        """The user's counsellor profile when it belongs to the session's structure."""
        profile = counsellor_profile(self.user)
        return profile if profile and profile.structure_id == self.structure_pk else None

    def _default_counsellors(self) -> list | None:
        # None lets `session_create` add the user's own profile; [] when it is elsewhere.
        return None if self._own_profile_here() else []

    def update_data(self) -> dict:
        """`data` for `session_update`."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "atelier": data.get("atelier"),
            "title": data.get("title") or "",
            "place_type": data["place_type"],
            "venue": data["venue"],
            "start": data["start"],
            "duration_minutes": data["duration_minutes"] or self.session.duration_minutes,
            "capacity": data.get("capacity"),
            "level": data.get("level") or "",
            "counsellors": list(data.get("counsellors") or []),
            "themes": data.get("themes") or [],
            "competences": data.get("competences") or [],
            "audiences": list(data.get("audiences") or []),
            **self.public_values(),
        }


class SessionStructureChoiceForm(forms.Form):
    """A coordinator's "Structure de la séance" chooser above the creation form: a GET form
    that reloads the page with `?structure=<id>`, whose venues and counsellors the session
    form then offers. Render it with `auto_id="id_choose_%s"` (the session form has its
    own `structure` input)."""

    structure = forms.ModelChoiceField(
        label=_("Structure de la séance"),
        queryset=Structure.objects.order_by("name").only("id", "name"),
        required=False,
        empty_label=_("— Choisir —"),
        widget=widgets.Select(attrs={"aria-describedby": "pap-structure-hint"}),
    )


# Service field names → form field names, for errors raised by the services.
SESSION_ERROR_FIELDS = {
    "venue": "place",
    "place_type": "place",
    "start": "date",
    "duration_minutes": "duration_custom",
    "structure": "structure",
    "is_published": "is_published",
    "waitlist_capacity": "waitlist_capacity",
}


# --- Attendance sheet ---------------------------------------------------------------------

MARK_CHOICES = [
    (AttendanceStatus.PRESENT.value, AttendanceStatus.PRESENT.label),
    (AttendanceStatus.ABSENT.value, AttendanceStatus.ABSENT.label),
    (AttendanceStatus.EXCUSED.value, _("Excusé")),
]


@dataclass
class LevelCell:
    competence: Competence
    field: forms.BoundField
    current: object  # the person's current Level, or None


@dataclass
class LineFields:
    line: SheetLine
    status: forms.BoundField
    equipment: forms.BoundField
    autonomy: forms.BoundField
    referred_to: forms.BoundField
    levels: list[LevelCell] = field(default_factory=list)

    @property
    def learner(self):
        return self.line.learner

    @property
    def learner_id(self) -> int:
        return self.line.attendance.learner_id

    @property
    def attendance(self):
        return self.line.attendance

    @property
    def is_waiting(self) -> bool:
        return self.line.attendance.status == AttendanceStatus.WAITING

    @property
    def errors(self) -> list[str]:
        errors = []
        for bound in (self.status, self.equipment, self.autonomy, self.referred_to):
            errors.extend(bound.errors)
        for cell in self.levels:
            errors.extend(cell.field.errors)
        return errors

    @property
    def details_summary(self) -> list[str]:
        """What the collapsed details show: current equipment, autonomy, referral."""
        values = []
        for bound in (self.equipment, self.autonomy):
            value = bound.value()
            if value:
                values.append(str(dict(bound.field.choices).get(value, "")))
        if self.referred_to.value():
            values.append(str(self.referred_to.value()))
        return [v for v in values if v]


def line_prefix(learner_id: int) -> str:
    return f"p{learner_id}"


@dataclass(frozen=True)
class _SheetLabels:
    """Labels and choices translated once for the whole sheet (lazy ones would be
    translated again in every line's widgets)."""

    marks: list[tuple]
    mark_values: set[str]
    equipment: list[tuple]
    autonomy: list[tuple]
    not_observed: str
    equipment_label: str
    autonomy_label: str
    referred_label: str
    referred_hint: str
    levels: dict[int, list[tuple]]

    @classmethod
    def build(cls, sheet: AttendanceSheet) -> _SheetLabels:
        not_observed = str(_("— Non observé —"))
        return cls(
            marks=_translated(MARK_CHOICES),
            mark_values={value for value, _label in MARK_CHOICES},
            equipment=_translated([("", _("— Matériel —")), *Equipment.choices]),
            autonomy=_translated([("", _("— Autonomie —")), *Autonomy.choices]),
            not_observed=not_observed,
            equipment_label=str(_("Matériel utilisé")),
            autonomy_label=str(_("Autonomie")),
            referred_label=str(_("Orientée vers")),
            referred_hint=str(_("CAF, France Travail…")),
            levels={
                framework_id: [("", not_observed), *((lv.pk, _level_label(lv)) for lv in levels)]
                for framework_id, levels in sheet.levels_by_framework.items()
            },
        )

    def level_choices(self, framework_id: int) -> list[tuple]:
        return self.levels.get(framework_id, [("", self.not_observed)])


class AttendanceSheetForm(forms.Form):
    """One form for the whole sheet: per person a status (présent / absent / excusé; left
    unchosen, the status stays as it is: inscrit or liste d'attente), equipment, autonomy,
    referral, and a level per competence of the session (empty: nothing observed).

    Only the lines listed in the POSTed `line` values are read (a person added by someone
    else meanwhile is left untouched). `rows()` returns the changed lines as dicts for
    `attendance_sheet_save`."""

    def __init__(self, *args, sheet: AttendanceSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        labels = _SheetLabels.build(sheet)
        for line in sheet.lines:
            self._add_line(line, labels)
        self.line_fields: list[LineFields] = [self._bound_line(line) for line in sheet.lines]

    def _add_line(self, line: SheetLine, labels: _SheetLabels) -> None:
        """The fields of one person's line: presence, equipment, autonomy, referral, and a
        level per competence of the session."""
        attendance = line.attendance
        p = line_prefix(attendance.learner_id)
        self.fields[f"{p}-status"] = forms.ChoiceField(
            label=_("Présence %(of_name)s") % {"of_name": french_de(line.learner.display_name)},
            choices=labels.marks,
            required=False,
            widget=widgets.RadioSelect(attrs={"class": "pap-seg__input"}),
            initial=attendance.status if attendance.status in labels.mark_values else "",
        )
        self.fields[f"{p}-equipment"] = forms.ChoiceField(
            label=labels.equipment_label,
            choices=labels.equipment,
            required=False,
            widget=widgets.Select,
            initial=attendance.equipment,
        )
        self.fields[f"{p}-autonomy"] = forms.ChoiceField(
            label=labels.autonomy_label,
            choices=labels.autonomy,
            required=False,
            widget=widgets.Select,
            initial=attendance.autonomy,
        )
        self.fields[f"{p}-referred_to"] = forms.CharField(
            label=labels.referred_label,
            max_length=200,
            required=False,
            initial=attendance.referred_to,
            widget=widgets.TextInput(attrs={"placeholder": labels.referred_hint}),
        )
        for competence in self.sheet.competences:
            recorded = line.levels.get(competence.pk)
            self.fields[f"{p}-c{competence.pk}"] = forms.TypedChoiceField(
                label=f"{competence.code} {competence.name}",
                choices=labels.level_choices(competence.framework_id),
                coerce=int,
                empty_value=None,
                required=False,
                widget=widgets.Select,
                initial=recorded.pk if recorded else "",
            )

    def _bound_line(self, line: SheetLine) -> LineFields:
        p = line_prefix(line.attendance.learner_id)
        return LineFields(
            line=line,
            status=self[f"{p}-status"],
            equipment=self[f"{p}-equipment"],
            autonomy=self[f"{p}-autonomy"],
            referred_to=self[f"{p}-referred_to"],
            levels=[
                LevelCell(
                    competence=c,
                    field=self[f"{p}-c{c.pk}"],
                    current=line.current_levels.get(c.pk),
                )
                for c in self.sheet.competences
            ],
        )

    def posted_learner_ids(self) -> set[int]:
        if not self.is_bound:
            return set()
        ids = set()
        for value in (
            self.data.getlist("line")
            if hasattr(self.data, "getlist")
            else self.data.get("line", [])
        ):
            if str(value).isdigit():
                ids.add(int(value))
        return ids

    def clean(self):
        cleaned = super().clean()
        posted = self.posted_learner_ids()
        for lf in self.line_fields:
            if lf.learner_id not in posted:
                continue
            p = line_prefix(lf.learner_id)
            status = cleaned.get(f"{p}-status") or lf.attendance.status
            if status != AttendanceStatus.PRESENT:
                for cell in lf.levels:
                    if cleaned.get(f"{p}-c{cell.competence.pk}") is not None:
                        self.add_error(
                            f"{p}-c{cell.competence.pk}",
                            _("Notez d'abord la présence pour %(name)s, puis le niveau.")
                            % {"name": lf.learner.display_name},
                        )
        return cleaned

    def rows(self) -> list[dict]:
        """The changed lines, as rows for `attendance_sheet_save`."""
        rows = []
        posted = self.posted_learner_ids()
        for lf in self.line_fields:
            if lf.learner_id not in posted:
                continue
            p = line_prefix(lf.learner_id)
            names = [f"{p}-status", f"{p}-equipment", f"{p}-autonomy", f"{p}-referred_to"] + [
                f"{p}-c{c.pk}" for c in self.sheet.competences
            ]
            if not any(name in self.changed_data for name in names):
                continue
            data = self.cleaned_data
            rows.append(
                {
                    "learner_id": lf.learner_id,
                    "status": data.get(f"{p}-status") or lf.attendance.status,
                    "equipment": data.get(f"{p}-equipment") or "",
                    "autonomy": data.get(f"{p}-autonomy") or "",
                    "referred_to": data.get(f"{p}-referred_to") or "",
                    "levels": {
                        c.pk: data.get(f"{p}-c{c.pk}")
                        for c in self.sheet.competences
                        if data.get(f"{p}-c{c.pk}") is not None
                    },
                }
            )
        return rows


def _translated(choices) -> list[tuple]:
    return [(value, str(label)) for value, label in choices]


def _level_label(level) -> str:
    return f"{level.rank} – {level.name}"
