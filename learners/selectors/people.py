"""Reads about people, scoped by `learners.scoping` (the user always comes first)."""

from __future__ import annotations

import math
from collections.abc import Container, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from common.text import fold
from common.types import AnyUser
from learners.models import (
    Attendance,
    AuditLog,
    Commune,
    CompetenceSummary,
    Learner,
    LearnerStructure,
    LinkRequest,
    Observation,
    SharingConsent,
)
from learners.progress import summary_replay
from learners.roles import can_use_tracking, is_coordinator
from learners.scoping import (
    attendances_of_learner,
    has_consent,
    holds_record,
    learners_visible,
    observations_of_learner,
    scope_structure_id,
)

from .progress import CompetenceProgress, competence_progress_list, summaries_with_levels

NEARBY_KM = 15
KM_PER_DEGREE = 111.2


def learners_for_user(
    *, user: AnyUser, search: str = "", include_anonymized: bool = False
) -> QuerySet[Learner]:
    """The people `user` may see, optionally filtered by a name typed any way ("helene",
    "Hélène", "jean pierre"): prefix of the first name, the last name or both together.
    Empty for partner editors and anyone without a tracking role."""
    qs = learners_visible(user, include_anonymized=include_anonymized)
    folded = fold(search)
    if folded:
        qs = qs.filter(
            Q(normalized_first_name__startswith=folded)
            | Q(normalized_last_name__startswith=folded)
            | Q(normalized_name__startswith=folded)
        )
    return qs.select_related("commune")


def learner_get_for_user(
    *, user: AnyUser, learner_id: int, include_anonymized: bool = False
) -> Learner:
    """One person, or `Learner.DoesNotExist` when absent OR out of scope (same exception,
    so a view answers 404 and never says whether the record exists). The view records the
    read with `audit_log_record(action=AuditAction.READ, ...)`."""
    return (
        learners_for_user(user=user, include_anonymized=include_anonymized)
        .select_related("structure")
        .get(pk=learner_id)
    )


@dataclass(frozen=True)
class MatchCandidate:
    """A possible existing record. For a record the user's structure follows (or any, for
    the coordination): first name, last-name initial, birth year, commune and its id.
    For another structure's record: only the birth year (`other_structure` True), the
    least that avoids a duplicate: « une personne née en 1953 est déjà suivie par une
    autre structure du réseau »."""

    first_name: str
    last_initial: str
    birth_year: int | None
    commune_name: str
    learner_id: int | None
    score: int
    other_structure: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}." if self.last_initial else self.first_name


def communes_nearby(commune: Commune, *, radius_km: float = NEARBY_KM) -> list[str]:
    """INSEE codes of the communes whose centre is within `radius_km` (one query)."""
    if commune.latitude is None or commune.longitude is None:
        return [commune.insee_code]
    dlat = radius_km / KM_PER_DEGREE
    dlng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(commune.latitude)), 0.01))
    nearby = [commune.insee_code]
    for other in Commune.objects.filter(
        latitude__range=(commune.latitude - dlat, commune.latitude + dlat),
        longitude__range=(commune.longitude - dlng, commune.longitude + dlng),
    ).only("insee_code", "latitude", "longitude"):
        distance = commune.distance_km(other)
        if (
            distance is not None
            and distance <= radius_km
            and other.insee_code != commune.insee_code
        ):
            nearby.append(other.insee_code)
    return nearby


def learner_match_queryset(
    *,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    birth_year_tolerance: int = 1,
) -> QuerySet[Learner]:
    """The records that may be the person described, across ALL structures: UNSCOPED, so
    never hand it to a template or an API. `learner_match_candidates` reduces it to safe
    fields through `learner_link_match`, the one rule."""
    first, last = fold(first_name), fold(last_name)
    if not first:
        return Learner.objects.none()
    if last:
        names = (
            Q(normalized_name=first + last)
            | Q(normalized_name=last + first)
            | Q(normalized_first_name=first, normalized_last_name="")
        )
    else:
        names = Q(normalized_first_name=first)
    qs = Learner.objects.filter(names, anonymized_at__isnull=True)
    if birth_year is not None:
        qs = qs.filter(
            Q(
                birth_year__range=(
                    birth_year - birth_year_tolerance,
                    birth_year + birth_year_tolerance,
                )
            )
            | Q(birth_year__isnull=True)
        )
    if commune is not None:
        qs = qs.filter(
            Q(commune__department_code=commune.department_code)
            | Q(commune_id__in=communes_nearby(commune))
            | Q(commune__isnull=True)
        )
    return qs


# --- The linking rule: who a described person may already be ---------------------------
# Read-only, so it lives with the other reads; the linking services, the quick creation
# and the imports all call it (one rule for every path).


def identity_is_precise(
    *, first_name: str, last_name: str = "", birth_year: int | None, commune: Commune | None = None
) -> bool:
    """May a description be compared with other structures' records? A first name alone
    (or with a birth year only) would let anyone list the people of the network: ask the
    first name, the birth year, and the last name or the commune of residence (the
    national record makes the last name optional, the commune is always asked)."""
    if not fold(first_name) or birth_year is None:
        return False
    return bool(fold(last_name)) or commune is not None


@dataclass(frozen=True)
class LinkMatch:
    """What the matcher found for a description. `own` are records the user's structure
    follows (or, for the coordination, every record), safe to name. `other_ids` are
    records of other structures only: server-side, never sent to a page; a page says
    only how many and their birth years (`other_birth_years`)."""

    own: list[Learner]
    other_ids: list[int]
    other_birth_years: list[int | None]

    @property
    def is_empty(self) -> bool:
        return not self.own and not self.other_ids


def learner_link_match(
    *,
    user: AnyUser,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    structure_id: int | None = None,
    limit: int = 10,
) -> LinkMatch:
    """Records that may be the person described. `structure_id` narrows a coordinator's
    "own" records to one structure's (an import for that structure). An imprecise
    description still finds the structure's own records by name, never the others'."""
    empty = LinkMatch(own=[], other_ids=[], other_birth_years=[])
    scope = scope_structure_id(user)
    if scope is None or not fold(first_name):
        return empty
    if scope is not True:
        structure_id = scope
    qs = learner_match_queryset(
        first_name=first_name, last_name=last_name, birth_year=birth_year, commune=commune
    ).select_related("commune")
    rows = list(qs[: limit * 5])
    if structure_id is None:
        followed = {row.pk for row in rows}
    else:
        followed = set(
            LearnerStructure.objects.filter(
                structure_id=structure_id, learner_id__in=[row.pk for row in rows]
            ).values_list("learner_id", flat=True)
        )
    own = [row for row in rows if row.pk in followed][:limit]
    others = []
    if identity_is_precise(
        first_name=first_name, last_name=last_name, birth_year=birth_year, commune=commune
    ):
        others = [row for row in rows if row.pk not in followed]
        if others:
            others = _confirmed_by_the_record(
                others, first_name=first_name, last_name=last_name, commune=commune
            )[:limit]
    return LinkMatch(
        own=own,
        other_ids=[row.pk for row in others],
        other_birth_years=[row.birth_year for row in others],
    )


def other_record_is_described(
    row: Learner, *, first_name: str, last_name: str, nearby: Container[str]
) -> bool:
    """Does the precise part of a description match another structure's record in the
    record itself, not through a tolerance of the matcher: its full name (a record
    without a last name would match any last name typed), or its birth year and its
    commune of residence among `nearby` (INSEE codes; the matcher's "same département"
    is the whole network, and a record without commune matches any commune). Otherwise
    a first name, a year and a made-up last name or any commune of the département
    would list the network's people with their birth years. Used by every path."""
    first, last = fold(first_name), fold(last_name)
    if last and row.normalized_name in {first + last, last + first}:
        return True
    return row.birth_year is not None and row.commune_id is not None and row.commune_id in nearby


def _confirmed_by_the_record(
    rows: Iterable[Learner], *, first_name: str, last_name: str, commune: Commune | None
) -> list[Learner]:
    nearby = set(communes_nearby(commune)) if commune is not None else set()
    return [
        row
        for row in rows
        if other_record_is_described(row, first_name=first_name, last_name=last_name, nearby=nearby)
    ]


def learner_match_candidates(
    *,
    user: AnyUser,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    limit: int = 10,
) -> list[MatchCandidate]:
    """People who may be the person about to be created (`learner_match_pairs`)."""
    return [
        candidate
        for candidate, _pk in learner_match_pairs(
            user=user,
            first_name=first_name,
            last_name=last_name,
            birth_year=birth_year,
            commune=commune,
            limit=limit,
        )
    ]


def learner_match_pairs(
    *,
    user: AnyUser,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    limit: int = 10,
) -> list[tuple[MatchCandidate, int]]:
    """The match hints, by the one linking rule (`learner_link_match`), each with
    its record's primary key for server-side use only (a view keeps the keys in the
    session, never in the page).

    Names match ignoring accents, case, spaces and hyphens, first and last names either
    way round; birth year ± 1 (or unknown); commune in the same département or within
    15 km (or unknown). Records the user's structure follows come first, named; other
    structures' records only for a precise description (`identity_is_precise`), with
    their birth year alone. Nothing for users without a tracking role."""
    if not can_use_tracking(user):
        return []
    match = learner_link_match(
        user=user,
        first_name=first_name,
        last_name=last_name,
        birth_year=birth_year,
        commune=commune,
        limit=limit,
    )
    own = _own_candidates(
        match.own,
        first_name=first_name,
        last_name=last_name,
        birth_year=birth_year,
        commune=commune,
    )
    others = [
        (
            MatchCandidate(
                first_name="",
                last_initial="",
                birth_year=year,
                commune_name="",
                learner_id=None,
                score=0,
                other_structure=True,
            ),
            pk,
        )
        for pk, year in zip(match.other_ids, match.other_birth_years, strict=True)
    ]
    return (own + others)[:limit]


def _own_candidates(
    rows: Iterable[Learner],
    *,
    first_name: str,
    last_name: str,
    birth_year: int | None,
    commune: Commune | None,
) -> list[tuple[MatchCandidate, int]]:
    """The records the user's structure follows, named, the closest description first."""
    first, last = fold(first_name), fold(last_name)

    def score(row: Learner) -> int:
        points = 2 if last and row.normalized_name == first + last else 0
        points += 1 if birth_year is not None and row.birth_year == birth_year else 0
        points += 1 if commune is not None and row.commune_id == commune.insee_code else 0
        return points

    own = [
        (
            MatchCandidate(
                first_name=row.first_name,
                last_initial=row.last_name[:1].upper(),
                birth_year=row.birth_year,
                commune_name=row.commune.name if row.commune is not None else "",
                learner_id=row.pk,
                score=score(row),
            ),
            row.pk,
        )
        for row in rows
    ]
    own.sort(key=lambda pair: (-pair[0].score, pair[0].first_name, pair[0].last_initial))
    return own


@dataclass
class LearnerProgress:
    """A person's page: the competences and the observation history the user may read, and
    the sessions attended that the user may read (`learners.scoping`).

    Without the person's consent, a counsellor's structure reads only what it recorded:
    competence levels are then computed from its own observations (`shared` False), and
    nothing says whether the person was seen elsewhere. `holds_record`: the user may read
    the contact details, notes and carnet (creating structure, consent or coordination)."""

    learner: Learner
    competences: list[CompetenceProgress]
    observations: list[Observation]
    attendances: list[Attendance]
    shared: bool
    holds_record: bool


def _summaries_from(observations: list[Observation]) -> list[CompetenceSummary]:
    """Unsaved summaries (with their levels and competence attached) built from these
    observations alone, by the same rules as the stored ones (`learners.progress`)."""
    by_competence: dict[int, list[Observation]] = {}
    for observation in observations:
        by_competence.setdefault(observation.competence_id, []).append(observation)
    summaries = []
    for items in by_competence.values():
        levels = {o.level_id: o.level for o in items}
        state = summary_replay((o.level_id, o.level.rank, o.observed_on) for o in items)
        assert state is not None  # items holds at least one observation
        summary = CompetenceSummary(learner_id=items[0].learner_id, **state.as_fields())
        summary.competence = items[0].competence
        summary.first_level = levels[state.first_level_id]
        summary.current_level = levels[state.current_level_id]
        summary.best_level = levels[state.best_level_id]
        summaries.append(summary)
    summaries.sort(
        key=lambda s: (s.competence.framework.name, s.competence.sort_order, s.competence.code)
    )
    return summaries


def progress_for_learner(
    *, user: AnyUser, learner_id: int, attendance_limit: int = 100
) -> LearnerProgress:
    """Everything the person's page shows, in a constant number of queries.
    Raises `Learner.DoesNotExist` when out of scope.

    Observations come with their level, attendances with the session fields, venue and
    commune the page shows, and nothing else (a person followed for years has hundreds
    of rows; each object built costs): other relations load one query per object."""
    learner = learner_get_for_user(user=user, learner_id=learner_id)
    consent = has_consent(user, learner)
    holds = holds_record(user, learner, consent=consent)
    readable = observations_of_learner(user, learner, consent=consent)
    observations = list(
        readable.select_related("level", "competence__framework", "competence__domain").order_by(
            "observed_on", "id"
        )
    )
    if consent:
        # The whole progression: the stored summaries are the person's.
        competences = competence_progress_list(
            summaries_with_levels(learner.competence_summaries.all())
        )
    else:
        competences = competence_progress_list(_summaries_from(observations))
    visible = attendances_of_learner(user, learner, consent=consent)
    attendances = list(
        visible.select_related("session__venue__commune")
        .only(
            "status",
            "learner_id",
            "session__start",
            "session__title",
            "session__kind",
            "session__place_type",
            "session__venue__name",
            "session__venue__commune__name",
        )
        .order_by("-session__start")[:attendance_limit]
    )
    return LearnerProgress(
        learner=learner,
        competences=competences,
        observations=observations,
        attendances=attendances,
        shared=consent,
        holds_record=holds,
    )


def sharing_consent_own(*, user: AnyUser, learner: Learner) -> SharingConsent | None:
    """The active consent the counsellor's structure holds for this person, if any."""
    scope = scope_structure_id(user)
    if scope is None or scope is True:
        return None
    return SharingConsent.objects.filter(
        learner_id=learner.pk, structure_id=scope, revoked_at__isnull=True
    ).first()


def sharing_consents_for_page(*, user: AnyUser, learner: Learner) -> dict:
    """The person's page: every consent for the coordination (one query), the
    structure's own for a counsellor (one query)."""
    if is_coordinator(user):
        consents = list(
            SharingConsent.objects.filter(learner_id=learner.pk).select_related("structure")
        )
        return {"consents": consents, "own_consent": None}
    return {"consents": [], "own_consent": sharing_consent_own(user=user, learner=learner)}


def link_requests_open(*, user: AnyUser) -> QuerySet[LinkRequest]:
    """Open link requests, oldest first, for coordinators only (empty for anyone else)."""
    if not is_coordinator(user):
        return LinkRequest.objects.none()
    return (
        LinkRequest.objects.filter(
            closed_at__isnull=True,
            learner__anonymized_at__isnull=True,
        )
        .select_related("structure", "learner__structure", "own_record")
        .order_by("requested_at", "id")
    )


def audit_logs_for_user(
    *, user: AnyUser, learner_id: int | None = None, user_id: int | None = None
) -> QuerySet[AuditLog]:
    """The audit log, for coordinators only (empty for everyone else), filterable by
    person and by user."""
    if not is_coordinator(user):
        return AuditLog.objects.none()
    qs = AuditLog.objects.all()
    if learner_id is not None:
        qs = qs.filter(learner_id=learner_id)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    return qs
