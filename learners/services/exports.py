"""Spreadsheet exports of the tracking app (CSV and XLSX), scoped like the lists.

`export_build` checks the role, takes the rows from `learners.selectors.exports` (the
lists' own selectors, so an export never holds more than the user sees on screen), maps
them to French columns with the resources of `learners.resources`, writes the file with
`common.spreadsheets` (numbers as numbers, dates as dates, formula-looking text
neutralised) and records one AuditLog row (action "export": kind, format and row count,
never a name or what was typed in a search box).

Partner editors and anyone without a tracking role get PermissionDenied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Choices, Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_write, xlsx_write
from common.types import AnyUser
from learners.age_bands import AgeBand, age_band_expression
from learners.choices import (
    COLLECTIVE_KINDS,
    AttendanceStatus,
    AuditAction,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SocialStatus,
)
from learners.models import AnonymousParticipants, Attendance, Session
from learners.resources import (
    ActivityResource,
    AttendanceResource,
    LearnerResource,
    ObservationResource,
    SessionResource,
    VenueResource,
)
from learners.roles import can_use_tracking
from learners.selectors.coop import coop_activity_line_count
from learners.selectors.exports import (
    ExportFilters,
    activity_sessions_for_export,
    attendance_for_export,
    observations_for_export,
    people_for_export,
    sessions_for_export,
    venues_for_export,
)
from workshops.choices import WorkshopLevel

from .audit import audit_log_record
from .coop_exports import COOP_KINDS, coop_activity_file, coop_people_file

FORMATS = ("csv", "xlsx")
THEME_SEPARATOR = "; "

# kind: (selector, resource class, file name stem, sheet title); the activity record's rows
# are built by `activity_rows`, without a selector.
EXPORTS: dict[str, tuple[Callable[..., QuerySet[Any]] | None, Any, str, Any]] = {
    "people": (people_for_export, LearnerResource, "personnes", gettext_lazy("Personnes")),
    "sessions": (sessions_for_export, SessionResource, "seances", gettext_lazy("Séances")),
    "attendance": (
        attendance_for_export,
        AttendanceResource,
        "presences",
        gettext_lazy("Présences"),
    ),
    "venues": (venues_for_export, VenueResource, "lieux", gettext_lazy("Lieux")),
    "observations": (
        observations_for_export,
        ObservationResource,
        "observations",
        gettext_lazy("Observations"),
    ),
    "activity": (None, ActivityResource, "activite-nationale", gettext_lazy("Activité")),
    # La Coop's own layouts: built by `learners.services.coop_exports`, not by a resource.
    "coop_activity": (None, None, "coop-activites", gettext_lazy("Activités")),
    "coop_people": (None, None, "coop-beneficiaires", gettext_lazy("Bénéficiaires")),
}
KINDS = tuple(EXPORTS)
KIND_LABELS = {
    "people": gettext_lazy("Personnes accompagnées"),
    "sessions": gettext_lazy("Séances"),
    "attendance": gettext_lazy("Présences"),
    "venues": gettext_lazy("Lieux"),
    "observations": gettext_lazy("Observations"),
    "activity": gettext_lazy("Activité : décompte par séance (âges, genres, statuts)"),
    "coop_activity": gettext_lazy(
        "Activités au format de La Coop de la médiation numérique (une ligne par personne)"
    ),
    "coop_people": gettext_lazy(
        "Personnes accompagnées au format du modèle d'import de La Coop de la médiation numérique"
    ),
}


class ExportTooLarge(ValidationError):
    """More rows than `EXPORT_MAX_ROWS`: nothing is built; the message says what to do."""


def _refuse_if_too_large(kind: str, rows: int) -> None:
    limit = settings.EXPORT_MAX_ROWS
    if rows <= limit:
        return
    if kind in ("people", "venues"):
        advice = _("Affinez la recherche de la liste, puis exportez à nouveau.")
    else:
        advice = _("Choisissez une période plus courte (du … au …), puis exportez à nouveau.")
    raise ExportTooLarge(
        _("Cet export compterait %(rows)s lignes, au-delà de la limite de %(limit)s. %(advice)s")
        % {
            "rows": number_format(rows, force_grouping=True),
            "limit": number_format(limit, force_grouping=True),
            "advice": advice,
        }
    )


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    rows: int


def export_build(
    *, user: AnyUser, kind: str, format: str, filters: ExportFilters | None = None
) -> ExportFile:
    """The export file of `kind` (see KINDS) in `format` ("csv" or "xlsx") for `user`."""
    if not can_use_tracking(user):
        raise PermissionDenied(_("Vous n'avez pas accès au suivi des personnes."))
    if kind not in EXPORTS or format not in FORMATS:
        raise ValueError(f"Unknown export {kind!r} / {format!r}")
    filters = filters or ExportFilters()
    selector, resource_class, stem, title = EXPORTS[kind]
    if kind in COOP_KINDS:
        return _coop_export(user=user, kind=kind, format=format, filters=filters, stem=stem)
    # Counted first (one query): a too large export is refused before any work.
    data: list[dict[str, Any]] | QuerySet[Any]
    if kind == "activity":
        _refuse_if_too_large(kind, activity_sessions_for_export(user=user, filters=filters).count())
        resource = ActivityResource(count_columns=activity_count_columns())
        data = activity_rows(user=user, filters=filters)
    else:
        assert selector is not None  # only "activity" has none
        resource = resource_class()
        data = selector(user=user, filters=filters)
        _refuse_if_too_large(kind, data.count())
    dataset = resource.export(data, force_native_type=True)
    headers = dataset.headers
    if format == "xlsx":
        content = xlsx_write(headers, dataset, title=str(title))
        content_type = XLSX_CONTENT_TYPE
    else:
        content = csv_write(headers, dataset)
        content_type = CSV_CONTENT_TYPE
    audit_log_record(
        user=user,
        action=AuditAction.EXPORT,
        detail=f"export {kind} {format} : {dataset.height} lignes"
        + (", recherche" if filters.query else "")
        + (f", séance {filters.session_id}" if filters.session_id else "")
        + (f", personne {filters.learner_id}" if filters.learner_id else ""),
    )
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{format}"
    return ExportFile(
        content=content, content_type=content_type, filename=filename, rows=dataset.height
    )


def _coop_export(
    *, user: AnyUser, kind: str, format: str, filters: ExportFilters, stem: str
) -> ExportFile:
    """La Coop's layouts: same limits, scoping (their selectors) and audit as the others."""
    if kind == "coop_activity":
        # One line per participant, not per session: count what the file will hold.
        _refuse_if_too_large(kind, coop_activity_line_count(user=user, filters=filters))
        content, rows = coop_activity_file(user=user, filters=filters, format=format)
    else:
        people = people_for_export(user=user, filters=filters)
        _refuse_if_too_large(kind, people.count())
        content, rows = coop_people_file(people=people, format=format)
    audit_log_record(
        user=user,
        action=AuditAction.EXPORT,
        detail=f"export {kind} {format} : {rows} lignes" + (", recherche" if filters.query else ""),
    )
    return ExportFile(
        content=content,
        content_type=XLSX_CONTENT_TYPE if format == "xlsx" else CSV_CONTENT_TYPE,
        filename=f"{stem}-{timezone.localdate():%Y-%m-%d}.{format}",
        rows=rows,
    )


# --- National activity record ------------------------------------------------------------

_AGE_BANDS = list(AgeBand)
_GENDERS = list(Gender)
_STATUSES = list(SocialStatus)


def activity_count_columns() -> list[tuple[str, str]]:
    """(key, French header) of the count columns: current age bands, genders, statuses."""
    return (
        [(f"age_{band.value}", _("Âge : %(band)s") % {"band": band.label}) for band in _AGE_BANDS]
        + [(f"genre_{g.value}", _("Genre : %(g)s") % {"g": g.label}) for g in _GENDERS]
        + [(f"statut_{s.value}", _("Statut : %(s)s") % {"s": s.label}) for s in _STATUSES]
    )


def _empty_counts() -> dict[str, int]:
    return {key: 0 for key, _label in activity_count_columns()}


def _themes(session: Session) -> tuple[str, str]:
    """(digital themes, administrative sub-themes), "; "-joined; a sub-theme brings its
    parent ("Aide aux démarches administratives") into the themes, as the national tool
    requires."""
    themes, sub_themes = [], []
    for theme in session.themes.all():
        if theme.parent is not None:
            sub_themes.append(theme.name)
            if theme.parent.name not in themes:
                themes.append(theme.parent.name)
        elif theme.name not in themes:
            themes.append(theme.name)
    return THEME_SEPARATOR.join(themes), THEME_SEPARATOR.join(sub_themes)


def _label(choices: type[Choices], value: str) -> str:
    return str(choices(value).label) if value else ""


def _session_base(session: Session, *, collective: bool) -> dict[str, Any]:
    themes, sub_themes = _themes(session)
    venue = session.venue if session.place_type == PlaceType.VENUE else None
    return {
        "kind": _("Collectif") if collective else _("Individuel"),
        "date": timezone.localdate(session.start),
        "duration": session.duration_minutes,
        "place_type": _label(PlaceType, session.place_type),
        "venue": venue.name if venue else "",
        "venue_insee": venue.commune_id if venue else "",
        "themes": themes,
        "admin_themes": sub_themes,
        "level": _label(WorkshopLevel, session.level) if collective else "",
        "title": session.display_title if collective else "",
        "structure": session.structure.name,
        "session_ref": session.pk,
        "equipment": "",
        "autonomy": "",
        "referral": "",
        "participants": 0,
    }


@dataclass
class _CollectiveFigures:
    """What the rows of collective sessions hold, per session id."""

    counts: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(_empty_counts))
    participants: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    equipment: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    referrals: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, session_id: int, *, band: str, gender: str, status: str, n: int) -> None:
        c = self.counts[session_id]
        c[f"age_{band}"] += n
        c[f"genre_{gender}"] += n
        c[f"statut_{status}"] += n
        self.participants[session_id] += n


def _collective_attendance(collective: QuerySet[Attendance], figures: _CollectiveFigures) -> None:
    """People present at collective sessions: counts, then equipment and referrals."""
    for row in (
        collective.annotate(band=age_band_expression())
        .values("session_id", "band", "learner__gender", "learner__social_status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        figures.add(
            row["session_id"],
            band=row["band"],
            gender=row["learner__gender"],
            status=row["learner__social_status"],
            n=row["n"],
        )
    for session_id, value, referral in (
        collective.values_list("session_id", "equipment", "referred_to").distinct().order_by()
    ):
        label = _label(Equipment, value)
        if label and label not in figures.equipment[session_id]:
            figures.equipment[session_id].append(label)
        if referral and referral not in figures.referrals[session_id]:
            figures.referrals[session_id].append(referral)


def _anonymous_participants(
    anonymous: QuerySet[AnonymousParticipants], figures: _CollectiveFigures
) -> dict[int, list[Mapping[str, Any]]]:
    """Anonymous participants: counted into collective sessions' figures; for individual
    sessions, returned per session (one row each)."""
    anonymous_individual: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in anonymous.values("session_id", "session__kind", "age_band", "gender", "count"):
        if row["session__kind"] in COLLECTIVE_KINDS:
            figures.add(
                row["session_id"],
                band=row["age_band"],
                gender=row["gender"],
                status=SocialStatus.UNKNOWN,
                n=row["count"],
            )
        else:
            anonymous_individual[row["session_id"]].append(row)
    return anonymous_individual


def _individual_attendance(attendance: QuerySet[Attendance]) -> dict[int, list[Mapping[str, Any]]]:
    """People present at individual sessions, per session, in the order they were added."""
    individual: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in (
        attendance.exclude(session__kind__in=COLLECTIVE_KINDS)
        .annotate(band=age_band_expression())
        .values(
            "session_id",
            "band",
            "learner__gender",
            "learner__social_status",
            "equipment",
            "autonomy",
            "referred_to",
        )
        .order_by("id")
    ):
        individual[row["session_id"]].append(row)
    return individual


def _collective_row(session: Session, figures: _CollectiveFigures) -> dict:
    row = _session_base(session, collective=True)
    row.update(figures.counts[session.pk])
    row["participants"] = figures.participants[session.pk]
    row["equipment"] = THEME_SEPARATOR.join(figures.equipment.get(session.pk, []))
    row["referral"] = THEME_SEPARATOR.join(figures.referrals.get(session.pk, []))
    return row


def _individual_row(session: Session, *, band: str, gender: str, status: str) -> dict:
    """One participant of an individual session: a 1 in each group of counts."""
    row = _session_base(session, collective=False)
    row.update(_empty_counts())
    row[f"age_{band}"] = 1
    row[f"genre_{gender}"] = 1
    row[f"statut_{status}"] = 1
    row["participants"] = 1
    return row


def _individual_rows(
    session: Session, people: list[Mapping[str, Any]], anonymous: list[Mapping[str, Any]]
) -> list[dict]:
    rows = []
    for person in people:
        row = _individual_row(
            session,
            band=person["band"],
            gender=person["learner__gender"],
            status=person["learner__social_status"],
        )
        row["equipment"] = _label(Equipment, person["equipment"])
        row["autonomy"] = _label(Autonomy, person["autonomy"])
        row["referral"] = person["referred_to"]
        rows.append(row)
    for group in anonymous:
        rows += [
            _individual_row(
                session, band=group["age_band"], gender=group["gender"], status=SocialStatus.UNKNOWN
            )
            for _n in range(group["count"])
        ]
    return rows


# Column mapping (our data → La Coop de la médiation numérique's activity fields):
#
# - "Type d'accompagnement": "Collectif" for ateliers and temps d'échange (one row per
#   session), "Individuel" for permanences and individual appointments (one row per person
#   marked present, plus one per anonymous participant counted);
# - "Date": the session's local date; "Durée (minutes)": `duration_minutes` (presets 15,
#   30, 45, 60, 90, 120 or a custom duration);
# - "Type de lieu": lieu d'activité, à domicile, à distance, autre; "Lieu" and "Code
#   INSEE du lieu": the venue's name and its commune's INSEE code (venue sessions only);
# - "Matériel": individual, the equipment recorded on the attendance; collective, every
#   equipment recorded for the session ("; "-joined);
# - "Autonomie": individual rows only (entièrement accompagné, partiellement autonome,
#   autonome);
# - "Thématiques": the national digital themes; "Sous-thématiques administratives":
#   Papiers, Famille, Social-Santé… (their parent "Aide aux démarches administratives"
#   is added to the themes);
# - "Niveau de l'atelier" (débutant, intermédiaire, avancé) and "Titre de l'atelier":
#   collective rows only;
# - "Nombre de participants": individual 1; collective, the people marked present plus
#   the anonymous participants counted;
# - "Âge : …" (current national bands, at the session date), "Genre : …", "Statut : …":
#   counts of those participants (anonymous participants have no status: "non
#   communiqué"); on an individual row exactly one 1 per group;
# - "Orientation vers une structure": the referral recorded ("; "-joined for a
#   collective session);
# - "Structure": the structure that ran the session; "N° de séance": our session number,
#   to find it again (never a person's identifier).


def activity_rows(*, user: AnyUser, filters: ExportFilters) -> list[dict]:
    """Rows of the national activity record, for the sessions `user` sees that took place
    (the column mapping is above). Sessions without anyone present are left out. The
    figures come from four queries besides the sessions', whatever their number."""
    sessions = list(activity_sessions_for_export(user=user, filters=filters))
    if not sessions:
        return []
    visible_sessions = activity_sessions_for_export(user=user, filters=filters).values("pk")
    attendance = Attendance.objects.filter(
        Q(status=AttendanceStatus.PRESENT), session__in=visible_sessions
    )
    figures = _CollectiveFigures()
    _collective_attendance(attendance.filter(session__kind__in=COLLECTIVE_KINDS), figures)
    anonymous = _anonymous_participants(
        AnonymousParticipants.objects.filter(session__in=visible_sessions), figures
    )
    individual = _individual_attendance(attendance)
    rows = []
    for session in sessions:
        if session.kind in COLLECTIVE_KINDS:
            if figures.participants.get(session.pk):
                rows.append(_collective_row(session, figures))
            continue
        rows += _individual_rows(
            session, individual.get(session.pk, []), anonymous.get(session.pk, [])
        )
    return rows
