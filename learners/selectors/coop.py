"""Reads for La Coop de la médiation numérique's files (`learners.national.coop_*`).

`coop_activity_data`: the sessions of the national activity export (the same scoped
selector as the per-session activity export: the sessions the user sees, that took place,
in the period; for a counsellor's own-activity layout, only the sessions they led) with,
per session, the people marked present and the anonymous participants counted. Five
queries whatever the number of sessions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from common.types import AnyUser
from learners.age_bands import age_band_expression
from learners.choices import AttendanceStatus
from learners.models import AnonymousParticipants, Attendance, Counsellor, Session
from learners.national.coop_activities import CoopActivityData
from learners.roles import is_coordinator, user_roles
from learners.selectors.exports import ExportFilters, activity_sessions_for_export

PERSON_FIELDS = (
    "session_id",
    "band",
    "equipment",
    "autonomy",
    "referred_to",
    "learner__first_name",
    "learner__last_name",
    "learner__gender",
    "learner__social_status",
    "learner__commune__name",
    "learner__commune__insee_code",
    "learner__commune__postal_codes",
)


def coop_activity_sessions(*, user: AnyUser, filters: ExportFilters) -> QuerySet[Session]:
    """The worksheet's sessions. A coordinator gets the network's; anyone else the sessions
    they led only: that layout has no counsellor column, so La Coop files every line under
    whoever imports it (a colleague's session would become theirs)."""
    sessions = activity_sessions_for_export(user=user, filters=filters)
    if is_coordinator(user):
        return sessions
    counsellor = user_roles(user).counsellor
    if counsellor is None:
        return sessions.none()
    return sessions.filter(counsellors=counsellor)


def coop_activity_line_count(*, user: AnyUser, filters: ExportFilters) -> int:
    """The worksheet's line count (one per person present, one per anonymous participant),
    in two queries: what the export size limit is checked against."""
    visible = coop_activity_sessions(user=user, filters=filters).values("pk")
    present = Attendance.objects.filter(
        session__in=visible, status=AttendanceStatus.PRESENT
    ).count()
    anonymous = AnonymousParticipants.objects.filter(session__in=visible).aggregate(
        total=Sum("count")
    )["total"]
    return present + (anonymous or 0)


def coop_activity_data(*, user: AnyUser, filters: ExportFilters) -> CoopActivityData:
    sessions_qs = coop_activity_sessions(user=user, filters=filters).prefetch_related(
        Prefetch("counsellors", queryset=Counsellor.objects.select_related("user"))
    )
    data = CoopActivityData(sessions=list(sessions_qs))
    if not data.sessions:
        return data
    visible = coop_activity_sessions(user=user, filters=filters).values("pk")
    present = (
        Attendance.objects.filter(session__in=visible, status=AttendanceStatus.PRESENT)
        .annotate(band=age_band_expression())
        .values(*PERSON_FIELDS)
        .order_by("session_id", "created_at", "id")
    )
    for row in present:
        data.people[row["session_id"]].append(row)
    anonymous: Any
    for anonymous in (
        AnonymousParticipants.objects.filter(session__in=visible)
        .values("session_id", "age_band", "gender", "count")
        .order_by("session_id", "id")
    ):
        data.anonymous[anonymous["session_id"]].append(dict(anonymous))
    return data
