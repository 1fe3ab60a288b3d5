"""Stage 2, resolve: the sessions and people of the file matched with the database.

Every look-up is prefetched into dicts in a few queries per 2,000 distinct keys; nothing
here runs a query per row.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold
from learners.choices import Gender, SocialStatus
from learners.models import Learner, LearnerStructure, Session
from learners.scoping import learners_visible

from ..common import CHUNK, CREATE, UNCHANGED, ImportPlan, PlanLine, chunked, fetch_in
from ..people import label_of, name_matches, others_described
from .ops import AttendanceOps, PersonRef
from .parse import LEARNER_CLEAN_EXCLUDE, Context, natural_key, parse_person

# --- Sessions --------------------------------------------------------------------------


class KnownSessions:
    """The existing sessions the file may name: by external id, then by natural key, with
    their themes."""

    def __init__(self, first_of: dict[tuple, tuple[int, dict]]):
        structure_ids = {key[1] for key in first_of}
        sessions = Session.objects.filter(structure_id__in=structure_ids).select_related("venue")
        ext_ids = {key[2] for key in first_of if key[0] == "ext"}
        self.existing: dict[tuple, Session] = {
            ("ext", session.structure_id, session.external_id): session
            for session in fetch_in(sessions, "external_id", ext_ids)
        }
        starts = {parsed["start"] for _line, parsed in first_of.values() if parsed.get("start")}
        self.by_natural: dict[tuple, list[Session]] = defaultdict(list)
        for session in fetch_in(sessions, "start", starts):
            self.by_natural[natural_key(session)].append(session)
        session_ids = {s.pk for s in self.existing.values()} | {
            s.pk for group in self.by_natural.values() for s in group
        }
        self.themes_of: dict[int, set[int]] = defaultdict(set)
        through = Session.themes.through
        for chunk in chunked(session_ids, CHUNK):
            for session_id, theme_id in through.objects.filter(session_id__in=chunk).values_list(
                "session_id", "theme_id"
            ):
                self.themes_of[session_id].add(theme_id)

    def match(self, plan: ImportPlan, key: tuple, line: int, parsed: dict):
        """(found, session): session None when the file's session is new; found False
        when several existing sessions match (the error is in the plan)."""
        session = self.existing.get(key)
        if session is not None or parsed.get("start") is None or not parsed.get("kind"):
            return True, session
        natural = ("nat", key[1], parsed["start"], parsed["kind"], fold(parsed.get("title", "")))
        group = self.by_natural.get(natural, [])
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
            return False, None
        return True, group[0] if group else None


# --- People ----------------------------------------------------------------------------


class KnownPeople:
    """The existing people the file's rows may name, loaded in bulk."""

    def __init__(self, user, person_raw: dict[int, tuple]):
        people = [p for p, _sp in person_raw.values()]
        self.by_network = {
            lr.network_id: lr
            for lr in fetch_in(
                learners_visible(user, include_anonymized=True),
                "network_id",
                {p.get("network_id") for p in people},
            )
        }
        ext_pairs = {
            (sp.parsed["structure"].pk, p["person_external_id"])
            for p, sp in person_raw.values()
            if p.get("person_external_id") and not p.get("network_id")
        }
        self.by_external = {
            (lr.structure_id, lr.external_id): lr
            for lr in fetch_in(
                Learner.objects.filter(structure_id__in={k[0] for k in ext_pairs}),
                "external_id",
                {k[1] for k in ext_pairs},
            )
        }
        self.candidates = self._name_candidates(people)
        self.readable = self._readable(person_raw)
        self.now = timezone.now()

    @staticmethod
    def _name_candidates(people: list[dict]) -> dict[str, list[Learner]]:
        name_keys = set()
        for p in people:
            if not p.get("network_id"):
                first, last = fold(p.get("first_name", "")), fold(p.get("last_name", ""))
                if first:
                    name_keys.update({first + last, last + first})
        candidates: dict[str, list[Learner]] = defaultdict(list)
        for learner in fetch_in(
            Learner.objects.filter(anonymized_at__isnull=True), "normalized_name", name_keys
        ):
            candidates[learner.normalized_name].append(learner)
        return candidates

    def _readable(self, person_raw: dict[int, tuple]) -> set[tuple[int, int]]:
        # A name match only joins a record the session's structure already follows, for the
        # coordination too (`learners.services.linking`): never another structure's record.
        candidate_ids = {lr.pk for group in self.candidates.values() for lr in group}
        row_structures = {sp.parsed["structure"].pk for _p, sp in person_raw.values()}
        return {
            (link.learner_id, link.structure_id)
            for link in fetch_in(
                LearnerStructure.objects.filter(structure_id__in=row_structures),
                "learner_id",
                candidate_ids,
            )
        }


def plan_people(ctx: Context, ops: AttendanceOps, row_sessions) -> None:
    """Each row's person: an existing learner or a new one (ops.people by row and key)."""
    plan = ctx.plan
    person_raw = _people_of_rows(ctx, ops, row_sessions)
    known = KnownPeople(ctx.user, person_raw)
    refs: dict[tuple, PersonRef] = {}
    for line, (p, sp) in sorted(person_raw.items()):
        structure = sp.parsed["structure"]
        key = _identity_key(p, structure)
        if key is None:
            plan.error(
                line,
                "first_name",
                _("personne non identifiée : indiquez l'identifiant réseau ou le prénom."),
            )
            continue
        ref = refs.get(key)
        if ref is None:
            ref = _resolve_person(plan, ops, known, line, key, p, structure)
            ref = refs[key] = ref or PersonRef(None, False, line)
        if ref.learner is None:
            continue
        ops.people[("row", line)] = ref
        ops.people.setdefault(key, ref)


def _people_of_rows(ctx: Context, ops: AttendanceOps, row_sessions) -> dict[int, tuple]:
    """{line: (parsed person, session plan)} for the rows whose session and person parse."""
    person_raw: dict[int, tuple] = {}
    for record, skey in row_sessions:
        sp = ops.sessions.get(skey)
        if sp is None:
            continue
        parsed = parse_person(ctx, record)
        if parsed is not None:
            person_raw[record.line] = (parsed, sp)
    return person_raw


def _identity_key(p: dict, structure) -> tuple | None:
    """How the file names the person; None when it does not."""
    if p.get("network_id"):
        return ("net", p["network_id"])
    if p.get("person_external_id"):
        return ("ext", structure.pk, p["person_external_id"])
    first = fold(p.get("first_name", ""))
    if not first:
        return None
    return ("name", first + fold(p.get("last_name", "")), p.get("birth_year"))


def _resolve_person(plan, ops, known: KnownPeople, line, key, p, structure) -> PersonRef | None:
    if key[0] == "net":
        learner = known.by_network.get(key[1])
        if learner is None:
            plan.error(line, "network_id", _("identifiant réseau inconnu dans votre suivi."))
            return None
        if learner.is_anonymized:
            plan.error(line, "network_id", _("cette fiche a été anonymisée."))
            return None
        return PersonRef(learner, False, line)
    if key[0] == "ext":
        learner = known.by_external.get((key[1], key[2]))
        if learner is not None:
            if learner.is_anonymized:
                plan.error(line, "person_external_id", _("cette fiche a été anonymisée."))
                return None
            return PersonRef(learner, False, line)
    return _resolve_by_name(plan, ops, known, line, p, structure)


def _resolve_by_name(plan, ops, known: KnownPeople, line, p, structure) -> PersonRef | None:
    """One record the session's structure follows: attached and flagged; several: an
    error; none: a new learner (with a link request when another structure's record
    matches a precise description)."""
    first_name, last_name = p.get("first_name", ""), p.get("last_name", "")
    if not fold(first_name):
        plan.error(
            line, "first_name", _("personne inconnue : indiquez son prénom pour créer sa fiche.")
        )
        return None
    year = p.get("birth_year")
    matches = name_matches(known.candidates, first_name, last_name, year)
    visible = [lr for lr in matches if (lr.pk, structure.pk) in known.readable]
    others = others_described(p, matches, structure_id=structure.pk, readable=known.readable)
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
        return _attach(plan, line, label, visible[0])
    learner = _new_learner(plan, line, p, structure, known.now)
    if learner is None:
        return None
    _plan_new_person(plan, ops, line, label, learner, others)
    return PersonRef(learner, True, line)


def _attach(plan, line, label, learner) -> PersonRef:
    flag = _("même personne qu'une fiche existante (%(label)s) : rattachée, pas de doublon.") % {
        "label": label_of(learner.first_name, learner.last_name, learner.birth_year)
    }
    plan.add(PlanLine(line, "person", UNCHANGED, label, flags=[flag]))
    return PersonRef(learner, False, line)


def _new_learner(plan, line, p, structure, now) -> Learner | None:
    learner = Learner(
        structure=structure,
        first_name=p.get("first_name", ""),
        last_name=p.get("last_name", ""),
        birth_year=p.get("birth_year"),
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
    return learner


def _plan_new_person(plan, ops, line, label, learner, others) -> None:
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
