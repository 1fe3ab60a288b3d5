"""Reads of the public agenda: upcoming published sessions near a commune, of a venue, of
an atelier curriculum, and the sessions of the calendar feeds. Public data only (never a
sign-up, never a person): no scoping.

**Near a commune.** Venues within `radius_km` of the commune's centre: a bounding box in
SQL (a venue without coordinates stands at its commune's centre), the exact great-circle
distance in Python. Their upcoming published, non-cancelled sessions (never individual
appointments) are sorted by distance, then date, and paginated without reading them all:
one query reads the venues of the box (with their communes' centres), one counts the
matching sessions per venue for the nearest 100 venues (one more for the others only
while fewer than 500 sessions are counted: beyond, « plus de 500 dates » and only the
first 500 are offered), the page's window is placed on those counts, one query reads the
(id, start) of the venues the window touches, one reads the page's sessions, two count
their places (`learners.selectors.places`): six or seven queries whatever the number of
venues or results (`session_agenda_idx` serves the session reads, `venue_coords_idx` the
venues).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Commune, Session, Venue
from learners.selectors.places import Places, places_by_session
from workshops.models import AtelierPage

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE_LATITUDE = 111.2
RADII_KM = (5, 10, 20, 50)
DEFAULT_RADIUS_KM = 20
PER_PAGE = 20
# Near a commune, sessions are counted up to this many (then « plus de 500 dates »);
# the nearest FIRST_COUNT_BATCH venues are counted first, the others only if needed.
COUNT_CAP = 500
FIRST_COUNT_BATCH = 100
# What the public agenda lists: never individual appointments.
PUBLIC_KINDS = (SessionKind.WORKSHOP, SessionKind.DISCUSSION, SessionKind.DROP_IN)
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 366


@dataclass(frozen=True)
class AgendaFilters:
    """What the person narrowed the list to (all optional)."""

    kinds: tuple[str, ...] = PUBLIC_KINDS
    theme_id: int | None = None
    level: str = ""
    audience_id: int | None = None
    start_from: datetime.datetime | None = None
    start_before: datetime.datetime | None = None


@dataclass(frozen=True)
class AgendaItem:
    session: Session
    places: Places
    distance_km: float | None = None


@dataclass(frozen=True)
class NearbyVenue:
    venue_id: int
    distance_km: float


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lng1, lat2, lng2))
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _upcoming(now: datetime.datetime | None) -> QuerySet[Session]:
    """Published, not cancelled, not started sessions of a public kind at a venue (whether
    the venue is active is checked by the caller)."""
    return Session.objects.filter(
        is_published=True,
        cancelled_at__isnull=True,
        start__gt=now or timezone.now(),
        kind__in=PUBLIC_KINDS,
        venue__isnull=False,
    ).order_by()


def public_sessions(*, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Upcoming sessions anyone may see: published, not cancelled, not started, at an
    active venue, of a public kind."""
    return _upcoming(now).filter(venue__is_active=True)


def _filtered(sessions: QuerySet[Session], filters: AgendaFilters) -> QuerySet[Session]:
    kinds = [k for k in filters.kinds if k in PUBLIC_KINDS] or list(PUBLIC_KINDS)
    if set(kinds) != set(PUBLIC_KINDS):
        sessions = sessions.filter(kind__in=kinds)
    if filters.theme_id is not None:
        sessions = sessions.filter(
            Exists(
                Session.themes.through.objects.filter(
                    session_id=OuterRef("pk"), theme_id=filters.theme_id
                )
            )
        )
    if filters.level:
        sessions = sessions.filter(level=filters.level)
    if filters.audience_id is not None:
        own = Session.audiences.through.objects.filter(
            session_id=OuterRef("pk"), audience_id=filters.audience_id
        )
        curriculum = AtelierPage.audiences.through.objects.filter(
            atelierpage_id=OuterRef("atelier_id"), audience_id=filters.audience_id
        )
        sessions = sessions.filter(Exists(own) | Exists(curriculum))
    if filters.start_from is not None:
        sessions = sessions.filter(start__gte=filters.start_from)
    if filters.start_before is not None:
        sessions = sessions.filter(start__lt=filters.start_before)
    return sessions


def _bounding_box(commune: Commune, radius_km: float) -> tuple[float, float, float, float]:
    lat, lng = float(commune.latitude or 0), float(commune.longitude or 0)
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlng = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def venues_near(*, commune: Commune, radius_km: float) -> list[NearbyVenue]:
    """Active venues within `radius_km` of the commune's centre, nearest first. One query:
    the venues in the box by their own coordinates, and those without coordinates whose
    commune's centre is in the box (that centre read with them)."""
    if commune.latitude is None or commune.longitude is None:
        return []
    south, north, west, east = _bounding_box(commune, radius_km)
    fields = ("pk", "latitude", "longitude", "commune__latitude", "commune__longitude")
    active = Venue.objects.filter(is_active=True).order_by()
    own = active.filter(latitude__range=(south, north), longitude__range=(west, east))
    inherited = active.filter(
        latitude__isnull=True,
        commune__latitude__range=(south, north),
        commune__longitude__range=(west, east),
    )
    # Two index scans joined by UNION ALL (disjoint: with or without own coordinates).
    rows = own.values_list(*fields).union(inherited.values_list(*fields), all=True)
    found = []
    origin_lat, origin_lng = commune.latitude, commune.longitude
    for pk, lat, lng, centre_lat, centre_lng in rows:
        if lat is None or lng is None:
            lat, lng = centre_lat, centre_lng
        if lat is None or lng is None:
            continue
        km = distance_km(origin_lat, origin_lng, lat, lng)
        if km <= radius_km:
            found.append(NearbyVenue(venue_id=pk, distance_km=km))
    found.sort(key=lambda v: (v.distance_km, v.venue_id))
    return found


def _with_related(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("venue", "venue__commune", "atelier", "series")


def _items(sessions: list[Session], distances: dict[int, float] | None = None) -> list[AgendaItem]:
    places = places_by_session(sessions)
    distances = distances or {}
    return [
        AgendaItem(
            session=s,
            places=places[s.pk],
            distance_km=distances.get(s.venue_id) if s.venue_id else None,
        )
        for s in sessions
    ]


class _NearbyWindow(Sequence[AgendaItem]):
    """The sessions near a commune as a lazy sequence sorted by (distance, start, id):
    a slice reads only the venues it touches. The sessions are counted per venue, nearest
    venues first, in growing batches, only until `COUNT_CAP` is passed: `len()` is the
    exact number up to the cap, `COUNT_CAP` beyond (`capped`: « plus de 500 dates »), so a
    search in a dense city does not count thousands of sessions nobody pages through."""

    def __init__(self, sessions: QuerySet[Session], venues: list[NearbyVenue]) -> None:
        self._sessions = sessions
        self._venues = venues
        self._distances = {v.venue_id: v.distance_km for v in venues}
        self._counts: dict[int, int] = {}
        self._counted = 0  # venues counted so far, in distance order
        self._total = 0
        self._count_until(COUNT_CAP + 1)
        self.capped = self._total > COUNT_CAP
        self._total = min(self._total, COUNT_CAP)

    def _count_until(self, wanted: int) -> None:
        batch = FIRST_COUNT_BATCH
        while self._total < wanted and self._counted < len(self._venues):
            ids = [v.venue_id for v in self._venues[self._counted : self._counted + batch]]
            counts = dict(
                self._sessions.filter(venue_id__in=ids)
                .values_list("venue_id")
                .annotate(n=Count("id"))
                .order_by()
            )
            self._counts.update(counts)
            self._total += sum(counts.values())
            self._counted += len(ids)
            batch = len(self._venues)  # then the rest at once

    def __len__(self) -> int:
        return self._total

    def _touched(self, start: int, stop: int) -> tuple[list[int], int]:
        """The venues holding positions [start, stop), and how many sessions come before
        the first of them."""
        touched: list[int] = []
        before = seen = 0
        for venue in self._venues:
            n = self._counts.get(venue.venue_id, 0)
            if n and seen + n > start and seen < stop:
                if not touched:
                    before = seen
                touched.append(venue.venue_id)
            seen += n
            if seen >= stop:
                break
        return touched, before

    def _window(self, start: int, stop: int) -> list[AgendaItem]:
        start, stop = max(start, 0), min(stop, self._total)
        touched, before = self._touched(start, stop)
        if not touched:
            return []
        rank = {venue_id: i for i, venue_id in enumerate(touched)}
        keys = sorted(
            self._sessions.filter(venue_id__in=touched).values_list("venue_id", "start", "id"),
            key=lambda row: (rank[row[0]], row[1], row[2]),
        )
        wanted = [row[2] for row in keys[start - before : stop - before]]
        by_id = {s.pk: s for s in _with_related(Session.objects.filter(pk__in=wanted))}
        return _items([by_id[pk] for pk in wanted if pk in by_id], self._distances)

    @overload
    def __getitem__(self, index: int) -> AgendaItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[AgendaItem]: ...
    def __getitem__(self, index: int | slice) -> AgendaItem | list[AgendaItem]:
        if isinstance(index, slice):
            return self._window(index.start or 0, self._total if index.stop is None else index.stop)
        found = self._window(index, index + 1)
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[AgendaItem]:
        return iter(self._window(0, self._total))


class _NetworkWindow(Sequence[AgendaItem]):
    """Every upcoming session of the network, by date (no commune given)."""

    def __init__(self, sessions: QuerySet[Session]) -> None:
        self._sessions = sessions.order_by("start", "id")

    def __len__(self) -> int:
        return self._sessions.count()

    @overload
    def __getitem__(self, index: int) -> AgendaItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[AgendaItem]: ...
    def __getitem__(self, index: int | slice) -> AgendaItem | list[AgendaItem]:
        if isinstance(index, slice):
            return _items(list(_with_related(self._sessions[index])))
        return _items(list(_with_related(self._sessions[index : index + 1])))[0]


@dataclass(frozen=True)
class AgendaResults:
    page: Page
    page_links: list[Any] = field(default_factory=list)
    capped: bool = False  # more than COUNT_CAP sessions: only the first ones are offered


def agenda_search(
    *,
    commune: Commune | None,
    radius_km: float = DEFAULT_RADIUS_KM,
    filters: AgendaFilters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime.datetime | None = None,
) -> AgendaResults:
    """One page of upcoming sessions: near `commune` (distance, then date), or of the whole
    network by date when no commune is given. A page number past the end gives the last
    page. Query count bounded (module docstring)."""
    filters = filters or AgendaFilters()
    window: Sequence[AgendaItem]
    if commune is None:
        window = _NetworkWindow(_filtered(public_sessions(now=now), filters))
    else:
        # The venues found near the commune are active ones: no join on venues needed.
        nearby = venues_near(commune=commune, radius_km=radius_km)
        window = _NearbyWindow(_filtered(_upcoming(now), filters), nearby)
    paginator = Paginator(window, per_page)
    found = paginator.get_page(page)
    links = list(paginator.get_elided_page_range(found.number, on_each_side=2, on_ends=1))
    capped = isinstance(window, _NearbyWindow) and window.capped
    return AgendaResults(page=found, page_links=links, capped=capped)


def venue_public(*, venue_id: int) -> Venue | None:
    """An active venue with its commune and structure, or None."""
    return (
        Venue.objects.filter(pk=venue_id, is_active=True)
        .select_related("commune", "structure")
        .first()
    )


def venue_upcoming(*, venue: Venue, limit: int = 50) -> list[AgendaItem]:
    """The venue's next public sessions by date, with their places (3 queries)."""
    sessions = list(
        _with_related(public_sessions().filter(venue=venue).order_by("start", "id"))[:limit]
    )
    return _items(sessions)


def atelier_upcoming(*, atelier_id: int, limit: int = 6) -> list[AgendaItem]:
    """The next public sessions of an atelier curriculum, by date, with places (3 queries)."""
    sessions = list(
        _with_related(public_sessions().filter(atelier_id=atelier_id).order_by("start", "id"))[
            :limit
        ]
    )
    return _items(sessions)


def feed_sessions(
    *,
    venue_id: int | None = None,
    structure_id: int | None = None,
    now: datetime.datetime | None = None,
) -> list[Session]:
    """Published sessions of a venue or a structure for a calendar feed: from 30 days ago to
    a year ahead, cancelled ones included (shown as cancelled), never individual
    appointments (one query)."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        is_published=True,
        kind__in=PUBLIC_KINDS,
        venue__isnull=False,
        venue__is_active=True,
        start__gte=now - datetime.timedelta(days=FEED_PAST_DAYS),
        start__lt=now + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )
    if venue_id is not None:
        sessions = sessions.filter(venue_id=venue_id)
    if structure_id is not None:
        sessions = sessions.filter(structure_id=structure_id)
    return list(_with_related(sessions).order_by("start", "id"))


def session_for_calendar(*, session_id: int) -> Session | None:
    """A published public session (past, future or cancelled) for its .ics file."""
    return _with_related(
        Session.objects.filter(
            pk=session_id,
            is_published=True,
            kind__in=PUBLIC_KINDS,
            venue__isnull=False,
            venue__is_active=True,
        )
    ).first()
