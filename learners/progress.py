"""The rules of a competence summary, as pure functions over observations.

Observations of one person on one competence are ordered by (observed_on, id). Replaying
them in that order through `summary_step` gives the summary; appending one more that sorts
last is one more step (the incremental path of `observation_record`). An observation that
sorts earlier than the last one (a backdated entry) changes history, so the services
replay that pair's observations instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

# A person is "stuck" on a competence after this many observations without a gain.
STUCK_AFTER_OBSERVATIONS = 3


@dataclass
class SummaryState:
    first_level_id: int
    first_rank: int
    first_observed_on: datetime.date
    current_level_id: int
    last_observed_on: datetime.date
    best_level_id: int
    best_rank: int
    observation_count: int
    observations_without_gain: int
    last_progress_on: datetime.date | None

    @property
    def levels_gained(self) -> int:
        return self.best_rank - self.first_rank

    def as_fields(self) -> dict:
        """Field values of a `CompetenceSummary`."""
        return {
            "first_level_id": self.first_level_id,
            "current_level_id": self.current_level_id,
            "best_level_id": self.best_level_id,
            "first_observed_on": self.first_observed_on,
            "last_observed_on": self.last_observed_on,
            "observation_count": self.observation_count,
            "levels_gained": self.levels_gained,
            "observations_without_gain": self.observations_without_gain,
            "last_progress_on": self.last_progress_on,
        }


SUMMARY_FIELDS = tuple(
    name.removesuffix("_id") if name.endswith("_level_id") else name
    for name in SummaryState.__dataclass_fields__
    if name not in {"first_rank", "best_rank"}
) + ("levels_gained",)


def summary_step(
    state: SummaryState | None, *, level_id: int, rank: int, observed_on: datetime.date
) -> SummaryState:
    """The summary after one more observation that sorts after all previous ones."""
    if state is None:
        return SummaryState(
            first_level_id=level_id,
            first_rank=rank,
            first_observed_on=observed_on,
            current_level_id=level_id,
            last_observed_on=observed_on,
            best_level_id=level_id,
            best_rank=rank,
            observation_count=1,
            observations_without_gain=1,
            last_progress_on=None,
        )
    state.observation_count += 1
    state.current_level_id = level_id
    state.last_observed_on = observed_on
    if rank > state.best_rank:
        state.best_level_id = level_id
        state.best_rank = rank
        state.observations_without_gain = 0
        state.last_progress_on = observed_on
    else:
        state.observations_without_gain += 1
    return state


def summary_replay(observations: Iterable[tuple[int, int, datetime.date]]) -> SummaryState | None:
    """Summary of (level_id, rank, observed_on) tuples already sorted by (observed_on, id)."""
    state = None
    for level_id, rank, observed_on in observations:
        state = summary_step(state, level_id=level_id, rank=rank, observed_on=observed_on)
    return state
