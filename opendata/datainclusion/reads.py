"""The reads behind the data·inclusion files: public data only (structures, their active
venues, the communes their counsellors serve, upcoming public sessions grouped by atelier,
the live public atelier pages). No person is read: counsellors are read as the communes
they serve, nothing else.

A constant number of queries whatever the size of the network: one per table read
(structures, venues with their communes, counsellors' communes, sessions grouped, atelier
pages, their themes and audiences, view restrictions, the default site).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from wagtail.models import Site

from agenda.selectors import public_sessions
from learners.models import Counsellor, Structure, Venue
from learners.national.producer import producer_slug
from workshops.models import AtelierPage, Theme


@dataclass(frozen=True)
class Producer:
    """Who publishes: `source` (data·inclusion's producer id, `producer_slug()`) and the
    root URL every link starts from (the default Wagtail site's)."""

    source: str
    root_url: str


@dataclass
class StructureData:
    structure: Structure
    venues: list[Venue] = field(default_factory=list)  # active, by name
    served_communes: set[str] = field(default_factory=set)  # by its active counsellors
    has_counsellors: bool = False

    @property
    def main_venue(self) -> Venue | None:
        """The venue giving the structure its address: one in its own commune, else the
        first by name."""
        for venue in self.venues:
            if venue.commune_id == self.structure.commune_id:
                return venue
        return self.venues[0] if self.venues else None


@dataclass(frozen=True)
class AtelierOffer:
    """An atelier curriculum a structure offers: its upcoming public sessions' venues and
    their latest change."""

    structure_id: int
    atelier: AtelierPage
    venue_ids: tuple[int, ...]
    sessions_changed: datetime.datetime


@dataclass
class Network:
    structures: list[StructureData]
    venues: dict[int, Venue]  # every active venue, by id
    offers: list[AtelierOffer]


def producer_read() -> Producer:
    """The producer id (setting `OPEN_DATA_PRODUCER`, slugified, as in the venue files) and
    the root URL, from the default Wagtail site (one query)."""
    site = Site.objects.filter(is_default_site=True).first()
    root_url = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return Producer(source=producer_slug(), root_url=root_url.rstrip("/"))


def _offer_rows(now: datetime.datetime | None) -> dict[tuple[int, int], dict]:
    """(structure id, atelier id) → venue ids and latest session change, from the upcoming
    public sessions that follow a curriculum (one query)."""
    rows = (
        public_sessions(now=now)
        .filter(atelier__isnull=False)
        .values_list("structure_id", "atelier_id", "venue_id")
        .annotate(changed=Max("updated_at"))
        .order_by()
    )
    grouped: dict[tuple[int, int], dict] = {}
    for structure_id, atelier_id, venue_id, changed in rows:
        entry = grouped.setdefault(
            (structure_id, atelier_id), {"venues": set(), "changed": changed}
        )
        entry["venues"].add(venue_id)
        entry["changed"] = max(entry["changed"], changed)
    return grouped


def _ateliers(ids: set[int]) -> dict[int, AtelierPage]:
    """The live, public atelier pages among `ids`, with their themes (and parents) and
    audiences."""
    if not ids:
        return {}
    pages = (
        AtelierPage.objects.live()
        .public()
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.select_related("parent")), "audiences"
        )
    )
    return {page.pk: page for page in pages}


def _offers(now: datetime.datetime | None) -> list[AtelierOffer]:
    grouped = _offer_rows(now)
    ateliers = _ateliers({atelier_id for _, atelier_id in grouped})
    return [
        AtelierOffer(
            structure_id=structure_id,
            atelier=ateliers[atelier_id],
            venue_ids=tuple(sorted(entry["venues"])),
            sessions_changed=entry["changed"],
        )
        for (structure_id, atelier_id), entry in sorted(grouped.items())
        if atelier_id in ateliers
    ]


def network_read(*, now: datetime.datetime | None = None, with_offers: bool = True) -> Network:
    """The structures to publish (those with an active venue or an upcoming public
    session), every active venue, and (`with_offers`) the atelier offers."""
    upcoming = public_sessions(now=now).filter(structure_id=OuterRef("pk"))
    structures = {
        s.pk: StructureData(structure=s)
        for s in Structure.objects.filter(
            Q(Exists(Venue.objects.filter(structure_id=OuterRef("pk"), is_active=True)))
            | Q(Exists(upcoming))
        )
        .select_related("commune")
        .order_by("pk")
    }
    venues = {}
    for venue in (
        Venue.objects.filter(is_active=True).select_related("commune").order_by("name", "pk")
    ):
        venues[venue.pk] = venue
        if venue.structure_id in structures:
            structures[venue.structure_id].venues.append(venue)
    served = defaultdict(set)
    for structure_id, insee_code in Counsellor.objects.filter(user__is_active=True).values_list(
        "structure_id", "communes"
    ):
        if structure_id not in structures:
            continue
        structures[structure_id].has_counsellors = True
        if insee_code:
            served[structure_id].add(insee_code)
    for structure_id, codes in served.items():
        structures[structure_id].served_communes = codes
    offers = _offers(now) if with_offers else []
    return Network(
        structures=list(structures.values()),
        venues=venues,
        offers=[o for o in offers if o.structure_id in structures],
    )
