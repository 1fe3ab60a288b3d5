"""The network's venues as rows of the national standard, for the open data files.

Public data only (a venue's address, hours, offer and generic contact; never a person):
active venues that have every required column of the standard (`missing_required`), read
in one query whatever their number (structure and commune joined, streamed by chunks).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from learners.models import Venue
from learners.national.lieux import Row, missing_required, venue_standard_row
from learners.national.producer import producer

CHUNK = 2000


def open_venues() -> QuerySet[Venue]:
    return (
        Venue.objects.filter(is_active=True).select_related("structure", "commune").order_by("pk")
    )


def open_venue_rows() -> Iterator[Row]:
    """The standard rows of the active venues, in a stable order (by creation); a venue
    that lacks a required value (no address, no SIRET anywhere) is left out."""
    source = producer()
    for venue in open_venues().iterator(chunk_size=CHUNK):
        row = venue_standard_row(venue, source=source)
        if not missing_required(row):
            yield row


@dataclass(frozen=True)
class OpenVenuesSummary:
    count: int
    updated: datetime.date | None  # the latest `date_maj`, None when the file is empty


def open_venues_summary() -> OpenVenuesSummary:
    """What the open files hold (the « Données ouvertes » page): counted from the same rows,
    so a venue the files leave out is not counted either."""
    count, latest = 0, ""
    for row in open_venue_rows():
        count += 1
        latest = max(latest, row["date_maj"])
    return OpenVenuesSummary(count, datetime.date.fromisoformat(latest) if latest else None)
