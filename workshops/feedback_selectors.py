"""Reads for the guide feedback report (counts per guide, per version and per step).

Kept apart from `workshops/selectors.py` (the public site's reads). Aggregations run in the
database; Python only arranges a bounded number of grouped rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from wagtail.models import Revision

from workshops.models import GuideFeedback, GuidePage

HELPED = GuideFeedback.Kind.HELPED
STUCK = GuideFeedback.Kind.STUCK
MAX_VERSIONS = 10
MAX_COMMENTS = 50


def guide_feedback_totals() -> QuerySet[GuidePage]:
    """Every guide with its feedback counts, most recent feedback first."""
    return (
        GuidePage.objects.annotate(
            helped_count=Count("feedback", filter=Q(feedback__kind=HELPED)),
            stuck_count=Count("feedback", filter=Q(feedback__kind=STUCK)),
            last_feedback_at=Max("feedback__created_at"),
        )
        .order_by("-last_feedback_at", "title")
        .only("id", "title", "live", "has_unpublished_changes", "path", "depth")
    )


@dataclass
class StepCount:
    number: int
    title: str
    stuck: int


@dataclass
class VersionFeedback:
    version: int | None
    published_at: datetime | None
    is_current: bool
    helped: int = 0
    stuck: int = 0
    steps: list[StepCount] = field(default_factory=list)
    comments: list[GuideFeedback] = field(default_factory=list)


def _step_titles(revision: Revision | None, guide: GuidePage) -> list[str]:
    source = guide
    if revision is not None:
        try:
            source = revision.as_object()
        except Exception:  # an old revision that no longer loads: fall back to today's titles
            source = guide
    return [block.value.get("title", "") for block in source.steps]


def guide_feedback_by_version(*, guide: GuidePage) -> list[VersionFeedback]:
    """Feedback on one guide, newest version first: "helped" total, "stuck at step N"
    per step (every step listed, zeros included), and the latest comments."""
    counts = (
        GuideFeedback.objects.filter(page=guide)
        .values("version", "kind", "step")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_version: dict[int | None, list[Mapping[str, Any]]] = {}
    for row in counts:
        by_version.setdefault(row["version"], []).append(row)
    versions = sorted(by_version, key=lambda v: (v is not None, v or 0), reverse=True)
    versions = versions[:MAX_VERSIONS]
    revisions = Revision.objects.in_bulk([v for v in versions if v is not None])
    comments: dict[int | None, list[GuideFeedback]] = {}
    for feedback in (
        GuideFeedback.objects.filter(page=guide)
        .exclude(comment="")
        .order_by("-created_at")[:MAX_COMMENTS]
    ):
        comments.setdefault(feedback.version, []).append(feedback)

    result = []
    for version in versions:
        revision = revisions.get(version)
        titles = _step_titles(revision, guide)
        item = VersionFeedback(
            version=version,
            published_at=revision.created_at if revision else None,
            is_current=version is not None and version == guide.live_revision_id,
            comments=comments.get(version, []),
        )
        stuck_by_step: dict[int, int] = {}
        for counted in by_version[version]:
            if counted["kind"] == HELPED:
                item.helped += counted["n"]
            elif counted["kind"] == STUCK:
                item.stuck += counted["n"]
                step = counted["step"]
                stuck_by_step[step] = stuck_by_step.get(step, 0) + counted["n"]
        last_step = max([len(titles), *stuck_by_step.keys()], default=0)
        item.steps = [
            StepCount(
                number=n,
                title=titles[n - 1] if n <= len(titles) else "",
                stuck=stuck_by_step.get(n, 0),
            )
            for n in range(1, last_step + 1)
        ]
        result.append(item)
    return result
