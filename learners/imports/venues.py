"""Import of venues (lieux), from our own export or the national "lieux de médiation
numérique" data standard (its column names `id`, `nom`, `adresse`, `code_postal`,
`code_insee`, `commune`, `horaires`, `telephone`, `courriels`, `site_web`,
`publics_specifiquement_adresses`, `prise_en_charge_specifique` are understood).

A row is an existing venue when its "Identifiant lieu" is known (network-wide), or when
the row's structure already has a venue of that name in that commune; otherwise it is
created. A counsellor may only create or change the venues of their own structure.
Coordinates default to the commune's centre for a new venue.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from caching import versions
from common.text import fold
from learners.models import Venue
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
        "external_id": ("id", "Identifiant", "Identifiant du lieu", "Identifiant externe"),
        "name": ("Nom du lieu", "Lieu"),
        "postal_code": ("CP", "code_postal"),
        "commune": ("code_insee", "INSEE", "Code commune"),
        "commune_name": ("Ville",),
        "opening_hours": ("Horaires d'ouverture",),
        "publics": ("publics_specifiquement_adresses", "Publics spécifiquement adressés"),
        "accessibility": ("prise_en_charge_specifique", "Prise en charge spécifique"),
        "phone": ("telephone", "Tél", "Tel"),
        "email": ("courriels", "Email", "E-mail"),
        "website": ("site_web", "Site internet", "Site"),
        "is_active": ("Actif",),
    },
    required=(("name",), ("commune", "commune_name")),
)
FIELDS = (
    "external_id",
    "name",
    "address",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "opening_hours",
    "services",
    "publics",
    "accessibility",
    "phone",
    "email",
    "website",
    "is_active",
)
FIELD_KEYS = {name: name for name in FIELDS}
CLEAN_EXCLUDE = ["structure", "commune"]


def _opening_hours(value: str) -> str:
    """The hours in the national syntax, checked as `venue_create`/`venue_update` do (the
    agenda reads them): a row error in French otherwise."""
    try:
        return opening_hours_clean(value)
    except ValidationError as exc:
        raise v.CellError(" ".join(exc.messages)) from None


def _coordinate(limit: float):
    def parse(value: str):
        number = v.decimal(value)
        if number is not None and not -limit <= number <= limit:
            raise v.CellError(_("coordonnée hors limites (degrés décimaux attendus)."))
        return number

    return parse


PARSERS = {
    "external_id": lambda s: v.text(s, max_length=100),
    "name": lambda s: v.text(s, max_length=200),
    "address": lambda s: v.text(s, max_length=300),
    "postal_code": v.postal_code,
    "latitude": _coordinate(90),
    "longitude": _coordinate(180),
    "opening_hours": lambda s: _opening_hours(s),
    "services": lambda s: "\n".join(v.split_list(s)),
    "publics": lambda s: v.text(s, max_length=300),
    "accessibility": lambda s: v.text(s, max_length=2000),
    "phone": lambda s: v.phone(s),
    "email": lambda s: v.text(s, max_length=254),
    "website": lambda s: v.text(s, max_length=200),
    "is_active": lambda s: v.boolean(s) if s.strip() else True,
}


class VenueOps:
    def __init__(self):
        self.creates: list[Venue] = []
        self.updates: dict[int, tuple[Venue, set[str]]] = {}


def _same(field: str, old, new) -> bool:
    if field == "commune":
        return (old.pk if old else None) == (new.pk if new else None)
    if field in ("latitude", "longitude") and old is not None and new is not None:
        return abs(old - new) < 1e-9
    if field == "services":
        return "\n".join(s.strip() for s in (old or "").splitlines() if s.strip()) == new
    return old == new


def plan_venues(*, user, records: list[Record], plan: ImportPlan, scope, structures) -> VenueOps:
    rows = _venue_rows(records, plan, structures)
    by_external, by_name = _known_venues(rows)
    ops = VenueOps()
    seen: dict[object, int] = {}
    for record, parsed, structure in rows:
        line = record.line
        found, venue = _existing_venue(plan, line, parsed, structure, scope, by_external, by_name)
        if not found or (structure is None and venue is None):
            continue
        key = (
            venue.pk
            if venue is not None
            else (
                structure.pk,
                fold(parsed.get("name", "")),
                getattr(parsed.get("commune"), "pk", None),
            )
        )
        if key in seen:
            plan.error(
                line, "name", _("ce lieu apparaît déjà ligne %(other)d.") % {"other": seen[key]}
            )
            continue
        seen[key] = line
        if venue is None:
            _plan_create(ops, plan, line, parsed, structure)
        else:
            _plan_update(ops, plan, line, venue, parsed)
    return ops


def _venue_rows(records: list[Record], plan: ImportPlan, structures) -> list[tuple]:
    """[(record, parsed cells, structure or None)]; errors go to the plan."""
    communes = CommuneResolver(records, "commune", "commune_name")
    rows = []
    for record in records:
        parsed = {}
        for key, parser in PARSERS.items():
            if key in record.values:
                try:
                    parsed[key] = parser(record.values[key])
                except v.CellError as exc:
                    plan.cell_error(record.line, key, exc)
        present, commune = communes.resolve(record, plan)
        if present:
            parsed["commune"] = commune
        try:
            structure = structures.resolve(record.values.get("structure", ""))
        except v.CellError as exc:
            plan.cell_error(record.line, "structure" if "structure" in plan.headers else "", exc)
            structure = None
        rows.append((record, parsed, structure))
    return rows


def _known_venues(rows: list[tuple]):
    """({external id: venue}, {(structure, folded name, commune): [venues]})."""
    by_external = {
        venue.external_id: venue
        for venue in fetch_in(
            Venue.objects.select_related("commune"),
            "external_id",
            [p.get("external_id") for _r, p, _s in rows],
        )
    }
    by_name: dict[tuple, list[Venue]] = defaultdict(list)
    for venue in Venue.objects.filter(
        structure_id__in={s.pk for _r, _p, s in rows if s is not None}
    ).select_related("commune"):
        by_name[(venue.structure_id, fold(venue.name), venue.commune_id)].append(venue)
    return by_external, by_name


def _existing_venue(plan, line, parsed, structure, scope, by_external, by_name):
    """(go on, the existing venue the row names, if any): by external id (one the user's
    structure holds), else by structure, name and commune."""
    venue = None
    external_id = parsed.get("external_id")
    if external_id:
        venue = by_external.get(external_id)
        if venue is not None and scope is not True and venue.structure_id != scope:
            plan.error(
                line,
                "external_id",
                _("ce lieu appartient à une autre structure : vous ne pouvez pas le modifier."),
            )
            return False, None
    commune = parsed.get("commune")
    if venue is not None or structure is None or commune is None:
        return True, venue
    same = by_name.get((structure.pk, fold(parsed.get("name", "")), commune.pk), [])
    if len(same) > 1:
        plan.error(
            line,
            "name",
            _(
                "plusieurs lieux de la structure portent ce nom dans cette commune : "
                "ajoutez la colonne « Identifiant lieu »."
            ),
        )
        return False, None
    return True, same[0] if same else None


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
        plan.error(line, "name", _("indiquez le nom du lieu."))
        return
    commune = parsed.get("commune")
    if commune is None:
        plan.error(line, "commune", _("indiquez la commune du lieu (code INSEE)."))
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
        if field == "commune" and parsed[field] is None:
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
    changes = [
        change_text(_("Commune"), commune_label(old), commune_label(new))
        if f == "commune"
        else change_text(plan.headers.get(f, COLUMNS.fields.get(f, f)), old, new)
        for f, (old, new) in changed.items()
    ]
    plan.add(PlanLine(line, ENTITY, UPDATE, label, changes=changes))


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
                "external_id",
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
