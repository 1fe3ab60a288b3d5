"""Reads behind the admin screens on people: the "Personnes" list, the person's carnet,
the side-by-side view before a merge and the audit log search. Scoped like every
selector: the requesting `user` comes first."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from common.text import fold
from common.types import AnyUser
from learners.choices import AttendanceStatus
from learners.models import (
    Attendance,
    AuditLog,
    Carnet,
    GuideRead,
    Learner,
    LearnerStructure,
    Observation,
    Structure,
)
from learners.roles import is_coordinator
from learners.scoping import consented_learner_ids, learners_visible, scope_structure_id
from workshops.models import Level

from .people import audit_logs_for_user, learners_for_user

NETWORK_ID_RE = re.compile(r"^[0-9a-f]{16}$")
YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class PeopleQuery:
    """What was typed in a people search box, split into its parts."""

    words: tuple[str, ...] = ()
    birth_year: int | None = None
    network_id: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.birth_year or self.network_id)


def people_query_parse(text: str) -> PeopleQuery:
    """ "helene durand 1948" → names "helene", "durand" and birth year 1948; a 16-character
    hexadecimal word is a network identifier."""
    words, year, network_id = [], None, ""
    for raw in (text or "").split():
        token = raw.strip().lower()
        if NETWORK_ID_RE.match(token):
            network_id = token
        elif YEAR_RE.match(token):
            year = int(token)
        else:
            folded = fold(token)
            if folded:
                words.append(folded)
    return PeopleQuery(words=tuple(words), birth_year=year, network_id=network_id)


def _name_filter(words: tuple[str, ...]) -> Q:
    """Prefix of the first name, the last name, or both in either order."""
    joined = "".join(words)
    condition = (
        Q(normalized_first_name__startswith=joined)
        | Q(normalized_last_name__startswith=joined)
        | Q(normalized_name__startswith=joined)
    )
    if len(words) > 1:
        condition |= Q(normalized_name__startswith="".join(words[1:]) + words[0])
        condition |= Q(normalized_name__startswith=words[-1] + "".join(words[:-1]))
    return condition


def people_search(*, user: AnyUser, query: str = "") -> QuerySet[Learner]:
    """The people the user may see, filtered by what they typed: names (accents, case and
    hyphens ignored, either order), a birth year, a network identifier. With the commune
    and the structure loaded, in the list's order."""
    parsed = people_query_parse(query)
    qs = learners_for_user(user=user)
    if parsed.words:
        qs = qs.filter(_name_filter(parsed.words))
    if parsed.birth_year is not None:
        qs = qs.filter(birth_year=parsed.birth_year)
    if parsed.network_id:
        qs = qs.filter(network_id=parsed.network_id)
    return (
        qs.select_related("commune", "structure")
        .annotate(seen_on=_last_seen_expression(user))
        .order_by("normalized_first_name", "normalized_last_name", "id")
    )


def _last_seen_expression(user: AnyUser) -> F | Subquery:
    """« Dernière présence » as the user may know it: the person's for the coordination,
    the last session of the counsellor's own structure otherwise (`learners.scoping`)."""
    scope = scope_structure_id(user)
    if scope is True or scope is None:
        return F("last_attended_on")
    return Subquery(
        Attendance.objects.filter(
            learner_id=OuterRef("pk"),
            session__structure_id=scope,
            status=AttendanceStatus.PRESENT,
        )
        .order_by("-session__start")
        .annotate(day=TruncDate("session__start"))
        .values("day")[:1],
        output_field=DateField(),
    )


def carnet_active_for_learner(*, user: AnyUser, learner_id: int) -> Carnet | None:
    """The person's active carnet (who issued it is loaded), or None; None too when the
    person is out of the user's scope, or when the user's structure does not hold the
    record (`learners.scoping.holds_record`): the carnet is the holder's, and another
    structure must not learn from any page whether the person has one."""
    holders = learners_visible(user)
    scope = scope_structure_id(user)
    if scope is not True and scope is not None:
        holders = holders.filter(Q(structure_id=scope) | Q(pk__in=consented_learner_ids(scope)))
    return (
        Carnet.objects.active()
        .filter(learner_id=learner_id, learner__in=holders.values("pk"))
        .select_related("created_by")
        .first()
    )


def levels_by_framework(framework_ids: Iterable[int]) -> dict[int, list[Level]]:
    """{framework id: its levels, lowest first} in one query (chart axes)."""
    levels: dict[int, list[Level]] = {}
    for level in Level.objects.filter(framework_id__in=set(framework_ids)).order_by("rank"):
        levels.setdefault(level.framework_id, []).append(level)
    return levels


# --- Merge -------------------------------------------------------------------------------


@dataclass
class MergeSide:
    """One of the two records a coordinator compares before merging them."""

    learner: Learner
    attendance_count: int
    observation_count: int
    carnet_count: int
    active_carnet: bool
    guide_read_count: int
    structures: list[Structure] = field(default_factory=list)


def _count(model: type[Attendance | Observation | Carnet | GuideRead], **filters: Any) -> Coalesce:
    return Coalesce(
        Subquery(
            model.objects.filter(learner_id=OuterRef("pk"), **filters)
            .order_by()
            .values("learner_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def merge_sides(*, user: AnyUser, learner_ids: list[int]) -> list[MergeSide]:
    """The records to compare, in the order of `learner_ids`, with what a merge would move.
    Coordinators only: `Learner.DoesNotExist` for anyone else, or when a record is missing
    (or anonymised)."""
    if not is_coordinator(user):
        raise Learner.DoesNotExist
    learners = {
        learner.pk: learner
        for learner in learners_for_user(user=user)
        .filter(pk__in=learner_ids)
        .select_related("structure")
        .annotate(
            attendance_count=_count(Attendance),
            observation_count=_count(Observation),
            carnet_count=_count(Carnet),
            active_carnet_count=_count(Carnet, revoked_at__isnull=True),
            guide_read_count=_count(GuideRead),
        )
        .prefetch_related(
            Prefetch(
                "structure_links",
                queryset=LearnerStructure.objects.select_related("structure").order_by(
                    "structure__name"
                ),
            )
        )
    }
    if set(learners) != set(learner_ids):
        raise Learner.DoesNotExist
    return [
        MergeSide(
            learner=learners[pk],
            attendance_count=learners[pk].attendance_count,
            observation_count=learners[pk].observation_count,
            carnet_count=learners[pk].carnet_count,
            active_carnet=bool(learners[pk].active_carnet_count),
            guide_read_count=learners[pk].guide_read_count,
            structures=[link.structure for link in learners[pk].structure_links.all()],
        )
        for pk in learner_ids
    ]


def merge_shared_session_count(*, user: AnyUser, first_id: int, second_id: int) -> int:
    """Sessions both records attended (their attendance is combined, not duplicated)."""
    if not is_coordinator(user):
        return 0
    return (
        Attendance.objects.filter(learner_id=first_id)
        .filter(session_id__in=Attendance.objects.filter(learner_id=second_id).values("session_id"))
        .count()
    )


# --- Audit log -----------------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_log_search(
    *,
    user: AnyUser,
    person: str = "",
    username: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditLog]:
    """The audit log (coordinators only, empty for anyone else), newest first, filtered by
    person (a network identifier, even of a deleted or merged record, or names and birth
    year as in the people search), by user (part of the login), and by dates (inclusive).
    The person of each row is loaded (first and last name only)."""
    qs = audit_logs_for_user(user=user)
    person = (person or "").strip()
    if person:
        parsed = people_query_parse(person)
        if parsed.network_id and not parsed.words and parsed.birth_year is None:
            qs = qs.filter(
                Q(learner_network_id=parsed.network_id) | Q(learner__network_id=parsed.network_id)
            )
        elif parsed.is_empty:
            qs = qs.none()
        else:
            qs = qs.filter(learner__in=people_search(user=user, query=person).values("pk"))
    username = (username or "").strip()
    if username:
        qs = qs.filter(username__icontains=username)
    if date_from is not None:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs.select_related("learner").only(
        "id",
        "created_at",
        "username",
        "action",
        "learner_network_id",
        "detail",
        "user_id",
        "learner__id",
        "learner__first_name",
        "learner__last_name",
        "learner__anonymized_at",
    )
