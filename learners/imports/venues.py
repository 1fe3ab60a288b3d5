"""Import of venues (lieux) from a file of the national standard « Lieux de médiation
numérique » (v1.0.2: its column names, `|` or `;` between the values of a cell), which is
also what our venue export writes. Older files with French headers (« Nom », « Adresse »,
« Code INSEE »…) are still understood. Every cell is checked as the standard says
(`learners.national.lieux.COLUMN_PARSERS`): a value outside a vocabulary is an error naming
the line, the column and the allowed values, and nothing is imported until the file is clean.

A row is an existing venue when its `id` is one our files give (« pasapas-lieu-12 ») or a
known `external_id` (network-wide), or when the row's structure already has a venue of that
name in that commune; otherwise it is created with `id` as its external id. A counsellor
may only create or change the venues of their own structure. Coordinates default to the
commune's centre for a new venue.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from caching import versions
from common.text import fold
from learners.models import Venue
from learners.national import lieux
from learners.resources import VenueResource
from learners.services.opening_hours_check import opening_hours_clean

from . import values as v
from .common import (
    BATCH,
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanLine,
    Record,
    change_text,
    fetch_in,
    resource_columns,
)
from .people import CommuneResolver, commune_label

ENTITY = "venue"

COLUMNS = resource_columns(
    VenueResource,
    synonyms={
        "id": ("Identifiant lieu", "Identifiant", "Identifiant du lieu", "Identifiant externe"),
        "nom": ("Nom du lieu", "Lieu"),
        "code_postal": ("CP",),
        "code_insee": ("INSEE", "Code commune"),
        "commune": ("Ville",),
        "horaires": ("Horaires d'ouverture",),
        "telephone": ("Téléphone", "Tél", "Tel"),
        "courriels": ("Courriel", "Email", "E-mail"),
        "site_web": ("Site internet", "Site"),
    },
    extra={
        "structure": "Structure",
        "other_services": "Autres services",
        "publics": "Autres publics",
        "accessibility": "Accessibilité",
        "is_active": "Actif",
    },
    required=(("nom",), ("code_insee", "commune")),
)
# The columns that are not the standard's: (Venue field, parser).
EXTRA_PARSERS = {
    "other_services": ("other_services", lambda s: "\n".join(v.split_list(s))),
    "publics": ("publics", lambda s: v.text(s, max_length=300)),
    "accessibility": ("accessibility", lambda s: v.text(s, max_length=2000)),
    "is_active": ("is_active", lambda s: v.boolean(s) if s.strip() else True),
}
# The standard's columns that describe the file, not the venue, or that the import resolves.
NOT_FIELDS = {"commune_name", "commune_insee"}
FIELDS = tuple(
    dict.fromkeys(
        [
            *(field for field, _p in lieux.COLUMN_PARSERS.values() if field not in NOT_FIELDS),
            *(field for field, _p in EXTRA_PARSERS.values()),
            "commune",
        ]
    )
)
# Venue field -> the file's column key (errors name the column).
FIELD_KEYS = {
    **{field: column for column, (field, _p) in lieux.COLUMN_PARSERS.items()},
    **{field: key for key, (field, _p) in EXTRA_PARSERS.items()},
    "commune": "code_insee",
}
CLEAN_EXCLUDE = ["structure", "commune"]
LIST_FIELDS = {field for field, _vocabulary in lieux.LIST_COLUMNS.values()} | {"emails"}


def _cell(key: str, text: str):
    """(Venue field, value) of one cell; CellError (French) when it breaks the standard."""
    if key in lieux.COLUMN_PARSERS:
        field, parse = lieux.COLUMN_PARSERS[key]
        try:
            value = parse(v.formula_unescape(text))
        except lieux.StandardValueError as exc:
            raise v.CellError(str(exc)) from None
        if field == "opening_hours":
            value = _opening_hours(value)
        return field, value
    field, parse = EXTRA_PARSERS[key]
    return field, parse(text)


def _opening_hours(value: str) -> str:
    """The hours in the national syntax, checked as `venue_create`/`venue_update` do (the
    agenda reads them): a row error in French otherwise."""
    try:
        return opening_hours_clean(value)
    except ValidationError as exc:
        raise v.CellError(" ".join(exc.messages)) from None


class VenueOps:
    def __init__(self):
        self.creates: list[Venue] = []
        self.updates: dict[int, tuple[Venue, set[str]]] = {}


def _same(field: str, old, new) -> bool:
    if field == "commune":
        return (old.pk if old else None) == (new.pk if new else None)
    if field in ("latitude", "longitude") and old is not None and new is not None:
        return abs(old - new) < 1e-9
    if field == "other_services":
        return "\n".join(s.strip() for s in (old or "").splitlines() if s.strip()) == new
    return old == new


def plan_venues(*, user, records: list[Record], plan: ImportPlan, scope, structures) -> VenueOps:
    rows = _venue_rows(records, plan)
    known = _KnownVenues(rows)
    ops = VenueOps()
    seen: dict[object, int] = {}
    for record, parsed in rows:
        line = record.line
        found, venue = _existing_venue(plan, line, parsed, scope, known, structures, record)
        if not found:
            continue
        structure = venue.structure if venue is not None else parsed.get("structure")
        if venue is None and structure is None:
            continue
        key = venue.pk if venue is not None else _new_key(structure, parsed)
        if key in seen:
            plan.error(
                line, "nom", _("ce lieu apparaît déjà ligne %(other)d.") % {"other": seen[key]}
            )
            continue
        seen[key] = line
        if venue is None:
            _plan_create(ops, plan, line, parsed, structure)
        else:
            _plan_update(ops, plan, line, venue, parsed)
    return ops


def _new_key(structure, parsed) -> tuple:
    name = parsed.get("external_id") or fold(parsed.get("name", ""))
    return (structure.pk, name, getattr(parsed.get("commune"), "pk", None))


def _venue_rows(records: list[Record], plan: ImportPlan) -> list[tuple]:
    """[(record, {Venue field: value})]; errors go to the plan."""
    communes = CommuneResolver(records, "code_insee", "commune")
    rows = []
    for record in records:
        parsed = {}
        for key, text in record.values.items():
            if key not in lieux.COLUMN_PARSERS and key not in EXTRA_PARSERS:
                continue
            try:
                field, value = _cell(key, text)
            except v.CellError as exc:
                plan.cell_error(record.line, key, exc)
                continue
            if field not in NOT_FIELDS:
                parsed[field] = value
        pk = lieux.generated_id_pk(parsed.get("external_id") or "")
        if pk is not None:
            del parsed["external_id"]
            parsed["venue_pk"] = pk
        present, commune = communes.resolve(record, plan)
        if present:
            parsed["commune"] = commune
        rows.append((record, parsed))
    return rows


class _KnownVenues:
    """The venues a file names, loaded at once: by pk (our ids), by external id, and, in
    the file's communes, by (structure, folded name, commune)."""

    def __init__(self, rows: list[tuple]):
        venues = Venue.objects.select_related("commune", "structure")
        wanted = [p.get("venue_pk") for _r, p in rows]
        self.by_pk = {venue.pk: venue for venue in fetch_in(venues, "pk", wanted)}
        wanted = [p.get("external_id") for _r, p in rows]
        self.by_external = {v.external_id: v for v in fetch_in(venues, "external_id", wanted)}
        self.by_place: dict[tuple, list[Venue]] = defaultdict(list)
        communes = [getattr(p.get("commune"), "pk", None) for _r, p in rows]
        for venue in fetch_in(venues, "commune_id", communes):
            self.by_place[(venue.structure_id, fold(venue.name), venue.commune_id)].append(venue)

    def by_name(self, structure, name: str, commune) -> list[Venue]:
        return self.by_place.get((structure.pk, fold(name), commune.pk), [])


def _existing_venue(plan, line, parsed, scope, known, structures, record):
    """(go on, the existing venue the row names, if any): by our id or its external id
    (one the user's structure holds), else by structure, name and commune. Sets
    parsed["structure"] for a row that creates a venue."""
    venue = _venue_by_id(plan, line, parsed, known)
    if venue is False:
        return False, None
    if venue is not None:
        if scope is not True and venue.structure_id != scope:
            plan.error(
                line,
                "id",
                _("ce lieu appartient à une autre structure : vous ne pouvez pas le modifier."),
            )
            return False, None
        return True, venue
    try:
        structure = structures.resolve(record.values.get("structure", ""))
    except v.CellError as exc:
        plan.cell_error(line, "structure" if "structure" in plan.headers else "", exc)
        return False, None
    parsed["structure"] = structure
    commune = parsed.get("commune")
    if commune is None:
        return True, None
    same = known.by_name(structure, parsed.get("name", ""), commune)
    if len(same) > 1:
        plan.error(
            line,
            "nom",
            _(
                "plusieurs lieux de la structure portent ce nom dans cette commune : "
                "ajoutez la colonne « id »."
            ),
        )
        return False, None
    return True, same[0] if same else None


def _venue_by_id(plan, line, parsed, known):
    """The venue of the row's `id`, None when it names none, False (error) when it is one
    of our ids that no longer exists."""
    pk = parsed.pop("venue_pk", None)
    if pk is not None:
        venue = known.by_pk.get(pk)
        if venue is None:
            plan.error(line, "id", _("aucun lieu ne porte cet identifiant."))
            return False
        return venue
    external_id = parsed.get("external_id")
    return known.by_external.get(external_id) if external_id else None


def _clean(venue: Venue, line: int, plan: ImportPlan) -> bool:
    try:
        venue.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                plan.error(line, FIELD_KEYS.get(field_name, ""), str(message))
        return False
    return True


def _plan_create(ops, plan, line, parsed, structure) -> None:
    if not parsed.get("name"):
        plan.error(line, "nom", _("indiquez le nom du lieu."))
        return
    commune = parsed.get("commune")
    if commune is None:
        plan.error(line, "code_insee", _("indiquez la commune du lieu (code INSEE)."))
        return
    venue = Venue(structure=structure, **{k: val for k, val in parsed.items() if k in FIELDS})
    if venue.latitude is None and venue.longitude is None:
        venue.latitude, venue.longitude = commune.latitude, commune.longitude
    if not _clean(venue, line, plan):
        return
    ops.creates.append(venue)
    plan.add(PlanLine(line, ENTITY, CREATE, f"{venue.name} ({commune.name})"))


def _plan_update(ops, plan, line, venue, parsed) -> None:
    changed = {}
    for field in FIELDS:
        if field not in parsed:
            continue
        # No commune, no coordinates: the file leaves them as they are (a new venue's
        # coordinates are its commune's centre, which an empty cell must not erase).
        if field in ("commune", "latitude", "longitude") and parsed[field] is None:
            continue
        old, new = getattr(venue, field), parsed[field]
        if not _same(field, old, new):
            changed[field] = (old, new)
    label = str(venue)
    if not changed:
        plan.add(PlanLine(line, ENTITY, UNCHANGED, label))
        return
    for field, (_old, new) in changed.items():
        setattr(venue, field, new)
    if not _clean(venue, line, plan):
        return
    ops.updates[venue.pk] = (venue, set(changed))
    changes = [_change(plan, f, old, new) for f, (old, new) in changed.items()]
    plan.add(PlanLine(line, ENTITY, UPDATE, label, changes=changes))


def _change(plan: ImportPlan, field: str, old, new) -> str:
    if field == "commune":
        return change_text(_("Commune"), commune_label(old), commune_label(new))
    key = FIELD_KEYS.get(field, field)
    column = plan.headers.get(key, COLUMNS.fields.get(key, key))
    if field in LIST_FIELDS:
        return change_text(column, lieux.SEPARATOR.join(old), lieux.SEPARATOR.join(new))
    return change_text(column, old, new)


def external_conflicts(ops: VenueOps, plan: ImportPlan) -> None:
    wanted = {}
    for venue in ops.creates:
        if venue.external_id:
            wanted[venue.external_id] = None
    for venue, touched in ops.updates.values():
        if "external_id" in touched and venue.external_id:
            wanted[venue.external_id] = venue.pk
    taken = {
        venue.external_id: venue.pk
        for venue in fetch_in(Venue.objects.only("id", "external_id"), "external_id", wanted)
    }
    for external_id, owner in wanted.items():
        if external_id in taken and taken[external_id] != owner:
            plan.error(
                None,
                "id",
                _("l'identifiant « %(id)s » est déjà celui d'un autre lieu.") % {"id": external_id},
            )


def apply_venues(*, user, ops: VenueOps, progress=None) -> dict:
    # Venues written in bulk (no signal): the agenda's venue pages and feeds show them.
    versions.bump_now_and_on_commit(versions.AGENDA)
    Venue.objects.bulk_create(ops.creates, batch_size=BATCH)
    now = timezone.now()
    groups: dict[tuple, list[Venue]] = defaultdict(list)
    for venue, touched in ops.updates.values():
        venue.updated_at = now
        groups[tuple(sorted(touched | {"updated_at"}))].append(venue)
    for fields, venues in groups.items():
        Venue.objects.bulk_update(venues, list(fields), batch_size=BATCH)
    return {"created": len(ops.creates), "updated": len(ops.updates)}
