"""Import of sessions with their attendance (one row per person at a session).

The same file format as the "Présences" export (and the "Séances" export, without people,
imports sessions only). Rows that share a session repeat its columns; they must agree.

Sessions: known by "Identifiant séance" within the row's structure; otherwise (or when
that id is not known yet) by the structure, the start (date and time, 09:00 when no time
is given), the kind and the title. Unknown: created (the counsellor importing runs them).
People: by "Identifiant réseau" (someone the user sees), "Identifiant personne" (an id
used by the session's structure), else by name and birth year like the people import
(one person the session's structure already follows: attached and flagged; several: an
error; none: created, and, when someone in another structure matches a precise
description, flagged with a link request for the coordination: the one linking rule of
`learners.services.linking`, never an attach to another structure's record). The people
already known are never changed by this import (use the people import for that).
Attendance: "Présence" (présent by default), "Matériel", "Autonomie", "Orientation".

Speed: every look-up is prefetched into dicts in a few queries per 2,000 distinct keys;
session, person and attendance cells are parsed once per distinct text (memoised); writes
are bulk_create / bulk_update in batches of 2,000. Nothing runs a query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold
from learners.choices import (
    SEAT_TAKING_STATUSES,
    AttendanceStatus,
    AuditAction,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
    SocialStatus,
)
from learners.models import (
    Attendance,
    Learner,
    LearnerStructure,
    Session,
    Venue,
)
from learners.resources import CAPACITY, AttendanceResource, SessionResource
from learners.roles import counsellor_profile
from learners.scoping import learners_visible
from learners.selectors.people import identity_is_precise, other_record_is_described
from learners.services.activity import structure_links_refresh
from learners.services.audit import audit_log_record_many
from learners.services.linking import link_requests_record_many
from learners.services.people import learners_attendance_refresh
from workshops.choices import WorkshopLevel
from workshops.models import Theme

from . import values as v
from .common import (
    BATCH,
    CHUNK,
    CREATE,
    PROGRESS_EVERY,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanLine,
    Record,
    change_text,
    chunked,
    fetch_in,
    resource_columns,
)
from .people import GENDER, SOCIAL_STATUS, CommuneResolver, label_of

DEFAULT_TIME = datetime.time(9, 0)
DEFAULT_DURATION = 60

COLUMNS = resource_columns(
    AttendanceResource,
    synonyms={
        "session_external_id": ("Identifiant de la séance", "Id séance", "Référence séance"),
        "date": ("Date de la séance", "Jour", "Début"),
        "time": ("Heure de début", "Horaire"),
        "kind": ("Type", "Type d'activité", "Type de la séance"),
        "title": ("Titre", "Titre de l'atelier", "Atelier", "Nom de l'atelier"),
        "duration_minutes": ("Durée", "Durée en minutes", "Durée (min)"),
        "venue_id": ("Identifiant du lieu",),
        "venue": ("Nom du lieu",),
        "venue_insee": ("Code INSEE lieu",),
        "themes": ("Thèmes", "Thématique", "Thème"),
        "admin_themes": ("Sous-thématiques", "Démarches"),
        "level": ("Niveau de l'atelier",),
        "capacity": ("Nombre de places", "Capacité"),
        "network_id": ("Identifiant reseau",),
        "person_external_id": ("Identifiant externe", "Identifiant de la personne"),
        "first_name": ("Prenom",),
        "last_name": ("Nom de famille",),
        "birth_year": ("Année", "Naissance"),
        "commune": ("INSEE", "Code commune", "Code INSEE de la personne"),
        "commune_name": ("Commune", "Ville"),
        "gender": ("Sexe", "Genre"),
        "social_status": ("Statut", "Statut social", "Situation"),
        "status": ("Présent", "Présente", "Statut de présence"),
        "equipment": ("Matériel utilisé",),
        "autonomy": ("Niveau d'autonomie",),
        "referred_to": ("Orientée vers", "Orienté vers", "Orientation vers une structure"),
    },
    required=(("date", "session_external_id"),),
    extra={
        "capacity": CAPACITY,
        "admin_themes": "Sous-thématiques administratives",
        "gender": "Genre",
        "social_status": "Statut",
        "commune_name": "Commune",
    },
    ignored=tuple(str(f.column_name) for f in SessionResource().fields.values() if f.readonly),
)

SESSION_KEYS = (
    "session_external_id",
    "date",
    "time",
    "kind",
    "title",
    "duration_minutes",
    "place_type",
    "venue_id",
    "venue",
    "venue_insee",
    "themes",
    "admin_themes",
    "level",
    "capacity",
    "structure",
)
PERSON_KEYS = (
    "network_id",
    "person_external_id",
    "first_name",
    "last_name",
    "birth_year",
    "commune",
    "commune_name",
    "gender",
    "social_status",
)
ATTENDANCE_KEYS = ("status", "equipment", "autonomy", "referred_to")
SESSION_FIELDS = (
    "external_id",
    "start",
    "kind",
    "title",
    "duration_minutes",
    "place_type",
    "venue",
    "level",
    "capacity",
)
SESSION_FIELD_KEYS = {
    "external_id": "session_external_id",
    "start": "date",
    "kind": "kind",
    "title": "title",
    "duration_minutes": "duration_minutes",
    "place_type": "place_type",
    "venue": "venue",
    "level": "level",
    "capacity": "capacity",
    "themes": "themes",
}

KIND = v.ChoiceParser(
    SessionKind,
    synonyms={
        "atelier": SessionKind.WORKSHOP,
        "collectif": SessionKind.WORKSHOP,
        "atelier collectif": SessionKind.WORKSHOP,
        "echange": SessionKind.DISCUSSION,
        "temps d'echange": SessionKind.DISCUSSION,
        "rendez-vous": SessionKind.INDIVIDUAL,
        "rdv": SessionKind.INDIVIDUAL,
        "individuel": SessionKind.INDIVIDUAL,
        "accompagnement individuel": SessionKind.INDIVIDUAL,
        "permanence": SessionKind.DROP_IN,
    },
)
PLACE = v.ChoiceParser(
    PlaceType,
    synonyms={
        "lieu d'activite": PlaceType.VENUE,
        "sur place": PlaceType.VENUE,
        "domicile": PlaceType.HOME,
        "a domicile": PlaceType.HOME,
        "distance": PlaceType.REMOTE,
        "a distance": PlaceType.REMOTE,
        "visio": PlaceType.REMOTE,
        "telephone": PlaceType.REMOTE,
    },
)
LEVEL = v.ChoiceParser(WorkshopLevel)
STATUS = v.ChoiceParser(
    AttendanceStatus,
    synonyms={
        "presente": AttendanceStatus.PRESENT,
        "oui": AttendanceStatus.PRESENT,
        "x": AttendanceStatus.PRESENT,
        "p": AttendanceStatus.PRESENT,
        "1": AttendanceStatus.PRESENT,
        "absente": AttendanceStatus.ABSENT,
        "non": AttendanceStatus.ABSENT,
        "a": AttendanceStatus.ABSENT,
        "0": AttendanceStatus.ABSENT,
        "excusee": AttendanceStatus.EXCUSED,
        "inscrite": AttendanceStatus.REGISTERED,
        "liste d'attente": AttendanceStatus.WAITING,
        "en attente": AttendanceStatus.WAITING,
    },
)
EQUIPMENT = v.ChoiceParser(
    Equipment,
    synonyms={
        "smartphone": Equipment.PHONE,
        "telephone portable": Equipment.PHONE,
        "portable": Equipment.PHONE,
        "pc": Equipment.COMPUTER,
        "ordinateur portable": Equipment.COMPUTER,
    },
)
AUTONOMY = v.ChoiceParser(
    Autonomy,
    synonyms={
        "accompagne": Autonomy.ACCOMPANIED,
        "accompagnee": Autonomy.ACCOMPANIED,
        "entierement accompagnee": Autonomy.ACCOMPANIED,
        "partiellement": Autonomy.PARTLY,
    },
)
CLEAN_EXCLUDE = ["structure", "venue", "atelier", "created_by"]
LEARNER_CLEAN_EXCLUDE = ["structure", "commune", "network_id"]


class _Current(NamedTuple):
    """An attendance already recorded, as read for the comparison."""

    id: int
    status: str
    equipment: str
    autonomy: str
    referred_to: str


class _Failed(Exception):
    """A cell could not be parsed (its error is already in the plan)."""


class SessionPlan:
    """One session of the file (new or existing) and what changes."""

    __slots__ = ("session", "line", "parsed", "is_new", "changed", "themes", "theme_change")

    def __init__(self, session, line, parsed, is_new):
        self.session = session
        self.line = line
        self.parsed = parsed
        self.is_new = is_new
        self.changed: dict = {}
        self.themes: set[int] | None = parsed.get("themes")
        self.theme_change: tuple[set[int], set[int]] | None = None


class PersonRef:
    """A person of the file: an existing learner, or a new one to create."""

    __slots__ = ("learner", "is_new", "line")

    def __init__(self, learner, is_new, line):
        self.learner = learner
        self.is_new = is_new
        self.line = line


class AttendanceOps:
    def __init__(self):
        self.sessions: dict[tuple, SessionPlan] = {}
        self.people: dict[tuple, PersonRef] = {}
        self.new_attendance: list[tuple[SessionPlan, PersonRef, dict]] = []
        self.updated_attendance: list[Attendance] = []
        self.update_fields: set[str] = set()
        # (new person, other structures' records they may be): link requests on apply.
        self.link_requests: list[tuple[Learner, list[int]]] = []


# --- Parsing -------------------------------------------------------------------------


class _Context:
    """Everything loaded once for the whole file."""

    def __init__(self, *, user, records, plan, scope, structures):
        self.user = user
        self.plan = plan
        self.scope = scope
        self.structures = structures
        self.themes = {}
        for theme in Theme.objects.all():
            self.themes.setdefault(fold(theme.name), theme.pk)
            self.themes.setdefault(fold(theme.slug), theme.pk)
        venue_ids = {r.values.get("venue_id", "") for r in records} - {""}
        self.venues_by_external = {
            venue.external_id: venue
            for venue in fetch_in(Venue.objects.select_related("commune"), "external_id", venue_ids)
        }
        self.venues_by_name: dict[str, list[Venue]] = defaultdict(list)
        if any(r.values.get("venue") for r in records):
            for venue in Venue.objects.select_related("commune").only(
                "id", "name", "commune_id", "structure_id", "external_id", "commune__name"
            ):
                self.venues_by_name[fold(venue.name)].append(venue)
        self.communes = CommuneResolver(records, "commune", "commune_name")
        self.session_memo: dict[tuple, tuple[dict | None, list]] = {}
        self.attendance_memo: dict[tuple, tuple[dict | None, list]] = {}


def _parse_session(ctx: _Context, values: dict) -> tuple[dict | None, list]:
    """(parsed session fields, [(key, message)])."""
    raw = tuple(values.get(k) for k in SESSION_KEYS)
    found = ctx.session_memo.get(raw)
    if found is not None:
        return found
    errors: list[tuple[str, str]] = []
    parsed: dict = {}

    def run(key, parser):
        if key not in values:
            return None
        try:
            return parser(values[key])
        except v.CellError as exc:
            errors.append((key, exc.message))
            raise _Failed from None

    try:
        parsed["structure"] = ctx.structures.resolve(values.get("structure", ""))
    except v.CellError as exc:
        errors.append(("structure", exc.message))
    for key, field, parser in (
        ("session_external_id", "external_id", lambda s: v.text(s, max_length=100)),
        ("kind", "kind", lambda s: KIND(s)),
        ("title", "title", lambda s: v.text(s, max_length=200)),
        ("duration_minutes", "duration_minutes", lambda s: v.integer(s, minimum=1, maximum=720)),
        ("place_type", "place_type", lambda s: PLACE(s)),
        ("level", "level", lambda s: LEVEL(s)),
        ("capacity", "capacity", lambda s: v.integer(s, minimum=1, maximum=10_000)),
    ):
        try:
            value = run(key, parser)
        except _Failed:
            continue
        if key in values:
            parsed[field] = value
    day = day_time = None
    try:
        if "date" in values:
            day, day_time = v.date_and_time(values["date"])
        if "time" in values and values["time"].strip():
            day_time = run("time", v.time)
    except v.CellError as exc:
        errors.append(("date", exc.message))
    except _Failed:
        pass
    if day is not None:
        parsed["start"] = timezone.make_aware(
            datetime.datetime.combine(day, day_time or DEFAULT_TIME)
        )
    # Venue
    venue = None
    if values.get("venue_id"):
        venue = ctx.venues_by_external.get(v.text(values["venue_id"], max_length=100))
        if venue is None:
            errors.append(("venue_id", _("lieu inconnu (identifiant).")))
    elif values.get("venue"):
        name = fold(values["venue"])
        insee = ""
        if values.get("venue_insee"):
            try:
                insee = v.insee_code(values["venue_insee"])
            except v.CellError as exc:
                errors.append(("venue_insee", exc.message))
        candidates = [
            venue
            for venue in ctx.venues_by_name.get(name, [])
            if not insee or venue.commune_id == insee
        ]
        structure = parsed.get("structure")
        if len(candidates) > 1 and structure is not None:
            own = [venue for venue in candidates if venue.structure_id == structure.pk]
            candidates = own or candidates
        if len(candidates) == 1:
            venue = candidates[0]
        elif not candidates:
            errors.append(
                (
                    "venue",
                    _("lieu inconnu : importez d'abord les lieux, ou indiquez leur identifiant."),
                )
            )
        else:
            errors.append(
                (
                    "venue",
                    _(
                        "plusieurs lieux portent ce nom : indiquez le code INSEE du lieu "
                        "ou son identifiant."
                    ),
                )
            )
    if "venue_id" in values or "venue" in values:
        parsed["venue"] = venue
    if "place_type" not in parsed or not values.get("place_type", "").strip():
        if "venue" in parsed or "place_type" in values:
            parsed["place_type"] = PlaceType.VENUE if venue is not None else PlaceType.OTHER
    # Themes
    if "themes" in values or "admin_themes" in values:
        theme_ids = set()
        for key in ("themes", "admin_themes"):
            for name in v.split_list(values.get(key, "")):
                theme_id = ctx.themes.get(fold(name))
                if theme_id is None:
                    errors.append((key, _("thématique inconnue : « %(name)s ».") % {"name": name}))
                else:
                    theme_ids.add(theme_id)
        parsed["themes"] = frozenset(theme_ids)
    result = (None if errors else parsed, errors)
    ctx.session_memo[raw] = result
    return result


def _parse_attendance(ctx: _Context, values: dict) -> tuple[dict | None, list]:
    raw = tuple(values.get(k) for k in ATTENDANCE_KEYS)
    found = ctx.attendance_memo.get(raw)
    if found is not None:
        return found
    parsed, errors = {}, []
    for key, parser in (
        ("status", lambda s: STATUS(s, blank=AttendanceStatus.PRESENT)),
        ("equipment", lambda s: EQUIPMENT(s)),
        ("autonomy", lambda s: AUTONOMY(s)),
        ("referred_to", lambda s: v.text(s, max_length=200)),
    ):
        if key in values:
            try:
                parsed[key] = parser(values[key])
            except v.CellError as exc:
                errors.append((key, exc.message))
    result = (None if errors else parsed, errors)
    ctx.attendance_memo[raw] = result
    return result


def _session_key(parsed: dict) -> tuple | None:
    structure = parsed.get("structure")
    if structure is None:
        return None
    if parsed.get("external_id"):
        return ("ext", structure.pk, parsed["external_id"])
    if parsed.get("start") is None or not parsed.get("kind"):
        return None
    return ("nat", structure.pk, parsed["start"], parsed["kind"], fold(parsed.get("title", "")))


def _natural_key(session) -> tuple:
    return ("nat", session.structure_id, session.start, session.kind, fold(session.title))


# --- Planning ------------------------------------------------------------------------


def plan_attendance(
    *, user, records: list[Record], plan: ImportPlan, scope, structures, progress=None
) -> AttendanceOps:
    ctx = _Context(user=user, records=records, plan=plan, scope=scope, structures=structures)
    with_people = bool({"network_id", "person_external_id", "first_name"} & set(plan.headers))
    ops = AttendanceOps()

    # Pass 1: parse sessions, group rows by session.
    row_sessions: list[tuple[Record, tuple]] = []
    first_of: dict[tuple, tuple[int, dict]] = {}
    for index, record in enumerate(records, start=1):
        parsed, errors = _parse_session(ctx, record.values)
        for key, message in errors:
            plan.error(record.line, key, message)
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index // 3)
        if parsed is None:
            continue
        key = _session_key(parsed)
        if key is None:
            if not parsed.get("kind") and parsed.get("start") is not None:
                plan.error(record.line, "kind", _("indiquez le type de séance."))
            elif parsed.get("start") is None:
                plan.error(record.line, "date", _("indiquez la date de la séance."))
            continue
        first = first_of.get(key)
        if first is None:
            first_of[key] = (record.line, parsed)
        elif first[1] is not parsed:
            differing = [
                field
                for field in (
                    "start",
                    "kind",
                    "title",
                    "duration_minutes",
                    "place_type",
                    "venue",
                    "level",
                    "capacity",
                    "themes",
                )
                if first[1].get(field) != parsed.get(field)
            ]
            if differing:
                plan.error(
                    record.line,
                    SESSION_FIELD_KEYS[differing[0]],
                    _("les informations de cette séance diffèrent de la ligne %(other)d.")
                    % {"other": first[0]},
                )
                continue
        row_sessions.append((record, key))

    # Existing sessions: by external id, then by natural key.
    structure_ids = {key[1] for key in first_of}
    ext_keys = [key for key in first_of if key[0] == "ext"]
    existing: dict[tuple, Session] = {}
    for session in fetch_in(
        Session.objects.filter(structure_id__in=structure_ids).select_related("venue"),
        "external_id",
        {k[2] for k in ext_keys},
    ):
        existing[("ext", session.structure_id, session.external_id)] = session
    starts = {parsed["start"] for _line, parsed in first_of.values() if parsed.get("start")}
    by_natural: dict[tuple, list[Session]] = defaultdict(list)
    for session in fetch_in(
        Session.objects.filter(structure_id__in=structure_ids).select_related("venue"),
        "start",
        starts,
    ):
        by_natural[_natural_key(session)].append(session)
    session_ids = {s.pk for s in existing.values()} | {
        s.pk for group in by_natural.values() for s in group
    }
    themes_of: dict[int, set[int]] = defaultdict(set)
    through = Session.themes.through
    for chunk in chunked(session_ids, CHUNK):
        for session_id, theme_id in through.objects.filter(session_id__in=chunk).values_list(
            "session_id", "theme_id"
        ):
            themes_of[session_id].add(theme_id)

    profile = counsellor_profile(user)
    for key, (line, parsed) in first_of.items():
        session = existing.get(key)
        natural = None
        if parsed.get("start") is not None and parsed.get("kind"):
            natural = (
                "nat",
                key[1],
                parsed["start"],
                parsed["kind"],
                fold(parsed.get("title", "")),
            )
        if session is None and natural is not None:
            group = by_natural.get(natural, [])
            if key[0] == "ext":
                group = [s for s in group if not s.external_id]
            if len(group) > 1:
                plan.error(
                    line,
                    "date",
                    _(
                        "plusieurs séances existantes correspondent : ajoutez la colonne "
                        "« Identifiant séance »."
                    ),
                )
                continue
            session = group[0] if group else None
        if session is None:
            _plan_new_session(ops, plan, key, line, parsed, user, profile)
        else:
            _plan_existing_session(
                ops, plan, key, line, parsed, session, themes_of.get(session.pk, set())
            )

    if not with_people:
        return ops

    # Pass 2: people.
    _plan_people(ctx, ops, row_sessions, progress)

    # Pass 3: attendance.
    # Existing attendance as plain tuples (an instance is only built for a row that changes).
    existing_attendance: dict[tuple[int, int], _Current] = {}
    known_sessions = [sp.session.pk for sp in ops.sessions.values() if not sp.is_new]
    for chunk in chunked(known_sessions, CHUNK):
        for pk, session_id, learner_id, *values in Attendance.objects.filter(
            session_id__in=chunk
        ).values_list("id", "session_id", "learner_id", *ATTENDANCE_KEYS):
            existing_attendance[(session_id, learner_id)] = _Current(pk, *values)
    seen: dict[tuple, int] = {}
    file_status: dict[int, dict[int, str]] = defaultdict(dict)
    newly_registered: dict[tuple, int] = {}
    for index, (record, skey) in enumerate(row_sessions, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(2 * len(records) // 3 + index // 3)
        session_plan = ops.sessions.get(skey)
        person = ops.people.get(("row", record.line))
        if session_plan is None or person is None:
            continue
        parsed, errors = _parse_attendance(ctx, record.values)
        for key, message in errors:
            plan.error(record.line, key, message)
        if parsed is None:
            continue
        pair = (skey, id(person.learner))
        if pair in seen:
            plan.error(
                record.line,
                "first_name" if "first_name" in plan.headers else "network_id",
                _("cette personne apparaît déjà pour cette séance ligne %(other)d.")
                % {"other": seen[pair]},
            )
            continue
        seen[pair] = record.line
        current = None
        if not session_plan.is_new and not person.is_new:
            current = existing_attendance.get((session_plan.session.pk, person.learner.pk))
        status = parsed.get("status", current.status if current else AttendanceStatus.PRESENT)
        file_status[id(session_plan)][_person_key(person)] = status
        if status == AttendanceStatus.REGISTERED and (
            current is None or current.status not in SEAT_TAKING_STATUSES
        ):
            newly_registered.setdefault(id(session_plan), record.line)
        if current is None:
            values = {
                "status": status,
                "equipment": parsed.get("equipment", ""),
                "autonomy": parsed.get("autonomy", ""),
                "referred_to": parsed.get("referred_to", ""),
            }
            ops.new_attendance.append((session_plan, person, values))
            if plan.wants("attendance", CREATE):
                plan.add(
                    PlanLine(
                        record.line, "attendance", CREATE, _attendance_label(session_plan, person)
                    )
                )
            else:
                plan.tally("attendance", CREATE)
            continue
        changed = {
            f: (getattr(current, f), parsed[f])
            for f in ATTENDANCE_KEYS
            if f in parsed and getattr(current, f) != parsed[f]
        }
        if not changed:
            plan.tally("attendance", UNCHANGED)
            continue
        updated = Attendance(
            pk=current.id,
            session_id=session_plan.session.pk,
            learner_id=person.learner.pk,
            **{f: getattr(current, f) for f in ATTENDANCE_KEYS},
        )
        for field, (_old, new) in changed.items():
            setattr(updated, field, new)
        ops.updated_attendance.append(updated)
        ops.update_fields |= set(changed)
        if plan.wants("attendance", UPDATE):
            labels = {"status": AttendanceStatus, "equipment": Equipment, "autonomy": Autonomy}
            changes = [
                change_text(
                    plan.headers.get(f, f),
                    _label(labels.get(f), old),
                    _label(labels.get(f), new),
                )
                for f, (old, new) in changed.items()
            ]
            plan.add(
                PlanLine(
                    record.line,
                    "attendance",
                    UPDATE,
                    _attendance_label(session_plan, person),
                    changes=changes,
                )
            )
        else:
            plan.tally("attendance", UPDATE)

    # Capacity: new registrations may not exceed the places of a session.
    for sp in ops.sessions.values():
        capacity = sp.session.capacity
        line = newly_registered.get(id(sp))
        if capacity is None or line is None:
            continue
        statuses = file_status.get(id(sp), {})
        taken = sum(1 for s in statuses.values() if s in SEAT_TAKING_STATUSES)
        if not sp.is_new:
            taken += sum(
                1
                for (session_id, learner_id), attendance in existing_attendance.items()
                if session_id == sp.session.pk
                and attendance.status in SEAT_TAKING_STATUSES
                and ("pk", learner_id) not in statuses
            )
        if taken > capacity:
            plan.error(
                line,
                "status",
                _(
                    "la séance a %(capacity)d places et %(taken)d personnes y seraient "
                    "inscrites ou présentes."
                )
                % {"capacity": capacity, "taken": taken},
            )
    return ops


def _person_key(person: PersonRef) -> tuple:
    return ("new", id(person.learner)) if person.is_new else ("pk", person.learner.pk)


def _label(choices, value) -> str:
    if choices is None or not value:
        return value or ""
    return str(choices(value).label)


def _attendance_label(sp: SessionPlan, person: PersonRef) -> str:
    learner = person.learner
    when = (
        timezone.localtime(sp.session.start).strftime("%d/%m/%Y %H:%M") if sp.session.start else ""
    )
    person_label = label_of(learner.first_name, learner.last_name, learner.birth_year)
    return f"{sp.session.display_title} {when} – {person_label}"


def _session_label(session: Session) -> str:
    when = timezone.localtime(session.start).strftime("%d/%m/%Y %H:%M") if session.start else ""
    return f"{session.display_title} – {when}"


def _clean_session(session: Session, line: int, plan: ImportPlan) -> bool:
    try:
        session.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
        session.clean()
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                plan.error(line, SESSION_FIELD_KEYS.get(field_name, "venue"), str(message))
        return False
    return True


def _plan_new_session(ops, plan, key, line, parsed, user, profile) -> None:
    if parsed.get("start") is None:
        plan.error(line, "date", _("indiquez la date de la séance."))
        return
    if not parsed.get("kind"):
        plan.error(line, "kind", _("indiquez le type de séance."))
        return
    venue = parsed.get("venue")
    session = Session(
        external_id=parsed.get("external_id", ""),
        structure=parsed["structure"],
        kind=parsed["kind"],
        title=parsed.get("title", ""),
        start=parsed["start"],
        duration_minutes=parsed.get("duration_minutes") or DEFAULT_DURATION,
        place_type=parsed.get("place_type") or (PlaceType.VENUE if venue else PlaceType.OTHER),
        venue=venue,
        level=parsed.get("level", ""),
        capacity=parsed.get("capacity"),
        created_by=user,
    )
    if not _clean_session(session, line, plan):
        return
    sp = SessionPlan(session, line, parsed, is_new=True)
    sp.themes = set(parsed.get("themes") or ())
    ops.sessions[key] = sp
    plan.add(PlanLine(line, "session", CREATE, _session_label(session)))


def _plan_existing_session(ops, plan, key, line, parsed, session, current_themes) -> None:
    if session.structure_id != parsed["structure"].pk:  # pragma: no cover - keys include it
        plan.error(line, "structure", _("séance d'une autre structure."))
        return
    sp = SessionPlan(session, line, parsed, is_new=False)
    changed = {}
    for field in SESSION_FIELDS:
        if field not in parsed:
            continue
        new = parsed[field]
        if field == "external_id" and not new:
            continue
        if field in ("duration_minutes",) and new is None:
            continue
        if field == "level" and new is None:
            new = ""
        old = getattr(session, field)
        if field == "venue":
            if (old.pk if old else None) == (new.pk if new else None):
                continue
        elif old == new:
            continue
        changed[field] = (old, new)
    if "themes" in parsed and set(parsed["themes"]) != current_themes:
        sp.theme_change = (
            set(parsed["themes"]) - current_themes,
            current_themes - set(parsed["themes"]),
        )
    label = _session_label(session)
    if not changed and sp.theme_change is None:
        ops.sessions[key] = sp
        plan.tally("session", UNCHANGED)
        return
    for field, (_old, new) in changed.items():
        setattr(session, field, new)
    if not _clean_session(session, line, plan):
        return
    sp.changed = changed
    ops.sessions[key] = sp
    changes = [
        change_text(plan.headers.get(SESSION_FIELD_KEYS[f], f), _display(old), _display(new))
        for f, (old, new) in changed.items()
    ]
    if sp.theme_change is not None:
        changes.append(_("Thématiques modifiées"))
    plan.add(PlanLine(line, "session", UPDATE, label, changes=changes))


def _display(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value


def _plan_people(ctx: _Context, ops: AttendanceOps, row_sessions, progress) -> None:
    plan, user = ctx.plan, ctx.user
    person_raw: dict[int, dict] = {}
    memo: dict[tuple, dict | None] = {}
    for record, skey in row_sessions:
        sp = ops.sessions.get(skey)
        if sp is None:
            continue
        raw = tuple(record.values.get(k) for k in PERSON_KEYS)
        parsed = memo.get(raw)
        if parsed is None and raw not in memo:
            parsed, failed = {}, False
            for key, parser in (
                ("network_id", lambda s: v.text(s, max_length=32).lower()),
                ("person_external_id", lambda s: v.text(s, max_length=100)),
                ("first_name", lambda s: v.text(s, max_length=100)),
                ("last_name", lambda s: v.text(s, max_length=100)),
                ("birth_year", v.birth_year),
                ("gender", lambda s: GENDER(s, blank=Gender.UNKNOWN)),
                ("social_status", lambda s: SOCIAL_STATUS(s, blank=SocialStatus.UNKNOWN)),
            ):
                if key in record.values:
                    try:
                        parsed[key] = parser(record.values[key])
                    except v.CellError as exc:
                        plan.cell_error(record.line, key, exc)
                        failed = True
            present, commune = ctx.communes.resolve(record, plan)
            if present:
                parsed["commune"] = commune
            parsed = None if failed else parsed
            memo[raw] = parsed
        if parsed is not None:
            person_raw[record.line] = (parsed, sp)

    by_network = {
        lr.network_id: lr
        for lr in fetch_in(
            learners_visible(user, include_anonymized=True),
            "network_id",
            {p.get("network_id") for p, _sp in person_raw.values()},
        )
    }
    ext_pairs = {
        (sp.parsed["structure"].pk, p["person_external_id"])
        for p, sp in person_raw.values()
        if p.get("person_external_id") and not p.get("network_id")
    }
    by_external = {
        (lr.structure_id, lr.external_id): lr
        for lr in fetch_in(
            Learner.objects.filter(structure_id__in={k[0] for k in ext_pairs}),
            "external_id",
            {k[1] for k in ext_pairs},
        )
    }
    name_keys = set()
    for p, _sp in person_raw.values():
        if not p.get("network_id"):
            first, last = fold(p.get("first_name", "")), fold(p.get("last_name", ""))
            if first:
                name_keys.update({first + last, last + first})
    candidates: dict[str, list[Learner]] = defaultdict(list)
    for learner in fetch_in(
        Learner.objects.filter(anonymized_at__isnull=True), "normalized_name", name_keys
    ):
        candidates[learner.normalized_name].append(learner)
    candidate_ids = {lr.pk for group in candidates.values() for lr in group}
    # A name match only joins a record the session's structure already follows, for the
    # coordination too (`learners.services.linking`): never another structure's record.
    row_structures = {sp.parsed["structure"].pk for _p, sp in person_raw.values()}
    readable = {
        (link.learner_id, link.structure_id)
        for link in fetch_in(
            LearnerStructure.objects.filter(structure_id__in=row_structures),
            "learner_id",
            candidate_ids,
        )
    }
    refs: dict[tuple, PersonRef] = {}
    now = timezone.now()
    for line, (p, sp) in sorted(person_raw.items()):
        structure = sp.parsed["structure"]
        network_id = p.get("network_id")
        if network_id:
            key = ("net", network_id)
        elif p.get("person_external_id"):
            key = ("ext", structure.pk, p["person_external_id"])
        else:
            first = fold(p.get("first_name", ""))
            if not first:
                plan.error(
                    line,
                    "first_name",
                    _("personne non identifiée : indiquez l'identifiant réseau ou le prénom."),
                )
                continue
            key = ("name", first + fold(p.get("last_name", "")), p.get("birth_year"))
        ref = refs.get(key)
        if ref is None:
            ref = _resolve_person(
                plan,
                line,
                key,
                p,
                structure,
                by_network,
                by_external,
                candidates,
                readable,
                now,
                ops,
            )
            if ref is None:
                refs[key] = PersonRef(None, False, line)
                continue
            refs[key] = ref
        if ref.learner is None:
            continue
        ops.people[("row", line)] = ref
        ops.people.setdefault(key, ref)


def _resolve_person(
    plan, line, key, p, structure, by_network, by_external, candidates, readable, now, ops
):
    if key[0] == "net":
        learner = by_network.get(key[1])
        if learner is None:
            plan.error(line, "network_id", _("identifiant réseau inconnu dans votre suivi."))
            return None
        if learner.is_anonymized:
            plan.error(line, "network_id", _("cette fiche a été anonymisée."))
            return None
        return PersonRef(learner, False, line)
    if key[0] == "ext":
        learner = by_external.get((key[1], key[2]))
        if learner is not None:
            if learner.is_anonymized:
                plan.error(line, "person_external_id", _("cette fiche a été anonymisée."))
                return None
            return PersonRef(learner, False, line)
    first_name, last_name = p.get("first_name", ""), p.get("last_name", "")
    if not fold(first_name):
        plan.error(
            line, "first_name", _("personne inconnue : indiquez son prénom pour créer sa fiche.")
        )
        return None
    first, last, year = fold(first_name), fold(last_name), p.get("birth_year")
    matches = [
        lr
        for name in {first + last, last + first}
        for lr in candidates.get(name, [])
        if year is None or lr.birth_year is None or lr.birth_year == year
    ]
    visible = [lr for lr in matches if (lr.pk, structure.pk) in readable]
    others = []
    if identity_is_precise(
        first_name=first_name, last_name=last_name, birth_year=year, commune=p.get("commune")
    ):
        nearby = {p["commune"].pk} if p.get("commune") else set()
        others = [
            lr.pk
            for lr in matches
            if (lr.pk, structure.pk) not in readable
            and other_record_is_described(
                lr, first_name=first_name, last_name=last_name, nearby=nearby
            )
        ]
    label = label_of(first_name, last_name, year)
    if len(visible) > 1:
        plan.error(
            line,
            "first_name",
            _(
                "plusieurs fiches existantes correspondent à cette personne : ajoutez la "
                "colonne « Identifiant réseau »."
            ),
        )
        return None
    if len(visible) == 1:
        learner = visible[0]
        plan.add(
            PlanLine(
                line,
                "person",
                UNCHANGED,
                label,
                flags=[
                    _(
                        "même personne qu'une fiche existante (%(label)s) : rattachée, pas "
                        "de doublon."
                    )
                    % {"label": label_of(learner.first_name, learner.last_name, learner.birth_year)}
                ],
            )
        )
        return PersonRef(learner, False, line)
    learner = Learner(
        structure=structure,
        first_name=first_name,
        last_name=last_name,
        birth_year=year,
        commune=p.get("commune"),
        gender=p.get("gender", Gender.UNKNOWN),
        social_status=p.get("social_status", SocialStatus.UNKNOWN),
        external_id=p.get("person_external_id", ""),
        last_activity_at=now,
    )
    learner.normalize_names()
    try:
        learner.full_clean(
            exclude=LEARNER_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                plan.error(
                    line, field_name if field_name in plan.headers else "first_name", str(message)
                )
        return None
    flags = []
    if others:
        flags.append(
            _(
                "une personne du même nom et de la même année est suivie par une autre "
                "structure : une demande de rattachement sera adressée à la coordination, "
                "qui pourra réunir les deux fiches."
            )
        )
        ops.link_requests.append((learner, others))
    if flags or plan.wants("person", CREATE):
        plan.add(PlanLine(line, "person", CREATE, label, flags=flags))
    else:
        plan.tally("person", CREATE)
    return PersonRef(learner, True, line)


# --- Writing -------------------------------------------------------------------------


def apply_attendance(*, user, ops: AttendanceOps, progress=None) -> dict:
    """Write the plan (the caller holds the transaction)."""
    now = timezone.now()
    new_people = list({id(r.learner): r.learner for r in ops.people.values() if r.is_new}.values())
    Learner.objects.bulk_create(new_people, batch_size=BATCH)
    links = {(lr.pk, lr.structure_id) for lr in new_people}

    new_sessions = [sp for sp in ops.sessions.values() if sp.is_new]
    Session.objects.bulk_create([sp.session for sp in new_sessions], batch_size=BATCH)
    through = Session.themes.through
    through.objects.bulk_create(
        [through(session_id=sp.session.pk, theme_id=t) for sp in new_sessions for t in sp.themes],
        batch_size=BATCH,
    )
    profile = counsellor_profile(user)
    if profile is not None:
        counsellors = Session.counsellors.through
        counsellors.objects.bulk_create(
            [
                counsellors(session_id=sp.session.pk, counsellor_id=profile.pk)
                for sp in new_sessions
            ],
            batch_size=BATCH,
        )
    groups: dict[tuple, list[Session]] = defaultdict(list)
    for sp in ops.sessions.values():
        if not sp.is_new and sp.changed:
            sp.session.updated_at = now
            groups[tuple(sorted(set(sp.changed) | {"updated_at"}))].append(sp.session)
        if not sp.is_new and sp.theme_change is not None:
            added, removed = sp.theme_change
            if removed:
                through.objects.filter(session_id=sp.session.pk, theme_id__in=removed).delete()
            through.objects.bulk_create(
                [through(session_id=sp.session.pk, theme_id=t) for t in added],
                ignore_conflicts=True,
            )
    for fields, sessions in groups.items():
        Session.objects.bulk_update(sessions, list(fields), batch_size=BATCH)

    attendance = []
    touched: dict[int, Learner] = {}
    for sp, ref, values in ops.new_attendance:
        attendance.append(
            Attendance(
                session_id=sp.session.pk, learner_id=ref.learner.pk, recorded_by=user, **values
            )
        )
        links.add((ref.learner.pk, sp.session.structure_id))
        touched[ref.learner.pk] = ref.learner
    for start in range(0, len(attendance), BATCH):
        Attendance.objects.bulk_create(attendance[start : start + BATCH])
        if progress is not None:
            progress(start + BATCH)
    if ops.updated_attendance:
        for item in ops.updated_attendance:
            item.updated_at = now
            item.recorded_by = user
        Attendance.objects.bulk_update(
            ops.updated_attendance,
            sorted(ops.update_fields | {"updated_at", "recorded_by"}),
            batch_size=BATCH,
        )
        people = {r.learner.pk: r.learner for r in ops.people.values() if not r.is_new}
        for item in ops.updated_attendance:
            if item.learner_id in people:
                touched[item.learner_id] = people[item.learner_id]
    LearnerStructure.objects.bulk_create(
        [LearnerStructure(learner_id=lid, structure_id=sid) for lid, sid in links],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    learners_attendance_refresh(learner_ids=touched, touch=True, now=now)
    # People newly followed by a structure without a new attendance date.
    structure_links_refresh(learner_ids={lid for lid, _sid in links} - set(touched))
    new_ids = {lr.pk for lr in new_people}
    link_requests_record_many(user=user, pairs=ops.link_requests, source="import de présences")
    audit_log_record_many(
        user=user, action=AuditAction.CREATE, learners=new_people, detail="import de fichier"
    )
    audit_log_record_many(
        user=user,
        action=AuditAction.UPDATE,
        learners=[lr for pk, lr in touched.items() if pk not in new_ids],
        detail="import de présences (fichier)",
    )
    return {
        "sessions_created": len(new_sessions),
        "people_created": len(new_people),
        "attendance_created": len(attendance),
        "attendance_updated": len(ops.updated_attendance),
    }
