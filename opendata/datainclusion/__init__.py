"""The network in the data·inclusion format (schema v1, the `data-inclusion-schema`
package): structures and services (ateliers with upcoming public sessions, individual
appointments). `reads` loads public data in a constant number of queries, `records` maps it,
`thematiques` holds the theme table. The open data views and the API both call the two
functions below.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from opendata.datainclusion.reads import Network, Producer, network_read, producer_read
from opendata.datainclusion.records import (
    appointment_service_record,
    atelier_service_record,
    structure_record,
)

__all__ = [
    "DataInclusionFiles",
    "Producer",
    "datainclusion_files",
    "datainclusion_services",
    "datainclusion_structures",
    "producer_read",
]


@dataclass(frozen=True)
class DataInclusionFiles:
    structures: list[dict]
    services: list[dict]


def datainclusion_structures(*, producer: Producer | None = None) -> list[dict]:
    """Every structure publishing something (an active venue or an upcoming public
    session), by id."""
    producer = producer or producer_read()
    network = network_read(with_offers=False)
    return [structure_record(data, producer=producer) for data in network.structures]


def _services(network: Network, producer: Producer) -> list[dict]:
    offers = defaultdict(list)
    for offer in network.offers:  # sorted by structure, then atelier
        offers[offer.structure_id].append(offer)
    records = []
    for data in network.structures:
        for offer in offers[data.structure.pk]:
            records.append(
                atelier_service_record(offer, data, venues=network.venues, producer=producer)
            )
        for venue in data.venues:
            if venue.takes_appointments:
                records.append(appointment_service_record(venue, data, producer=producer))
    return records


def datainclusion_services(
    *, producer: Producer | None = None, now: datetime.datetime | None = None
) -> list[dict]:
    """Per structure (by id): its ateliers with upcoming public sessions (by atelier id),
    then its venues taking appointments (by name)."""
    return _services(network_read(now=now), producer or producer_read())


def datainclusion_files(
    *, producer: Producer | None = None, now: datetime.datetime | None = None
) -> DataInclusionFiles:
    """Both files from one read of the network (the open data page's counts)."""
    producer = producer or producer_read()
    network = network_read(now=now)
    return DataInclusionFiles(
        structures=[structure_record(data, producer=producer) for data in network.structures],
        services=_services(network, producer),
    )
