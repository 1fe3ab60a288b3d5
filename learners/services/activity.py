"""The dashboard's copies of each person's activity dates on their structure links.

A counsellor's dashboard lists, among the people of one structure, who progressed this
month, who is stuck and who stopped coming. Each condition selects tens of thousands of
people across the network; joined with a large structure's people, that cost 100 ms or
more per condition at national scale. `LearnerStructure` therefore carries a copy of the
dates the conditions use, indexed by structure, and this module keeps them equal to the
originals: every service that changes a person's last attendance date or competence
summaries calls `structure_links_refresh` for those people, in the same transaction.
`structure_links_refresh()` without ids recomputes every link (migration, bulk loads);
`structure_links_out_of_date` lists the links whose copies differ, for tests and checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max, OuterRef, Subquery

from learners.models import CompetenceSummary, Learner, LearnerStructure
from learners.progress import STUCK_AFTER_OBSERVATIONS
from workshops.models import Level

CHUNK = 5000


def link_dates(
    *, learner_model=Learner, summary_model=CompetenceSummary, level_model=Level
) -> dict:
    """The three dates of a link's person, as correlated subqueries (NULL once anonymised),
    for `LearnerStructure.objects.update(**link_dates())`. The models can be a migration's."""
    person = learner_model.objects.filter(pk=OuterRef("learner_id"), anonymized_at__isnull=True)
    summaries = summary_model.objects.filter(
        learner_id=OuterRef("learner_id"), learner__anonymized_at__isnull=True
    ).order_by()
    top_rank = Subquery(
        level_model.objects.filter(framework_id=OuterRef("competence__framework_id"))
        .order_by("-rank")
        .values("rank")[:1]
    )
    stuck = summaries.filter(
        observations_without_gain__gte=STUCK_AFTER_OBSERVATIONS,
        best_level__rank__lt=top_rank,
    )

    def latest(queryset, field):
        return Subquery(
            queryset.values("learner_id").annotate(latest=Max(field)).values("latest")[:1]
        )

    return {
        "last_attended_on": Subquery(person.values("last_attended_on")[:1]),
        "last_progress_on": latest(summaries, "last_progress_on"),
        "last_stuck_on": latest(stuck, "last_observed_on"),
    }


def structure_links_refresh(*, learner_ids: Iterable[int] | None = None) -> int:
    """Recompute the copies on every structure link of these people (of everyone when
    `learner_ids` is None). One UPDATE per 5,000 people. Returns the links updated."""
    if learner_ids is None:
        return LearnerStructure.objects.update(**link_dates())
    ids = sorted(set(learner_ids))
    updated = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        updated += LearnerStructure.objects.filter(learner_id__in=chunk).update(**link_dates())
    return updated


def structure_links_out_of_date(*, learner_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the links whose copies differ from the originals (expected: none)."""
    links = LearnerStructure.objects.all()
    if learner_ids is not None:
        links = links.filter(learner_id__in=list(learner_ids))
    names = ("last_attended_on", "last_progress_on", "last_stuck_on")
    expected = {f"expected_{name}": value for name, value in link_dates().items()}
    rows = links.annotate(**expected).values_list("pk", *names, *expected)
    return [row[0] for row in rows if row[1:4] != row[4:7]]
