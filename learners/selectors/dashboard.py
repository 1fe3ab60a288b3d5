"""The counsellor's dashboard ("Mon tableau de bord")."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from common.types import AnyUser
from learners.models import CompetenceSummary, Learner, LearnerStructure
from learners.progress import STUCK_AFTER_OBSERVATIONS
from learners.scoping import (
    learners_visible,
    scope_structure_id,
    sessions_visible,
    summaries_readable_filter,
    summaries_visible,
)
from workshops.models import Competence, Level

from .sessions import SessionWithSeats, sessions_with_free_places

STOPPED_AFTER_DAYS = 60
# People who stopped coming longer ago than this are no longer listed (retention: a year).
STOPPED_LOOKBACK_DAYS = 365
# "Stuck" only lists people still observed recently on that competence.
STUCK_RECENT_DAYS = 60
UPCOMING_DAYS = 14
_PROGRESSED_RELATED = ("learner", "competence", "current_level")
_STUCK_ORDER = ("-observations_without_gain", "learner_id", "competence_id")


@dataclass
class ProgressedLearner:
    learner: Learner
    # (competence, current level) pairs whose best level was raised this month.
    competences: list[tuple[Competence, Level]] = field(default_factory=list)


@dataclass
class StuckItem:
    learner: Learner
    competence: Competence
    level: Level
    observations_without_gain: int


@dataclass
class CounsellorDashboard:
    today: datetime.date
    progressed: list[ProgressedLearner]
    progressed_count: int
    stuck: list[StuckItem]
    stuck_count: int
    stopped: list[Learner]
    stopped_count: int
    upcoming_with_places: list[SessionWithSeats]


@dataclass(frozen=True)
class _Scope:
    """Whose dashboard: the user, the day, and the summaries they may read.

    A counsellor's structure: its people are first narrowed down on the copies of their
    dates on the structure links (`links`: one index range each; empty for anonymised
    people; services/activity.py), then the conditions are checked on those few people's
    summaries only. A coordinator's network needs no such join (`links` is None)."""

    user: AnyUser
    today: datetime.date
    now: datetime.datetime
    limit: int
    links: QuerySet[LearnerStructure] | None
    summaries: QuerySet[CompetenceSummary]

    @property
    def in_month(self) -> dict[str, datetime.date]:
        return {
            "last_progress_on__gte": self.today.replace(day=1),
            "last_progress_on__lte": self.today,
        }


def _clock(
    today: datetime.date | None, now: datetime.datetime | None
) -> tuple[datetime.date, datetime.datetime]:
    """(today, now): `now` defaults to the current time when `today` is today (or not
    given), else to midnight at the start of `today`."""
    if now is None:
        now = timezone.now()
        if today is not None and today != timezone.localdate(now):
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return today or timezone.localdate(now), now


def _scope(*, user: AnyUser, today: datetime.date, now: datetime.datetime, limit: int) -> _Scope:
    scope = scope_structure_id(user)
    if scope is not None and scope is not True:
        links = LearnerStructure.objects.filter(structure_id=scope)
        # Only what the structure may read whole: a summary built with another
        # structure's observations shows only with the person's consent.
        summaries = CompetenceSummary.objects.filter(summaries_readable_filter(scope))
    else:
        links = None
        # Anonymised people left out by their short list (hashed once), not by a join
        # with every person of the network.
        anonymised = Learner.objects.filter(anonymized_at__isnull=False).values("pk")
        summaries = summaries_visible(user).exclude(learner_id__in=anonymised)
    return _Scope(user, today, now, limit, links, summaries)


def _progressed_rows_network(s: _Scope) -> tuple[list[CompetenceSummary], int]:
    progressed_qs = s.summaries.filter(**s.in_month)
    count = progressed_qs.values("learner_id").distinct().count()
    # The rows are chosen on the index alone (summary_progress_idx covers the filter,
    # the order and the id), then only those are read with their relations.
    chosen = progressed_qs.order_by("-last_progress_on", "learner_id", "competence_id")
    rows = list(
        CompetenceSummary.objects.filter(
            Q(pk__in=chosen.values("pk")[: s.limit * 5]), **s.in_month
        ).select_related(*_PROGRESSED_RELATED)
    )
    return rows, count


def _progressed_rows_structure(
    s: _Scope, links: QuerySet[LearnerStructure]
) -> tuple[list[CompetenceSummary], int]:
    # A link's date is the person's latest progress: within the month, the person
    # progressed this month (maybe in another structure: the rows below keep only
    # what this structure may read). Dated after today (a level recorded on a future
    # session), their summaries tell.
    month_ids = list(links.filter(**s.in_month).values_list("learner_id", flat=True))
    later_ids = list(
        s.summaries.filter(**s.in_month)
        .filter(learner_id__in=links.filter(last_progress_on__gt=s.today).values("learner_id"))
        .order_by()
        .values_list("learner_id", flat=True)
        .distinct()
    )
    rows = list(
        s.summaries.filter(Q(learner_id__in=month_ids), **s.in_month).select_related(
            *_PROGRESSED_RELATED
        )
    )
    if later_ids:
        # Apart: with an OR of both sets, PostgreSQL no longer looks people up by index.
        rows += s.summaries.filter(learner_id__in=later_ids, **s.in_month).select_related(
            *_PROGRESSED_RELATED
        )
    return rows, len({summary.learner_id for summary in rows})


def _progressed(s: _Scope) -> tuple[list[ProgressedLearner], int]:
    """People in the order of their latest progress, each with the competences concerned."""
    if s.links is None:
        rows, count = _progressed_rows_network(s)
    else:
        rows, count = _progressed_rows_structure(s, s.links)
    rows.sort(
        # Read within the month: last_progress_on is never None here.
        key=lambda r: (
            -cast(datetime.date, r.last_progress_on).toordinal(),
            r.learner_id,
            r.competence_id,
        )
    )
    grouped: OrderedDict[int, ProgressedLearner] = OrderedDict()
    for summary in rows:
        entry = grouped.get(summary.learner_id)
        if entry is None:
            if len(grouped) >= s.limit:
                continue
            entry = grouped[summary.learner_id] = ProgressedLearner(learner=summary.learner)
        entry.competences.append((summary.competence, summary.current_level))
    return list(grouped.values()), count


def _stuck_chosen(
    s: _Scope, stuck_qs: QuerySet[CompetenceSummary], stuck_since: datetime.date
) -> tuple[Q, int]:
    """Which stuck summaries to read (at most `limit`), and how many there are."""
    if s.links is None:
        # As for progress: chosen on summary_stuck_idx alone, then the chosen rows are read.
        return Q(pk__in=stuck_qs.order_by(*_STUCK_ORDER).values("pk")[: s.limit]), stuck_qs.count()
    # The structure's few candidates (their link says stuck recently) are read first:
    # given as a list, PostgreSQL looks their summaries up by person instead of
    # scanning the network's recent stuck summaries; counted and sorted here.
    candidates = list(
        s.links.filter(last_stuck_on__gte=stuck_since).values_list("learner_id", flat=True)
    )
    rows = sorted(
        stuck_qs.filter(learner_id__in=candidates)
        .order_by()
        .values_list("observations_without_gain", "learner_id", "competence_id", "pk"),
        key=lambda row: (-row[0], row[1], row[2]),
    )
    return Q(pk__in=[row[3] for row in rows[: s.limit]]), len(rows)


def _stuck(s: _Scope) -> tuple[list[StuckItem], int]:
    stuck_since = s.today - datetime.timedelta(days=STUCK_RECENT_DAYS)
    # Nobody is stuck at a framework's top level: a small uncorrelated list PostgreSQL
    # reads once (hashed), not a lookup per summary.
    top_levels = Level.objects.tops().values("pk")
    stuck_qs = s.summaries.filter(
        observations_without_gain__gte=STUCK_AFTER_OBSERVATIONS,
        last_observed_on__gte=stuck_since,
    ).exclude(best_level_id__in=top_levels)
    chosen, count = _stuck_chosen(s, stuck_qs, stuck_since)
    stuck = [
        StuckItem(
            learner=summary.learner,
            competence=summary.competence,
            level=summary.current_level,
            observations_without_gain=summary.observations_without_gain,
        )
        for summary in CompetenceSummary.objects.filter(chosen)
        .select_related("learner", "competence", "current_level")
        .order_by(*_STUCK_ORDER)
    ]
    return stuck, count


def _stopped(s: _Scope) -> tuple[list[Learner], int]:
    stopped_range = {
        "last_attended_on__lt": s.today - datetime.timedelta(days=STOPPED_AFTER_DAYS),
        "last_attended_on__gte": s.today - datetime.timedelta(days=STOPPED_LOOKBACK_DAYS),
    }
    if s.links is not None:
        # The link's copy is empty once the person is anonymised: no join needed.
        stopped_links = s.links.filter(**stopped_range)
        count = stopped_links.count()
        chosen = stopped_links.order_by("-last_attended_on", "learner_id")
        stopped_qs = Learner.objects.filter(pk__in=chosen.values("learner_id")[: s.limit])
    else:
        stopped_qs = learners_visible(s.user).filter(**stopped_range)
        count = stopped_qs.count()
    stopped = stopped_qs.select_related("commune").order_by("-last_attended_on", "pk")
    return list(stopped[: s.limit]), count


def _upcoming(s: _Scope) -> list[SessionWithSeats]:
    horizon = timezone.make_aware(
        datetime.datetime.combine(
            s.today + datetime.timedelta(days=UPCOMING_DAYS + 1), datetime.time.min
        )
    )
    return list(
        sessions_with_free_places(
            sessions_visible(s.user).filter(
                start__gte=s.now, start__lt=horizon, cancelled_at__isnull=True
            )
        )
        .select_related("venue__commune", "atelier")
        .order_by("start", "id")[: s.limit]
    )


def counsellor_dashboard(
    *,
    user: AnyUser,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    limit: int = 20,
) -> CounsellorDashboard:
    """The four lists of the dashboard, for the people and sessions the user may see
    (a counsellor: their structure; a coordinator: the network; others: empty), each
    limited to `limit` entries with the full count beside it. A dozen queries at most
    whatever the amount of data (plus two to read the user's roles).

    - progressed: people whose best level on a competence was raised since the 1st of the
      month of `today`;
    - stuck: (person, competence) with at least 3 observations without a gain, below the
      framework's top level, observed in the last 60 days;
    - stopped: people last present 60 to 365 days ago (and not since);
    - upcoming_with_places: sessions from `now` to the end of the 14th day after `today`
      with free places, soonest first. `now` defaults to the current time when `today` is
      today (or not given), else to midnight at the start of `today`.
    """
    today, now = _clock(today, now)
    s = _scope(user=user, today=today, now=now, limit=limit)
    progressed, progressed_count = _progressed(s)
    stuck, stuck_count = _stuck(s)
    stopped, stopped_count = _stopped(s)
    return CounsellorDashboard(
        today=today,
        progressed=progressed,
        progressed_count=progressed_count,
        stuck=stuck,
        stuck_count=stuck_count,
        stopped=stopped,
        stopped_count=stopped_count,
        upcoming_with_places=_upcoming(s),
    )
