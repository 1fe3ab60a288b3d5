"""Stage 1, parse: the columns, the cell parsers and the per-file context.

Session, person and attendance cells are parsed once per distinct text (memoised), so a
session repeated on 50 rows costs one parse.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold
from learners.choices import (
    AttendanceStatus,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
    SocialStatus,
)
from learners.models import Venue
from learners.resources import CAPACITY, AttendanceResource, SessionResource
from workshops.choices import WorkshopLevel
from workshops.models import Theme
from workshops.theme_labels import OLD_LABELS

from .. import values as v
from ..common import ImportPlan, Record, fetch_in, resource_columns
from ..people import GENDER, SOCIAL_STATUS, CommuneResolver
from .levels import LevelColumns

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

SESSION_CELLS = (
    ("session_external_id", "external_id", lambda s: v.text(s, max_length=100)),
    ("kind", "kind", lambda s: KIND(s)),
    ("title", "title", lambda s: v.text(s, max_length=200)),
    ("duration_minutes", "duration_minutes", lambda s: v.integer(s, minimum=1, maximum=720)),
    ("place_type", "place_type", lambda s: PLACE(s)),
    ("level", "level", lambda s: LEVEL(s)),
    ("capacity", "capacity", lambda s: v.integer(s, minimum=1, maximum=10_000)),
)
ATTENDANCE_CELLS = (
    ("status", lambda s: STATUS(s, blank=AttendanceStatus.PRESENT)),
    ("equipment", lambda s: EQUIPMENT(s)),
    ("autonomy", lambda s: AUTONOMY(s)),
    ("referred_to", lambda s: v.text(s, max_length=200)),
)
PERSON_CELLS = (
    ("network_id", lambda s: v.text(s, max_length=32).lower()),
    ("person_external_id", lambda s: v.text(s, max_length=100)),
    ("first_name", lambda s: v.text(s, max_length=100)),
    ("last_name", lambda s: v.text(s, max_length=100)),
    ("birth_year", v.birth_year),
    ("gender", lambda s: GENDER(s, blank=Gender.UNKNOWN)),
    ("social_status", lambda s: SOCIAL_STATUS(s, blank=SocialStatus.UNKNOWN)),
)


class Context:
    """Everything loaded once for the whole file."""

    def __init__(self, *, user, records, plan, scope, structures):
        self.user = user
        self.plan = plan
        self.scope = scope
        self.structures = structures
        self.themes = {}
        by_slug = {}
        for theme in Theme.objects.all():
            self.themes.setdefault(fold(theme.name), theme.pk)
            self.themes.setdefault(fold(theme.slug), theme.pk)
            by_slug[theme.slug] = theme.pk
        # The national themes' former labels still read (see workshops.theme_labels).
        for label, slug in OLD_LABELS.items():
            if slug in by_slug:
                self.themes.setdefault(fold(label), by_slug[slug])
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
        self.levels = LevelColumns.of(plan.headers)
        self.session_memo: dict[tuple, tuple[dict | None, list]] = {}
        self.attendance_memo: dict[tuple, tuple[dict | None, list]] = {}
        self.person_memo: dict[tuple, dict | None] = {}


def parse_session(ctx: Context, values: dict) -> tuple[dict | None, list]:
    """(parsed session fields, [(key, message)])."""
    raw = tuple(values.get(k) for k in SESSION_KEYS)
    found = ctx.session_memo.get(raw)
    if found is not None:
        return found
    errors: list[tuple[str, str]] = []
    parsed: dict = {}
    try:
        parsed["structure"] = ctx.structures.resolve(values.get("structure", ""))
    except v.CellError as exc:
        errors.append(("structure", exc.message))
    for key, field, parser in SESSION_CELLS:
        if key not in values:
            continue
        try:
            parsed[field] = parser(values[key])
        except v.CellError as exc:
            errors.append((key, exc.message))
    start = _parse_start(values, errors)
    if start is not None:
        parsed["start"] = start
    venue = _parse_venue(ctx, values, parsed.get("structure"), errors)
    if "venue_id" in values or "venue" in values:
        parsed["venue"] = venue
    if _place_type_from_venue(parsed, values):
        parsed["place_type"] = PlaceType.VENUE if venue is not None else PlaceType.OTHER
    if "themes" in values or "admin_themes" in values:
        parsed["themes"] = _parse_themes(ctx, values, errors)
    result = (None if errors else parsed, errors)
    ctx.session_memo[raw] = result
    return result


def _place_type_from_venue(parsed: dict, values: dict) -> bool:
    """A blank or absent place type follows the venue column (a venue or "other")."""
    if "place_type" in parsed and values.get("place_type", "").strip():
        return False
    return "venue" in parsed or "place_type" in values


def _parse_start(values: dict, errors: list) -> datetime.datetime | None:
    """The session's start: the date (and its time, if any), else the "Heure" column,
    else DEFAULT_TIME."""
    day = day_time = None
    try:
        if "date" in values:
            day, day_time = v.date_and_time(values["date"])
    except v.CellError as exc:
        errors.append(("date", exc.message))
        return None
    if "time" in values and values["time"].strip():
        try:
            day_time = v.time(values["time"])
        except v.CellError as exc:
            errors.append(("time", exc.message))
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, day_time or DEFAULT_TIME))


def _parse_venue(ctx: Context, values: dict, structure, errors: list) -> Venue | None:
    """The venue by its id, else by its name (and INSEE code, and the session's
    structure when several venues share the name)."""
    if values.get("venue_id"):
        venue = ctx.venues_by_external.get(v.text(values["venue_id"], max_length=100))
        if venue is None:
            errors.append(("venue_id", _("lieu inconnu (identifiant).")))
        return venue
    if not values.get("venue"):
        return None
    insee = ""
    if values.get("venue_insee"):
        try:
            insee = v.insee_code(values["venue_insee"])
        except v.CellError as exc:
            errors.append(("venue_insee", exc.message))
    candidates = [
        venue
        for venue in ctx.venues_by_name.get(fold(values["venue"]), [])
        if not insee or venue.commune_id == insee
    ]
    if len(candidates) > 1 and structure is not None:
        own = [venue for venue in candidates if venue.structure_id == structure.pk]
        candidates = own or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        message = _("lieu inconnu : importez d'abord les lieux, ou indiquez leur identifiant.")
    else:
        message = _(
            "plusieurs lieux portent ce nom : indiquez le code INSEE du lieu ou son identifiant."
        )
    errors.append(("venue", message))
    return None


def _parse_themes(ctx: Context, values: dict, errors: list) -> frozenset[int]:
    theme_ids = set()
    for key in ("themes", "admin_themes"):
        for name in v.split_list(values.get(key, "")):
            theme_id = ctx.themes.get(fold(name))
            if theme_id is None:
                errors.append((key, _("thématique inconnue : « %(name)s ».") % {"name": name}))
            else:
                theme_ids.add(theme_id)
    return frozenset(theme_ids)


def parse_attendance(ctx: Context, values: dict) -> tuple[dict | None, list]:
    raw = tuple(values.get(k) for k in ATTENDANCE_KEYS)
    found = ctx.attendance_memo.get(raw)
    if found is not None:
        return found
    parsed, errors = {}, []
    for key, parser in ATTENDANCE_CELLS:
        if key in values:
            try:
                parsed[key] = parser(values[key])
            except v.CellError as exc:
                errors.append((key, exc.message))
    result = (None if errors else parsed, errors)
    ctx.attendance_memo[raw] = result
    return result


def parse_person(ctx: Context, record: Record) -> dict | None:
    """The person's cells, or None when one is wrong (its error is in the plan, once per
    distinct text)."""
    plan: ImportPlan = ctx.plan
    raw = tuple(record.values.get(k) for k in PERSON_KEYS)
    if raw in ctx.person_memo:
        return ctx.person_memo[raw]
    parsed, failed = {}, False
    for key, parser in PERSON_CELLS:
        if key in record.values:
            try:
                parsed[key] = parser(record.values[key])
            except v.CellError as exc:
                plan.cell_error(record.line, key, exc)
                failed = True
    present, commune = ctx.communes.resolve(record, plan)
    if present:
        parsed["commune"] = commune
    result = None if failed else parsed
    ctx.person_memo[raw] = result
    return result


def session_key(parsed: dict) -> tuple | None:
    structure = parsed.get("structure")
    if structure is None:
        return None
    if parsed.get("external_id"):
        return ("ext", structure.pk, parsed["external_id"])
    if parsed.get("start") is None or not parsed.get("kind"):
        return None
    return ("nat", structure.pk, parsed["start"], parsed["kind"], fold(parsed.get("title", "")))


def natural_key(session) -> tuple:
    return ("nat", session.structure_id, session.start, session.kind, fold(session.title))
