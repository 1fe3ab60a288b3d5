"""Guides a person marked as read from their carnet (the carnet page's last list)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

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
