"""The open lists (no key): agenda sessions, guides and ateliers. Public data only: the
agenda's one definition of a public session (`agenda.selectors.public_sessions`), and live
pages without view restrictions. Each row carries `modified`, the date-time the cursor
and `filter[modification][depuis]` read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from wagtail.models import PageLogEntry
from wagtail.query import PageQuerySet

from agenda.selectors import public_sessions
from api.pagination import Removed
from learners.models import Session, Venue
from learners.national.lieux import missing_required, producer, venue_standard_row
from learners.selectors.places import Places, places_by_session
from learners.selectors.venues_standard import open_venues
from workshops.models import AtelierPage, Audience, Competence, GuidePage, Theme

_THEMES = Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name").order_by("name"))
_AUDIENCES = Prefetch(
    "audiences", queryset=Audience.objects.only("id", "slug", "name").order_by("sort_order")
)
_COMPETENCES = Prefetch(
    "competences",
    queryset=Competence.objects.select_related("framework").order_by("sort_order", "code"),
)


def api_sessions() -> QuerySet[Session]:
    """Upcoming public sessions; `modified` is the session's last change (a sign-up changes
    the places left, not this date)."""
    return (
        public_sessions()
        .select_related("atelier", "venue")
        .prefetch_related(
            _THEMES,
            _AUDIENCES,
            Prefetch(
                "atelier__audiences",
                queryset=Audience.objects.only("id", "slug", "name").order_by("sort_order"),
            ),
        )
        .annotate(modified=F("updated_at"))
    )


def api_session_places(sessions: list[Session]) -> dict[int, Places]:
    """Places of a page of sessions, in two queries."""
    return places_by_session(sessions)


_PUBLISHED = ("last_published_at", "first_published_at", "latest_revision_created_at")


# A move changes a page's URL (into a partner's section, say) without a publication.
_MOVED = Subquery(
    PageLogEntry.objects.filter(page_id=OuterRef("pk"), action="wagtail.move")
    .order_by("-timestamp")
    .values("timestamp")[:1]
)


def _published(pages: PageQuerySet) -> PageQuerySet:
    """Live public pages; `modified` is their last publication or move. A page published
    by a migration or an import may lack `last_published_at`."""
    published = Coalesce(*_PUBLISHED)
    return (
        pages.live()
        .public()
        .prefetch_related(_THEMES, _COMPETENCES)
        .annotate(modified=Greatest(Coalesce(_MOVED, published), published))
        .filter(modified__isnull=False)
    )


def api_guides() -> QuerySet[GuidePage]:
    return _published(GuidePage.objects.all())


def api_ateliers() -> QuerySet[AtelierPage]:
    return _published(AtelierPage.objects.all()).prefetch_related(_AUDIENCES)


def api_venues() -> QuerySet[Venue]:
    """The open venue files' venues (`open_venues()`, one definition), with what
    `venue_standard_row` reads (no query per venue)."""
    return open_venues().annotate(modified=F("updated_at"))


def api_venues_complete(venues: Sequence[Any], *, incremental: bool = False) -> list[Any]:
    """A page of venues less those the open files leave out: a venue lacking a required
    column of the standard (`missing_required`) is not published. In an incremental sync
    (`incremental`) it is reported as removed instead, since it may have been published
    before it lost that column (a warehouse deletes what it no longer may show)."""
    source = producer()
    kept: list[Any] = []
    for venue in venues:
        if not isinstance(venue, Venue):  # a removal (`api.pagination.Removed`) stays
            kept.append(venue)
        elif not missing_required(venue_standard_row(venue, source=source)):
            kept.append(venue)
        elif incremental:
            # `modified`: annotated by `api_venues()`, the list's order.
            kept.append(Removed(pk=venue.pk, modified=venue.modified))  # type: ignore[attr-defined]
    return kept
