"""Tombstones: what left a list, for the incremental sync (`api.models.ApiTombstone`).

Recorded by `api.signals` when a row is deleted (a session, a venue, a structure, a
counsellor profile), a guide or an atelier is unpublished or deleted, or a counsellor's
account is deactivated (they left). A row that is still there but no longer listed (a
cancelled or unpublished upcoming session, a deactivated venue) needs none: the lists
find it at read time (`api.selectors.removals`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from api.models import ApiTombstone

RETENTION_DAYS = 90


def api_tombstone_record(
    *, resource_type: str, object_id: int, structure_id: int | None = None
) -> None:
    """The record `object_id` of `resource_type` left its list now (one upsert)."""
    ApiTombstone.objects.update_or_create(
        resource_type=resource_type,
        object_id=object_id,
        defaults={"structure_id": structure_id, "removed_at": timezone.now()},
    )


def retention_days() -> int:
    return int(getattr(settings, "API_TOMBSTONE_RETENTION_DAYS", RETENTION_DAYS))


def api_tombstones_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete tombstones older than the retention; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    deleted, _details = ApiTombstone.objects.filter(removed_at__lt=cutoff).delete()
    return deleted
