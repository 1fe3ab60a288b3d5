"""Guides a person marked as read from their carnet (the carnet page's last list)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from learners.models import Carnet, GuideRead
from workshops.models import GuidePage


def carnet_read_guides(*, carnet: Carnet, limit: int = 50) -> list[GuidePage]:
    """Live, public guides the carnet's person marked as read, most recently read first
    (`read_at` annotated), in one query."""
    read_at = GuideRead.objects.filter(learner_id=carnet.learner_id, guide_id=OuterRef("pk"))
    return list(
        GuidePage.objects.live()
        .public()
        .annotate(read_at=Subquery(read_at.values("read_at")[:1]))
        .filter(read_at__isnull=False)
        .order_by("-read_at", "pk")[:limit]
    )


def carnet_guide_for_reading(*, guide_id: int) -> GuidePage | None:
    """A guide a person may mark as read: live and public, else None."""
    return GuidePage.objects.live().public().filter(pk=guide_id).first()


def most_read_guides(*, limit: int) -> list[GuidePage]:
    """The live, public guides most often marked as read from carnets (a count per guide,
    nothing about who), then the most recently published: the pages a worker renders
    ahead of its readers (home/warmup.py). One query."""
    if limit <= 0:
        return []
    reads = (
        GuideRead.objects.filter(guide_id=OuterRef("pk"))
        .order_by()
        .values("guide_id")
        .annotate(count=Count("pk"))
    )
    return list(
        GuidePage.objects.live()
        .public()
        .defer_streamfields()
        .annotate(reads=Coalesce(Subquery(reads.values("count")[:1]), 0))
        .order_by("-reads", "-first_published_at", "pk")[:limit]
    )
