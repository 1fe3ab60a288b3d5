"""Reads about sessions and attendance sheets, scoped by `learners.scoping`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from common.types import AnyUser
from learners.choices import SEAT_TAKING_STATUSES, AttendanceStatus
from learners.models import (
    AnonymousParticipants,
    Attendance,
    CompetenceSummary,
    Counsellor,
    Learner,
    Observation,
    Session,
    SharingConsent,
)
from learners.scoping import scope_structure_id, sessions_visible
from learners.selectors.places import booking_seats_subquery
from workshops.models import Competence, Level

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class SeatCounts(TypedDict):
    """What `with_seats` annotates on each session."""

    seats_taken: int
    present_count: int
    waiting_count: int


# A session read through `with_seats` (a string: django_stubs_ext is a test-only package).
SessionWithSeats: TypeAlias = "WithAnnotations[Session, SeatCounts]"


def _day_start(value: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def with_seats(qs: QuerySet[Session]) -> QuerySet[SessionWithSeats]:
    """Annotate `seats_taken` (the places held, the one rule of `learners.selectors.places`:
    attendances inscrit + présent, and online sign-ups holding a place not yet linked to
    an attendance), `present_count`, `waiting_count` (the counsellor's waiting list)."""
    return qs.annotate(
        seats_taken=Count("attendances", filter=Q(attendances__status__in=SEAT_TAKING_STATUSES))
        + booking_seats_subquery(),
        present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        waiting_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.WAITING)),
    )


def sessions_for_user(
    *,
    user: AnyUser,
    start_from: datetime.date | datetime.datetime | None = None,
    start_before: datetime.date | datetime.datetime | None = None,
    mine_only: bool = False,
) -> QuerySet[SessionWithSeats]:
    """Sessions the user may see, from `start_from` (default: today 00:00, so "Mes séances"
    lists today's and upcoming ones) and before `start_before` if given, soonest first,
    annotated with `seats_taken`, `present_count`, `waiting_count`. With `mine_only`, only
    the sessions the user runs as a counsellor."""
    if start_from is None:
        start_from = timezone.localdate()
    qs = sessions_visible(user).filter(start__gte=_day_start(start_from))
    if start_before is not None:
        qs = qs.filter(start__lt=_day_start(start_before))
    # An anonymous user sees no session (`sessions_visible`), so runs none either.
    if mine_only and user.is_authenticated:
        qs = qs.filter(counsellors__user=user)
    return (
        with_seats(qs)
        .select_related("venue__commune", "atelier", "structure", "series")
        .prefetch_related(
            Prefetch("counsellors", queryset=Counsellor.objects.select_related("user"))
        )
        .order_by("start", "id")
    )


def session_get_for_user(*, user: AnyUser, session_id: int) -> SessionWithSeats:
    """One session, or `Session.DoesNotExist` when absent or out of scope."""
    return (
        with_seats(sessions_visible(user))
        .select_related("venue__commune", "atelier", "structure", "series")
        .get(pk=session_id)
    )


@dataclass
class SheetLine:
    attendance: Attendance
    # Level recorded in THIS session per competence id (the latest if recorded twice).
    levels: dict[int, Level]
    # The person's current level per competence id, from their summaries.
    current_levels: dict[int, Level]

    @property
    def learner(self) -> Learner:
        return self.attendance.learner


@dataclass
class AttendanceSheet:
    """What the attendance sheet screen needs, loaded in a constant number of queries."""

    session: SessionWithSeats
    competences: list[Competence]
    levels_by_framework: dict[int, list[Level]]
    lines: list[SheetLine]
    anonymous_participants: list[AnonymousParticipants]

    @property
    def free_places(self) -> int | None:
        if self.session.capacity is None:
            return None
        return max(self.session.capacity - self.session.seats_taken, 0)


def session_attendance_sheet(*, user: AnyUser, session_id: int) -> AttendanceSheet:
    """The sheet of one session (`Session.DoesNotExist` when out of scope): attendance with
    the people, the session's competences with the levels of their frameworks, the levels
    already recorded in this session and each person's current levels (as far as the
    session's structure may read them). Nine queries at most, whatever the number of
    people."""
    session = session_get_for_user(user=user, session_id=session_id)
    competences = list(session.competences.select_related("framework").order_by("sort_order"))
    levels_by_framework: dict[int, list[Level]] = defaultdict(list)
    for level in Level.objects.filter(
        framework_id__in={c.framework_id for c in competences}
    ).order_by("rank"):
        levels_by_framework[level.framework_id].append(level)
    levels_by_id = {lv.pk: lv for levels in levels_by_framework.values() for lv in levels}
    attendances = list(
        session.attendances.select_related("learner__commune").order_by(
            "learner__normalized_first_name", "learner__normalized_last_name", "id"
        )
    )
    learner_ids = [a.learner_id for a in attendances]
    recorded = _levels_recorded_here(session, learner_ids, levels_by_id)
    current = _current_levels(user, session, learner_ids, [c.pk for c in competences], levels_by_id)
    lines = [
        SheetLine(
            attendance=a,
            levels=recorded.get(a.learner_id, {}),
            current_levels=current.get(a.learner_id, {}),
        )
        for a in attendances
    ]
    return AttendanceSheet(
        session=session,
        competences=competences,
        levels_by_framework=dict(levels_by_framework),
        lines=lines,
        anonymous_participants=list(session.anonymous_participants.all()),
    )


def _levels_recorded_here(
    session: Session, learner_ids: list[int], levels_by_id: dict[int, Level]
) -> dict[int, dict[int, Level]]:
    """{learner id: {competence id: the level recorded in this session (the latest)}}."""
    recorded: dict[int, dict[int, Level]] = defaultdict(dict)
    for learner_id, competence_id, level_id in (
        Observation.objects.filter(session=session, learner_id__in=learner_ids)
        .order_by("id")
        .values_list("learner_id", "competence_id", "level_id")
    ):
        if level_id in levels_by_id:
            recorded[learner_id][competence_id] = levels_by_id[level_id]
    return recorded


def _current_levels(
    user: AnyUser,
    session: Session,
    learner_ids: list[int],
    competence_ids: list[int],
    levels_by_id: dict[int, Level],
) -> dict[int, dict[int, Level]]:
    """{learner id: {competence id: current level}}. The person's own (their summaries)
    for the coordination and for the people who consented to share with the session's
    structure; otherwise the last level this structure recorded itself (`learners.scoping`)."""
    current: dict[int, dict[int, Level]] = defaultdict(dict)
    shared = set(learner_ids)
    if scope_structure_id(user) is not True:
        shared = set(
            SharingConsent.objects.filter(
                structure_id=session.structure_id,
                learner_id__in=learner_ids,
                revoked_at__isnull=True,
            ).values_list("learner_id", flat=True)
        )
        for learner_id, competence_id, level_id in (
            Observation.objects.filter(
                structure_id=session.structure_id,
                learner_id__in=set(learner_ids) - shared,
                competence_id__in=competence_ids,
            )
            .order_by("observed_on", "id")
            .values_list("learner_id", "competence_id", "level_id")
        ):
            if level_id in levels_by_id:
                current[learner_id][competence_id] = levels_by_id[level_id]
    for learner_id, competence_id, level_id in CompetenceSummary.objects.filter(
        learner_id__in=shared, competence_id__in=competence_ids
    ).values_list("learner_id", "competence_id", "current_level_id"):
        if level_id in levels_by_id:
            current[learner_id][competence_id] = levels_by_id[level_id]
    return current


def sessions_with_free_places(qs: QuerySet[Session]) -> QuerySet[SessionWithSeats]:
    """Only sessions with a capacity and at least one free place (`free_places` annotated)."""
    return (
        with_seats(qs)
        .filter(capacity__isnull=False)
        .annotate(free_places=F("capacity") - F("seats_taken"))
        .filter(free_places__gt=0)
    )
