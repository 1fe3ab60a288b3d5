"""What left each list since a moment, as querysets of (`modified`, `rid`) rows for
`api.pagination.page_read`: the tombstones of deleted or unpublished records, and the
rows still there but no longer listed (read here, so writing them costs nothing)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F, QuerySet
from django.utils import timezone

from agenda.selectors import public_sessions
from api.models import ApiClient, ApiTombstone
from api.selectors.structures import api_counsellors
from learners.models import Session, Venue

Removals = Callable[[], list[QuerySet]]


def _tombstones(resource_type: str, client: ApiClient | None = None) -> QuerySet:
    rows = ApiTombstone.objects.filter(resource_type=resource_type)
    if client is not None and client.structure_id is not None:
        rows = rows.filter(structure_id=client.structure_id)
    return rows.annotate(modified=F("removed_at"), rid=F("object_id"))


def session_removals() -> list[QuerySet]:
    """Deleted sessions, and upcoming ones changed but no longer public (cancelled,
    unpublished, made private). A session that took place leaves by its date: not listed."""
    unlisted = (
        Session.objects.filter(start__gte=timezone.now())
        .exclude(pk__in=public_sessions().values("pk"))
        .annotate(modified=F("updated_at"), rid=F("pk"))
    )
    return [_tombstones("session"), unlisted]


def venue_removals() -> list[QuerySet]:
    """Deleted and deactivated venues."""
    inactive = Venue.objects.filter(is_active=False).annotate(modified=F("updated_at"), rid=F("pk"))
    return [_tombstones("lieu"), inactive]


def page_removals(resource_type: str) -> Removals:
    """Unpublished or deleted guides (`fiche`) or ateliers (`atelier`)."""
    return lambda: [_tombstones(resource_type)]


def keyed_removals(resource_type: str, client: ApiClient) -> Removals:
    """Deleted structures (a structure-bound key: its own)."""
    return lambda: [_tombstones(resource_type, client)]


def counsellor_removals(client: ApiClient) -> Removals:
    """Deleted or departed counsellors and, for a structure-bound key, those who moved to
    another structure; never one the key still lists (re-activated, moved back)."""
    listed = api_counsellors(client=client).values("pk")
    return lambda: [_tombstones("conseiller", client).exclude(object_id__in=listed)]
