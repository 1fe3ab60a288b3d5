"""The network's venues as rows of the national standard, for the open data files.

Public data only (a venue's address, hours, offer and generic contact; never a person):
active venues that have every required column of the standard (`missing_required`), read
in one query whatever their number (structure and commune joined, streamed by chunks).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from learners.models import Venue
from learners.national.lieux import Row, missing_required, producer, venue_standard_row

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
