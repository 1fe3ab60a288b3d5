"""The counsellor's dashboard ("Mon tableau de bord")."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Q
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
    if now is None:
        now = timezone.now()
        if today is not None and today != timezone.localdate(now):
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    today = today or timezone.localdate(now)
    month_start = today.replace(day=1)
    stuck_since = today - datetime.timedelta(days=STUCK_RECENT_DAYS)
    stopped_before = today - datetime.timedelta(days=STOPPED_AFTER_DAYS)
    stopped_since = today - datetime.timedelta(days=STOPPED_LOOKBACK_DAYS)
    scope = scope_structure_id(user)
    # A counsellor's structure: its people are first narrowed down on the copies of their
    # dates on the structure links (one index range each; empty for anonymised people;
    # services/activity.py), then the conditions are checked on those few people's
    # summaries only. A coordinator's network needs no such join.
    links = (
        LearnerStructure.objects.filter(structure_id=scope)
        if scope is not None and scope is not True
        else None
    )
    if links is None:
        # Anonymised people left out by their short list (hashed once), not by a join
        # with every person of the network.
        anonymised = Learner.objects.filter(anonymized_at__isnull=False).values("pk")
        summaries = summaries_visible(user).exclude(learner_id__in=anonymised)
    else:
        assert scope is not None  # links are only read for a structure
        # Only what the structure may read whole: a summary built with another
        # structure's observations shows only with the person's consent.
        summaries = CompetenceSummary.objects.filter(summaries_readable_filter(scope))

    in_month = {"last_progress_on__gte": month_start, "last_progress_on__lte": today}
    progressed_qs = summaries.filter(**in_month)
    later_ids: list[int] = []
    if links is None:
        progressed_count = progressed_qs.values("learner_id").distinct().count()
        # The rows are chosen on the index alone (summary_progress_idx covers the filter,
        # the order and the id), then only those are read with their relations.
        ordered = progressed_qs.order_by("-last_progress_on", "learner_id", "competence_id")
        chosen = Q(pk__in=ordered.values("pk")[: limit * 5])
    else:
        # A link's date is the person's latest progress: within the month, the person
        # progressed this month (maybe in another structure: the rows below keep only
        # what this structure may read). Dated after today (a level recorded on a future
        # session), their summaries tell.
        month_ids = list(links.filter(**in_month).values_list("learner_id", flat=True))
        later_ids = list(
            progressed_qs.filter(
                learner_id__in=links.filter(last_progress_on__gt=today).values("learner_id")
            )
            .order_by()
            .values_list("learner_id", flat=True)
            .distinct()
        )
        chosen = Q(learner_id__in=month_ids)
    related = ("learner", "competence", "current_level")
    readable = summaries if links is not None else CompetenceSummary.objects.all()
    progressed_rows = list(readable.filter(chosen, **in_month).select_related(*related))
    if later_ids:
        # Apart: with an OR of both sets, PostgreSQL no longer looks people up by index.
        progressed_rows += readable.filter(learner_id__in=later_ids, **in_month).select_related(
            *related
        )
    if links is not None:
        progressed_count = len({summary.learner_id for summary in progressed_rows})
    progressed_rows.sort(
        # Read within the month above: last_progress_on is never None here.
        key=lambda s: (
            -cast(datetime.date, s.last_progress_on).toordinal(),
            s.learner_id,
            s.competence_id,
        )
    )
    # People in the order of their latest progress, each with the competences concerned.
    grouped: OrderedDict[int, ProgressedLearner] = OrderedDict()
    for summary in progressed_rows:
        entry = grouped.get(summary.learner_id)
        if entry is None:
            if len(grouped) >= limit:
                continue
            entry = grouped[summary.learner_id] = ProgressedLearner(learner=summary.learner)
        entry.competences.append((summary.competence, summary.current_level))

    # Nobody is stuck at a framework's top level: a small uncorrelated list PostgreSQL
    # reads once (hashed), not a lookup per summary.
    top_levels = Level.objects.tops().values("pk")
    stuck_qs = summaries.filter(
        observations_without_gain__gte=STUCK_AFTER_OBSERVATIONS,
        last_observed_on__gte=stuck_since,
    ).exclude(best_level_id__in=top_levels)
    stuck_order = ("-observations_without_gain", "learner_id", "competence_id")
    if links is not None:
        # The structure's few candidates (their link says stuck recently) are read first:
        # given as a list, PostgreSQL looks their summaries up by person instead of
        # scanning the network's recent stuck summaries; counted and sorted here.
        candidates = list(
            links.filter(last_stuck_on__gte=stuck_since).values_list("learner_id", flat=True)
        )
        rows = sorted(
            stuck_qs.filter(learner_id__in=candidates)
            .order_by()
            .values_list("observations_without_gain", "learner_id", "competence_id", "pk"),
            key=lambda row: (-row[0], row[1], row[2]),
        )
        stuck_count = len(rows)
        chosen = Q(pk__in=[row[3] for row in rows[:limit]])
    else:
        stuck_count = stuck_qs.count()
        # As above: chosen on summary_stuck_idx alone, then the chosen rows are read.
        chosen = Q(pk__in=stuck_qs.order_by(*stuck_order).values("pk")[:limit])
    stuck = [
        StuckItem(
            learner=s.learner,
            competence=s.competence,
            level=s.current_level,
            observations_without_gain=s.observations_without_gain,
        )
        for s in CompetenceSummary.objects.filter(chosen)
        .select_related("learner", "competence", "current_level")
        .order_by(*stuck_order)
    ]

    stopped_range = {"last_attended_on__lt": stopped_before, "last_attended_on__gte": stopped_since}
    if links is not None:
        # The link's copy is empty once the person is anonymised: no join needed.
        stopped_links = links.filter(**stopped_range)
        stopped_count = stopped_links.count()
        latest_links = stopped_links.order_by("-last_attended_on", "learner_id")
        stopped_qs = Learner.objects.filter(pk__in=latest_links.values("learner_id")[:limit])
    else:
        stopped_qs = learners_visible(user).filter(**stopped_range)
        stopped_count = stopped_qs.count()
    stopped = list(stopped_qs.select_related("commune").order_by("-last_attended_on", "pk")[:limit])

    horizon = timezone.make_aware(
        datetime.datetime.combine(
            today + datetime.timedelta(days=UPCOMING_DAYS + 1), datetime.time.min
        )
    )
    upcoming = list(
        sessions_with_free_places(sessions_visible(user).filter(start__gte=now, start__lt=horizon))
        .select_related("venue__commune", "atelier")
        .order_by("start", "id")[:limit]
    )
    return CounsellorDashboard(
        today=today,
        progressed=list(grouped.values()),
        progressed_count=progressed_count,
        stuck=stuck,
        stuck_count=stuck_count,
        stopped=stopped,
        stopped_count=stopped_count,
        upcoming_with_places=upcoming,
    )
