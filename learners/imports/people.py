"""Import of people (personnes accompagnées).

A row is an existing person when its "Identifiant réseau" is one the user sees, or its
"Identifiant externe" is already used in the row's structure; otherwise it is a new
person, unless the name (accents, case, hyphens ignored, first and last name in either
order) and the birth year match a person the user sees: then the row is flagged and
attached to that record (only its blank fields are filled), never duplicated; only a
record the row's structure already follows is matched, for the coordination too. A match
in another structure only, for a precise description (`identity_is_precise`), is flagged
and the person created with a link request for the coordination, which can merge the two
records (the one linking rule, `learners.services.linking`). Several matches: the row is
skipped, flagged. A record another structure created keeps its contact details, notes and
external id: the import neither shows nor changes them.

Only the columns present in the file are changed; "Structure" only applies to new people.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold
from learners.choices import AuditAction, Gender, LegalBasis, SocialStatus
from learners.models import Commune, Learner, LearnerStructure
from learners.resources import LearnerResource
from learners.scoping import learners_visible
from learners.selectors.people import identity_is_precise, other_record_is_described
from learners.services.audit import audit_log_record_many
from learners.services.linking import link_requests_record_many

from . import values as v
from .common import (
    BATCH,
    CREATE,
    SKIP,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanLine,
    Record,
    change_text,
    fetch_in,
    resource_columns,
)

ENTITY = "person"


COLUMNS = resource_columns(
    LearnerResource,
    synonyms={
        "network_id": ("Identifiant reseau", "Id réseau"),
        "external_id": ("Identifiant personne", "Identifiant", "Id", "N°", "Numéro", "Référence"),
        "first_name": ("Prenom", "Prénom usuel"),
        "last_name": ("Nom de famille", "Nom d'usage"),
        "birth_year": ("Année", "Naissance", "Année naissance"),
        "commune": ("INSEE", "Code commune", "Code INSEE commune", "Code INSEE de la commune"),
        "commune_name": ("Ville", "Commune de résidence"),
        "gender": ("Sexe",),
        "social_status": ("Statut social", "Situation"),
        "phone": ("Tél", "Tel", "Portable", "Numéro de téléphone"),
        "email": ("Email", "E-mail", "Mail", "Adresse e-mail", "Adresse électronique"),
        "contact_consent": ("Accord contact", "Consentement", "Accord", "Accord rappels"),
        "information_given_at": ("Information donnée le", "Date d'information"),
        "notes": ("Notes", "Commentaire", "Commentaires"),
        "structure": ("Structure d'accueil",),
    },
    required=(("first_name", "network_id"),),
)

GENDER = v.ChoiceParser(
    Gender,
    synonyms={
        "homme": Gender.MALE,
        "h": Gender.MALE,
        "m": Gender.MALE,
        "masculin": Gender.MALE,
        "femme": Gender.FEMALE,
        "f": Gender.FEMALE,
        "feminin": Gender.FEMALE,
        "nc": Gender.UNKNOWN,
        "non renseigne": Gender.UNKNOWN,
        "autre": Gender.UNKNOWN,
    },
)
SOCIAL_STATUS = v.ChoiceParser(
    SocialStatus,
    synonyms={
        "retraitee": SocialStatus.RETIRED,
        "etudiant": SocialStatus.STUDENT,
        "etudiante": SocialStatus.STUDENT,
        "eleve": SocialStatus.STUDENT,
        "scolarisee": SocialStatus.STUDENT,
        "demandeur d'emploi": SocialStatus.UNEMPLOYED,
        "demandeuse d'emploi": SocialStatus.UNEMPLOYED,
        "chomage": SocialStatus.UNEMPLOYED,
        "salarie": SocialStatus.EMPLOYED,
        "salariee": SocialStatus.EMPLOYED,
        "actif": SocialStatus.EMPLOYED,
        "nc": SocialStatus.UNKNOWN,
    },
)
LEGAL_BASIS = v.ChoiceParser(LegalBasis)

# Model field → import key, to put a model validation error on its column.
FIELD_KEYS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "birth_year": "birth_year",
    "commune": "commune",
    "gender": "gender",
    "social_status": "social_status",
    "phone": "phone",
    "email": "email",
    "contact_consent": "contact_consent",
    "contact_consent_at": "contact_consent",
    "legal_basis": "legal_basis",
    "information_given_at": "information_given_at",
    "notes": "notes",
    "external_id": "external_id",
}
UPDATABLE = (
    "external_id",
    "first_name",
    "last_name",
    "birth_year",
    "commune",
    "gender",
    "social_status",
    "phone",
    "email",
    "contact_consent",
    "legal_basis",
    "information_given_at",
    "notes",
)
HELD_FIELDS = frozenset({"external_id", "phone", "email", "contact_consent", "notes"})
UNKNOWN_DEFAULTS = {"gender": Gender.UNKNOWN, "social_status": SocialStatus.UNKNOWN}
CLEAN_EXCLUDE = ["structure", "commune", "network_id"]


class CommuneResolver:
    """INSEE code (and/or name) → Commune, with the communes of the file loaded at once."""

    def __init__(self, records: list[Record], code_key: str, name_key: str):
        codes, names = set(), set()
        for record in records:
            raw = record.values.get(code_key, "")
            if raw:
                try:
                    codes.add(v.insee_code(raw))
                except v.CellError:
                    pass
            elif record.values.get(name_key):
                names.add(fold(record.values[name_key]))
        self.by_code = {
            c.insee_code: c for c in fetch_in(Commune.objects.all(), "insee_code", codes)
        }
        self.by_name: dict[str, list[Commune]] = defaultdict(list)
        for commune in fetch_in(Commune.objects.all(), "normalized_name", names):
            self.by_name[commune.normalized_name].append(commune)
        self.code_key, self.name_key = code_key, name_key

    def resolve(self, record: Record, plan: ImportPlan) -> tuple[bool, Commune | None]:
        """(present in the file, commune or None). Errors go to the plan."""
        has_code = self.code_key in record.values
        has_name = self.name_key in record.values
        if not (has_code or has_name):
            return False, None
        raw_code = record.values.get(self.code_key, "")
        raw_name = record.values.get(self.name_key, "")
        if raw_code:
            try:
                code = v.insee_code(raw_code)
            except v.CellError as exc:
                plan.cell_error(record.line, self.code_key, exc)
                return True, None
            commune = self.by_code.get(code)
            if commune is None:
                plan.error(record.line, self.code_key, _("code INSEE inconnu."))
                return True, None
            if raw_name and not _same_commune(commune, raw_name):
                plan.error(
                    record.line,
                    self.name_key,
                    _(
                        "le code INSEE %(code)s est celui de « %(name)s » : corrigez le code "
                        "ou le nom de la commune."
                    )
                    % {"code": commune.insee_code, "name": commune.name},
                )
            return True, commune
        if raw_name:
            found = self.by_name.get(fold(raw_name), [])
            if len(found) == 1:
                return True, found[0]
            message = (
                _("commune inconnue : indiquez son code INSEE.")
                if not found
                else _("plusieurs communes portent ce nom : indiquez le code INSEE.")
            )
            plan.error(record.line, self.name_key, message)
            return True, None
        return True, None


def commune_label(commune: Commune | None) -> str:
    return f"{commune.name} ({commune.insee_code})" if commune is not None else ""


def _same_commune(commune: Commune, name: str) -> bool:
    folded = fold(name)
    if folded == commune.normalized_name:
        return True
    return folded in {fold(n) for n in commune.delegated_names.split("|") if n.strip()}


def parse_person(record: Record, plan: ImportPlan, communes: CommuneResolver) -> dict:
    """The fields present in the row, parsed; errors go to the plan."""
    values = record.values
    parsed: dict = {}
    parsers = {
        "network_id": lambda s: v.text(s, max_length=32).lower(),
        "external_id": lambda s: v.text(s, max_length=100),
        "first_name": lambda s: v.text(s, max_length=100),
        "last_name": lambda s: v.text(s, max_length=100),
        "birth_year": v.birth_year,
        "gender": lambda s: GENDER(s, blank=Gender.UNKNOWN),
        "social_status": lambda s: SOCIAL_STATUS(s, blank=SocialStatus.UNKNOWN),
        "phone": v.phone,
        "email": lambda s: v.text(s, max_length=254),
        "contact_consent": v.boolean,
        "legal_basis": lambda s: LEGAL_BASIS(s, blank=LegalBasis.PUBLIC_INTEREST),
        "information_given_at": v.date,
        "notes": lambda s: v.text(s, max_length=500),
    }
    for key, parser in parsers.items():
        if key in values:
            try:
                parsed[key] = parser(values[key])
            except v.CellError as exc:
                plan.cell_error(record.line, key, exc)
    present, commune = communes.resolve(record, plan)
    if present:
        parsed["commune"] = commune
    return parsed


def label_of(first_name: str, last_name: str, birth_year: int | None) -> str:
    initial = f" {last_name[:1].upper()}." if last_name else ""
    year = f" ({birth_year})" if birth_year else ""
    return f"{first_name}{initial}{year}"


class PeopleOps:
    def __init__(self):
        self.creates: list[Learner] = []
        self.updates: dict[int, tuple[Learner, set[str]]] = {}
        # (new record, other structures' records it may be): link requests on apply.
        self.link_requests: list[tuple[Learner, list[int]]] = []


def _model_errors(exc: ValidationError, line: int, plan: ImportPlan) -> None:
    for field_name, messages in exc.message_dict.items():
        key = FIELD_KEYS.get(field_name, "")
        for message in messages:
            plan.error(line, key, str(message))


def name_matches(candidates: dict, first_name: str, last_name: str, year) -> list[Learner]:
    """The candidates whose name (either order) and birth year (when both are known) match."""
    first, last = fold(first_name), fold(last_name)
    return [
        lr
        for key in {first + last, last + first}
        for lr in candidates.get(key, [])
        if year is None or lr.birth_year is None or lr.birth_year == year
    ]


def others_described(parsed: dict, matches, *, structure_id: int, readable: set) -> list[int]:
    """Ids of other structures' records that a precise description names: never attached,
    a link request for the coordination (`learners.services.linking`)."""
    first_name, last_name = parsed.get("first_name", ""), parsed.get("last_name", "")
    if not identity_is_precise(
        first_name=first_name,
        last_name=last_name,
        birth_year=parsed.get("birth_year"),
        commune=parsed.get("commune"),
    ):
        return []
    nearby = {parsed["commune"].pk} if parsed.get("commune") else set()
    return [
        lr.pk
        for lr in matches
        if (lr.pk, structure_id) not in readable
        and other_record_is_described(lr, first_name=first_name, last_name=last_name, nearby=nearby)
    ]


def plan_people(*, user, records: list[Record], plan: ImportPlan, scope, structures):
    communes = CommuneResolver(records, "commune", "commune_name")
    rows = [(record, parse_person(record, plan, communes)) for record in records]
    row_structure = _row_structures(rows, plan, structures)
    known = _KnownPeople(user, rows, row_structure)
    planner = _PeoplePlanner(plan=plan, scope=scope, known=known)
    for record, parsed in rows:
        planner.plan_row(record.line, parsed, row_structure.get(record.line))
    return planner.ops


def _row_structures(rows, plan: ImportPlan, structures) -> dict[int, object]:
    """Structures of the rows that are not identified by a network id."""
    has_structure_column = "structure" in plan.headers
    row_structure: dict[int, object] = {}
    for record, parsed in rows:
        if parsed.get("network_id"):
            continue
        try:
            row_structure[record.line] = structures.resolve(record.values.get("structure", ""))
        except v.CellError as exc:
            plan.cell_error(record.line, "structure" if has_structure_column else "", exc)
    return row_structure


class _KnownPeople:
    """The existing records the rows may name, loaded in bulk."""

    def __init__(self, user, rows, row_structure: dict[int, object]):
        structure_ids = {s.pk for s in row_structure.values()}
        self.by_network = {
            lr.network_id: lr
            for lr in fetch_in(
                learners_visible(user, include_anonymized=True).select_related("commune"),
                "network_id",
                [p.get("network_id") for _r, p in rows],
            )
        }
        ext_ids = {p["external_id"] for _r, p in rows if p.get("external_id")}
        self.by_external = {
            (lr.structure_id, lr.external_id): lr
            for lr in fetch_in(
                Learner.objects.filter(structure_id__in=structure_ids).select_related("commune"),
                "external_id",
                ext_ids,
            )
        }
        self.candidates = self._name_candidates(rows)
        # A name match only joins a record the row's structure already follows, for the
        # coordination too (`learners.services.linking`): never another structure's record.
        candidate_ids = {lr.pk for group in self.candidates.values() for lr in group}
        self.readable = {
            (link.learner_id, link.structure_id)
            for link in fetch_in(
                LearnerStructure.objects.filter(structure_id__in=structure_ids),
                "learner_id",
                candidate_ids,
            )
        }

    @staticmethod
    def _name_candidates(rows) -> dict[str, list[Learner]]:
        """Name matches across the network, for the rows that are not identified."""
        name_keys = set()
        for _record, parsed in rows:
            if parsed.get("network_id"):
                continue
            first, last = fold(parsed.get("first_name", "")), fold(parsed.get("last_name", ""))
            if first:
                name_keys.update({first + last, last + first})
        candidates: dict[str, list[Learner]] = defaultdict(list)
        for learner in fetch_in(
            Learner.objects.filter(anonymized_at__isnull=True).select_related("commune"),
            "normalized_name",
            name_keys,
        ):
            candidates[learner.normalized_name].append(learner)
        return candidates


class _PeoplePlanner:
    """Each row: an existing record to update, a new one, or an error; a person, an
    external id or a new name appears once in the file."""

    def __init__(self, *, plan: ImportPlan, scope, known: _KnownPeople):
        self.plan, self.scope, self.known = plan, scope, known
        self.ops = PeopleOps()
        self.seen_learner: dict[int, int] = {}
        self.seen_new: dict[tuple, int] = {}
        self.seen_external: dict[tuple, int] = {}
        self.now = timezone.now()

    def plan_row(self, line: int, parsed: dict, structure) -> None:
        found, learner = self._identified(line, parsed, structure)
        if not found or not self._external_first_seen(line, parsed, structure):
            return
        match_flag = ""
        if learner is None:
            learner, match_flag = self._by_name(line, parsed, structure)
            if learner is None:
                return
        if learner.pk in self.seen_learner:
            self.plan.error(
                line,
                "network_id" if parsed.get("network_id") else "first_name",
                _("cette personne apparaît déjà ligne %(other)d.")
                % {"other": self.seen_learner[learner.pk]},
            )
            return
        self.seen_learner[learner.pk] = line
        held = self.scope is True or learner.structure_id == self.scope
        _plan_update(
            self.ops,
            self.plan,
            line,
            learner,
            parsed,
            structure,
            self.now,
            match_flag=match_flag,
            held=held,
        )

    def _identified(self, line: int, parsed: dict, structure):
        """(go on, record named by the network id or the external id, if any)."""
        plan = self.plan
        network_id = parsed.get("network_id")
        if network_id:
            learner = self.known.by_network.get(network_id)
            if learner is None:
                plan.error(line, "network_id", _("identifiant réseau inconnu dans votre suivi."))
                return False, None
            if learner.is_anonymized:
                plan.error(line, "network_id", _("cette fiche a été anonymisée."))
                return False, None
            return True, learner
        if structure is None:
            return False, None
        if not parsed.get("external_id"):
            return True, None
        learner = self.known.by_external.get((structure.pk, parsed["external_id"]))
        if learner is not None and learner.is_anonymized:
            plan.error(line, "external_id", _("cette fiche a été anonymisée."))
            return False, None
        return True, learner

    def _external_first_seen(self, line: int, parsed: dict, structure) -> bool:
        if structure is None or not parsed.get("external_id"):
            return True
        key = (structure.pk, parsed["external_id"])
        if key in self.seen_external:
            self.plan.error(
                line,
                "external_id",
                _("cet identifiant apparaît déjà ligne %(other)d.")
                % {"other": self.seen_external[key]},
            )
            return False
        self.seen_external[key] = line
        return True

    def _by_name(self, line: int, parsed: dict, structure):
        """(record the name matches, its flag); (None, "") when the row is skipped, wrong
        or a new person (planned here)."""
        plan, known = self.plan, self.known
        first_name = parsed.get("first_name", "")
        if not fold(first_name):
            plan.error(line, "first_name", _("indiquez un prénom."))
            return None, ""
        last_name, year = parsed.get("last_name", ""), parsed.get("birth_year")
        matches = name_matches(known.candidates, first_name, last_name, year)
        visible = [lr for lr in matches if (lr.pk, structure.pk) in known.readable]
        others = others_described(
            parsed, matches, structure_id=structure.pk, readable=known.readable
        )
        if len(visible) > 1:
            flag = _(
                "plusieurs fiches existantes correspondent : ligne ignorée. "
                "Ajoutez la colonne « Identifiant réseau » pour choisir."
            )
            label = label_of(first_name, last_name, year)
            plan.add(PlanLine(line, ENTITY, SKIP, label, flags=[flag]))
            return None, ""
        if len(visible) == 1:
            learner = visible[0]
            match_flag = _(
                "même personne qu'une fiche existante (%(label)s) : rattachée, pas de "
                "doublon ; seuls ses champs vides sont complétés."
            ) % {"label": label_of(learner.first_name, learner.last_name, learner.birth_year)}
            return learner, match_flag
        new_key = (fold(first_name) + fold(last_name), year)
        if new_key in self.seen_new:
            plan.error(
                line,
                "first_name",
                _("cette personne apparaît déjà ligne %(other)d.")
                % {"other": self.seen_new[new_key]},
            )
            return None, ""
        self.seen_new[new_key] = line
        _plan_create(self.ops, plan, line, parsed, structure, self.now, other_ids=others)
        return None, ""


def _plan_create(ops, plan, line, parsed, structure, now, *, other_ids: list[int]) -> None:
    learner = Learner(
        structure=structure,
        first_name=parsed.get("first_name", ""),
        last_name=parsed.get("last_name", ""),
        birth_year=parsed.get("birth_year"),
        commune=parsed.get("commune"),
        gender=parsed.get("gender", Gender.UNKNOWN),
        social_status=parsed.get("social_status", SocialStatus.UNKNOWN),
        phone=parsed.get("phone", ""),
        email=parsed.get("email", ""),
        contact_consent=parsed.get("contact_consent", False),
        legal_basis=parsed.get("legal_basis", LegalBasis.PUBLIC_INTEREST),
        information_given_at=parsed.get("information_given_at"),
        notes=parsed.get("notes", ""),
        external_id=parsed.get("external_id", ""),
        last_activity_at=now,
    )
    if learner.contact_consent:
        learner.contact_consent_at = now
    learner.normalize_names()
    try:
        learner.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _model_errors(exc, line, plan)
        return
    flags = []
    if other_ids:
        flags.append(
            _(
                "une personne du même nom et de la même année est suivie par une autre "
                "structure : une demande de rattachement sera adressée à la coordination, "
                "qui pourra réunir les deux fiches."
            )
        )
        ops.link_requests.append((learner, other_ids))
    ops.creates.append(learner)
    plan.add(
        PlanLine(
            line,
            ENTITY,
            CREATE,
            label_of(learner.first_name, learner.last_name, learner.birth_year),
            flags=flags,
        )
    )


def _is_blank(learner: Learner, field: str) -> bool:
    value = getattr(learner, field)
    return value in (None, "") or value == UNKNOWN_DEFAULTS.get(field)


def _plan_update(
    ops, plan, line, learner, parsed, structure, now, *, match_flag: str, held: bool = True
) -> None:
    changed = _update_changes(learner, parsed, structure, match_flag=match_flag, held=held)
    flags = [match_flag] if match_flag else []
    label = label_of(learner.first_name, learner.last_name, learner.birth_year)
    if not changed:
        plan.add(PlanLine(line, ENTITY, UNCHANGED, label, flags=flags))
        return
    for field, (_old, new) in changed.items():
        setattr(learner, field, new)
    touched = set(changed)
    _consent_follow(learner, parsed, changed, touched, now)
    if {"first_name", "last_name"} & touched:
        learner.normalize_names()
        touched |= {"normalized_first_name", "normalized_last_name", "normalized_name"}
    try:
        learner.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _model_errors(exc, line, plan)
        return
    ops.updates[learner.pk] = (learner, touched)
    headers = COLUMNS.fields
    changes = [
        change_text(_("Commune"), commune_label(old), commune_label(new))
        if field == "commune"
        else change_text(plan.headers.get(field, headers.get(field, field)), old, new)
        for field, (old, new) in changed.items()
    ]
    plan.add(PlanLine(line, ENTITY, UPDATE, label, changes=changes, flags=flags))


def _update_changes(learner, parsed, structure, *, match_flag: str, held: bool) -> dict:
    """{field: (old, new)} for the file's columns this row may change."""
    changed: dict[str, tuple] = {}
    for field in UPDATABLE:
        if field not in parsed or not _may_change(
            learner, field, parsed[field], structure, match_flag=match_flag, held=held
        ):
            continue
        old, new = getattr(learner, field), parsed[field]
        if field == "commune":
            if (old.pk if old else None) == (new.pk if new else None):
                continue
        elif old == new:
            continue
        changed[field] = (old, new)
    return changed


def _may_change(learner, field: str, new, structure, *, match_flag: str, held: bool) -> bool:
    if not held and field in HELD_FIELDS:
        # Contact details, notes and external id are the creating structure's: another
        # structure neither reads them (in this preview) nor changes them.
        return False
    if field == "external_id" and (structure is None or learner.structure_id != structure.pk):
        # An external id belongs to the structure that created the record.
        if new and new != learner.external_id and learner.external_id:
            return False
    # A name match only completes what the record lacks; contact details need the
    # person's consent, recorded on their own record.
    return not match_flag or (
        field not in ("contact_consent", "phone", "email") and _is_blank(learner, field)
    )


def _consent_follow(learner, parsed, changed: dict, touched: set, now) -> None:
    """Withdrawn consent: no contact details are kept (as `learner_update` does); given
    consent: its date."""
    if "contact_consent" in changed and not learner.contact_consent:
        for field in ("phone", "email"):
            if getattr(learner, field) and field not in parsed:
                changed[field] = (getattr(learner, field), "")
                setattr(learner, field, "")
                touched.add(field)
        learner.contact_consent_at = None
        touched.add("contact_consent_at")
    elif learner.contact_consent and learner.contact_consent_at is None:
        learner.contact_consent_at = now
        touched.add("contact_consent_at")


def external_conflicts(ops: PeopleOps, plan: ImportPlan) -> None:
    """An external id given to a person must not be another person's in that structure."""
    wanted = {}
    for learner in ops.creates:
        if learner.external_id:
            wanted[(learner.structure_id, learner.external_id)] = None
    for learner, touched in ops.updates.values():
        if "external_id" in touched and learner.external_id:
            wanted[(learner.structure_id, learner.external_id)] = learner.pk
    if not wanted:
        return
    taken = {
        (lr.structure_id, lr.external_id): lr.pk
        for lr in fetch_in(
            Learner.objects.filter(structure_id__in={k[0] for k in wanted}).only(
                "id", "structure_id", "external_id"
            ),
            "external_id",
            {k[1] for k in wanted},
        )
    }
    for key, owner in wanted.items():
        if key in taken and taken[key] != owner:
            plan.error(
                None,
                "external_id",
                _(
                    "l'identifiant externe « %(id)s » est déjà celui d'une autre personne "
                    "de la structure."
                )
                % {"id": key[1]},
            )


def apply_people(*, user, ops: PeopleOps, progress=None) -> dict:
    now = timezone.now()
    created = Learner.objects.bulk_create(ops.creates, batch_size=BATCH)
    LearnerStructure.objects.bulk_create(
        [LearnerStructure(learner=lr, structure_id=lr.structure_id) for lr in created],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    by_fields: dict[tuple, list[Learner]] = defaultdict(list)
    for learner, touched in ops.updates.values():
        learner.last_activity_at = now
        learner.updated_at = now
        fields = tuple(sorted(touched | {"last_activity_at", "updated_at"}))
        by_fields[fields].append(learner)
    for fields, learners in by_fields.items():
        Learner.objects.bulk_update(learners, list(fields), batch_size=BATCH)
    link_requests_record_many(user=user, pairs=ops.link_requests, source="import de personnes")
    audit_log_record_many(
        user=user, action=AuditAction.CREATE, learners=created, detail="import de fichier"
    )
    for fields, learners in by_fields.items():
        shown = sorted(
            f
            for f in fields
            if not f.startswith("normalized_") and f not in ("updated_at", "last_activity_at")
        )
        audit_log_record_many(
            user=user,
            action=AuditAction.UPDATE,
            learners=learners,
            detail="import de fichier, champs : " + ", ".join(shown),
        )
    return {"created": len(created), "updated": len(ops.updates)}
