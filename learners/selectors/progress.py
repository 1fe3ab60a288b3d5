"""Competence progress views shared by the person's page, the dashboard and the carnet."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min, QuerySet

from learners.models import CompetenceSummary
from workshops.models import Competence, Level


@dataclass(frozen=True)
class CompetenceProgress:
    """One competence of one person, ready for a labelled progress bar.

    `position` / `steps` is the bar's value / maximum (0-based from the framework's lowest
    level); `can_do` is true when the current level is in the upper half of the scale
    (socle: "Acquis" or "Autonome"; CRCN: 5 and above), where "je sais faire" applies.
    """

    competence: Competence
    current_level: Level
    first_level: Level
    best_level: Level
    first_observed_on: object
    last_observed_on: object
    observation_count: int
    levels_gained: int
    min_rank: int
    max_rank: int

    @property
    def position(self) -> int:
        return self.current_level.rank - self.min_rank

    @property
    def steps(self) -> int:
        return self.max_rank - self.min_rank

    @property
    def percent(self) -> int:
        return round(100 * self.position / self.steps) if self.steps else 100

    @property
    def can_do(self) -> bool:
        return self.current_level.rank >= can_do_threshold(self.min_rank, self.max_rank)

    @property
    def is_complete(self) -> bool:
        return self.current_level.rank >= self.max_rank


def can_do_threshold(min_rank: int, max_rank: int) -> int:
    return min_rank + math.ceil((max_rank - min_rank) / 2)


def framework_rank_bounds(framework_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{framework_id: (lowest rank, highest rank)} in one query."""
    return {
        row["framework_id"]: (row["low"], row["high"])
        for row in Level.objects.filter(framework_id__in=set(framework_ids))
        .values("framework_id")
        .annotate(low=Min("rank"), high=Max("rank"))
    }


def competence_progress_list(summaries: Iterable[CompetenceSummary]) -> list[CompetenceProgress]:
    """Summaries (with competence and levels selected) → progress rows, in two queries at
    most whatever the number of competences."""
    summaries = list(summaries)
    bounds = framework_rank_bounds(s.competence.framework_id for s in summaries)
    return [
        CompetenceProgress(
            competence=s.competence,
            current_level=s.current_level,
            first_level=s.first_level,
            best_level=s.best_level,
            first_observed_on=s.first_observed_on,
            last_observed_on=s.last_observed_on,
            observation_count=s.observation_count,
            levels_gained=s.levels_gained,
            min_rank=bounds[s.competence.framework_id][0],
            max_rank=bounds[s.competence.framework_id][1],
        )
        for s in summaries
    ]


def summaries_with_levels(
    queryset: QuerySet[CompetenceSummary],
) -> QuerySet[CompetenceSummary]:
    return queryset.select_related(
        "competence__domain", "competence__framework", "current_level", "first_level", "best_level"
    ).order_by("competence__framework__name", "competence__sort_order", "competence__code")
