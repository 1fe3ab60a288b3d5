"""What each spreadsheet export contains: the same scoped selectors as the lists on screen.

Every function takes the requesting `user` first and returns the rows that user sees in
the matching list, with what the resource reads loaded in a constant number of queries
(select_related / prefetch_related, never one query per row):

- people: `people_search` (the "Personnes" list; `query` is its search box);
- sessions: `sessions_for_user` ("Mes séances"), all dates unless a period is given;
- attendance: the attendance of the sessions the user sees (`session_id`: one sheet);
- venues: `venues_for_user` (coordinators all, a counsellor their structure's);
- observations: the observations of the people the user sees (`learner_id`: one person).

Partner editors, anonymous users and anyone without a tracking role get empty querysets
(the views refuse them before that).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Model,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from common.types import AnyUser
from learners.models import Attendance, Learner, Observation, Session, Venue
from learners.scoping import (
    attendances_visible,
    consented_learner_ids,
    observations_visible,
    scope_structure_id,
    sessions_visible,
)
from workshops.models import Theme

from .admin_people import people_search
from .organisations import venues_for_user
from .sessions import sessions_for_user

_M = TypeVar("_M", bound=Model)

ALL_FROM = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class ExportFilters:
    """Filters of the lists, from the export link's query string (all optional)."""

    query: str = ""  # people: the search box
    start_from: datetime.date | None = None  # sessions, attendance, observations, activity
    start_before: datetime.date | None = None
    mine_only: bool = False  # sessions: only those the user runs
    session_id: int | None = None  # attendance: one session's sheet
    learner_id: int | None = None  # observations: one person


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _themes_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}themes", queryset=Theme.objects.order_by("sort_order", "name"))


def people_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Learner]:
    """The people of the list, each with `held`: may the user read their contact
    details, notes and external id (`learners.scoping.holds_record`)? The resource
    leaves those cells empty otherwise."""
    qs = people_search(user=user, query=filters.query)
    scope = scope_structure_id(user)
    if scope is True or scope is None:
        return qs.annotate(held=Value(scope is True, output_field=BooleanField()))
    return qs.annotate(
        held=ExpressionWrapper(
            Q(structure_id=scope) | Q(pk__in=consented_learner_ids(scope)),
            output_field=BooleanField(),
        )
    )


def sessions_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Session]:
    return (
        sessions_for_user(
            user=user,
            start_from=filters.start_from or ALL_FROM,
            start_before=filters.start_before,
            mine_only=filters.mine_only,
        )
        .select_related("venue__commune", "structure")
        .prefetch_related(_themes_prefetch())
    )


def _period(qs: QuerySet[_M], filters: ExportFilters, field: str) -> QuerySet[_M]:
    if filters.start_from is not None:
        qs = qs.filter(**{f"{field}__gte": _day_start(filters.start_from)})
    if filters.start_before is not None:
        qs = qs.filter(**{f"{field}__lt": _day_start(filters.start_before)})
    return qs


def attendance_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Attendance]:
    qs = _period(attendances_visible(user), filters, "session__start")
    if filters.session_id is not None:
        qs = qs.filter(session_id=filters.session_id)
    return (
        qs.select_related("session__venue__commune", "session__structure", "learner__commune")
        .prefetch_related(_themes_prefetch("session__"))
        .order_by("session__start", "session_id", "learner__normalized_first_name", "id")
    )


def venues_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Venue]:
    # The national standard's row reads the structure's SIRET and the commune.
    return venues_for_user(user=user).select_related("structure", "commune").order_by("name", "id")


def observations_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Observation]:
    qs = observations_visible(user)
    if filters.start_from is not None:
        qs = qs.filter(observed_on__gte=filters.start_from)
    if filters.start_before is not None:
        qs = qs.filter(observed_on__lt=filters.start_before)
    if filters.learner_id is not None:
        qs = qs.filter(learner_id=filters.learner_id)
    return qs.select_related("learner", "competence__framework", "level", "session").order_by(
        "learner__normalized_first_name", "learner_id", "observed_on", "id"
    )


def activity_sessions_for_export(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Session]:
    """Sessions that took place (started before now) in the period, for the national
    activity export."""
    qs = _period(sessions_visible(user), filters, "start").filter(start__lte=timezone.now())
    return (
        qs.select_related("venue__commune", "structure", "place_commune")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.select_related("parent")))
        .order_by("start", "id")
    )
