"""Reads about people, scoped by `learners.scoping` (the user always comes first)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from learners.models import (
    Attendance,
    AuditLog,
    Commune,
    Learner,
    LearnerStructure,
    Observation,
)
from learners.roles import can_use_tracking, is_coordinator
from learners.scoping import (
    attendances_visible,
    learners_visible,
    scope_structure_id,
)
from learners.text import fold

from .progress import CompetenceProgress, competence_progress_list, summaries_with_levels

NEARBY_KM = 15
KM_PER_DEGREE = 111.2


def learners_for_user(
    *, user, search: str = "", include_anonymized: bool = False
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


def learner_get_for_user(*, user, learner_id: int, include_anonymized: bool = False) -> Learner:
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
    """A possible existing record, with only safe fields. `learner_id` is set only when the
    user may open that record (coordinator, or a person their structure already follows)."""

    first_name: str
    last_initial: str
    birth_year: int | None
    commune_name: str
    learner_id: int | None
    score: int

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
    fields; `learners.services.sharing` checks with it that a record a counsellor attaches
    to their structure is one the match showed them."""
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


def learner_match_candidates(
    *,
    user,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    birth_year_tolerance: int = 1,
    limit: int = 10,
) -> list[MatchCandidate]:
    """People across ALL structures who may be the person about to be created.

    Names match ignoring accents, case, spaces and hyphens ("Helene" finds "Hélène",
    "Jean-Pierre" finds "jean pierre"); a record without a last name matches on the first
    name; first and last names typed the other way round match too. With `birth_year`,
    only records within ± `birth_year_tolerance` years (or without a year); with `commune`,
    only records in the same département or within 15 km (or without a commune).
    Anonymised records never match. Nothing for users without a tracking role.
    """
    return [
        candidate
        for candidate, _pk in learner_match_pairs(
            user=user,
            first_name=first_name,
            last_name=last_name,
            birth_year=birth_year,
            commune=commune,
            birth_year_tolerance=birth_year_tolerance,
            limit=limit,
        )
    ]


def learner_match_pairs(
    *,
    user,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    birth_year_tolerance: int = 1,
    limit: int = 10,
) -> list[tuple[MatchCandidate, int]]:
    """`learner_match_candidates` with each record's primary key beside its candidate, for
    server-side use only (a view keeps the keys in the session so that "c'est cette
    personne" never puts the id of an unreadable record in the page)."""
    if not can_use_tracking(user):
        return []
    first, last = fold(first_name), fold(last_name)
    if not first:
        return []
    qs = learner_match_queryset(
        first_name=first_name,
        last_name=last_name,
        birth_year=birth_year,
        commune=commune,
        birth_year_tolerance=birth_year_tolerance,
    )
    rows = list(
        qs.values(
            "id",
            "first_name",
            "last_name",
            "normalized_name",
            "birth_year",
            "commune_id",
            "commune__name",
        )[: limit * 5]
    )
    scope = scope_structure_id(user)
    if scope is True:
        readable = {row["id"] for row in rows}
    else:
        readable = set(
            LearnerStructure.objects.filter(
                structure_id=scope, learner_id__in=[row["id"] for row in rows]
            ).values_list("learner_id", flat=True)
        )

    def score(row) -> int:
        points = 2 if last and row["normalized_name"] == first + last else 0
        points += 1 if birth_year is not None and row["birth_year"] == birth_year else 0
        points += 1 if commune is not None and row["commune_id"] == commune.insee_code else 0
        return points

    pairs = [
        (
            MatchCandidate(
                first_name=row["first_name"],
                last_initial=row["last_name"][:1].upper(),
                birth_year=row["birth_year"],
                commune_name=row["commune__name"] or "",
                learner_id=row["id"] if row["id"] in readable else None,
                score=score(row),
            ),
            row["id"],
        )
        for row in rows
    ]
    pairs.sort(key=lambda pair: (-pair[0].score, pair[0].first_name, pair[0].last_initial))
    return pairs[:limit]


@dataclass
class LearnerProgress:
    """A person's page: competences (network-wide: they are the person's), the observation
    history for the chart and its table, and the sessions attended that the user may see
    (`other_attendance_count` counts those in other structures' sessions)."""

    learner: Learner
    competences: list[CompetenceProgress]
    observations: list[Observation]
    attendances: list[Attendance]
    other_attendance_count: int


def progress_for_learner(*, user, learner_id: int, attendance_limit: int = 100) -> LearnerProgress:
    """Everything the person's page shows, in a constant number of queries.
    Raises `Learner.DoesNotExist` when out of scope.

    Observations come with their level, attendances with the session fields, venue and
    commune the page shows, and nothing else (a person followed for years has hundreds
    of rows; each object built costs): other relations load one query per object."""
    learner = learner_get_for_user(user=user, learner_id=learner_id)
    competences = competence_progress_list(
        summaries_with_levels(learner.competence_summaries.all())
    )
    observations = list(learner.observations.select_related("level").order_by("observed_on", "id"))
    visible = attendances_visible(user).filter(learner=learner)
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
    other = 0
    if not is_coordinator(user):
        other = learner.attendances.exclude(pk__in=visible.values("pk")).count()
    return LearnerProgress(
        learner=learner,
        competences=competences,
        observations=observations,
        attendances=attendances,
        other_attendance_count=other,
    )


def audit_logs_for_user(
    *, user, learner_id: int | None = None, user_id: int | None = None
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
