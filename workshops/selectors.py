"""Reads of the publishing app for the public site: index listings with their filters,
the related content of a guide or an atelier, the step pictures' renditions, and search.

Every function here runs a fixed number of queries, whatever the number of pages, steps or
images (the tests bound them), so that a page's cost never grows with its content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.query import And, Or, PlainText

from caching import memo, routing
from workshops.guide_about import GuideAbout, guide_about
from workshops.models import (
    AtelierHandout,
    AtelierIndexPage,
    AtelierPage,
    GuideIndexPage,
    GuidePage,
    Theme,
)
from workshops.renditions import GUIDE_STEP_SPECS

if TYPE_CHECKING:
    # Wagtail ships no types: both are Any to mypy, named here for the reader.
    from wagtail.query import PageQuerySet
    from wagtail.search.query import SearchQuery

INDEX_PAGE_SIZE = 12
SEARCH_RESULTS_PER_GROUP = 20
SEARCH_QUERY_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 8


# Listings -------------------------------------------------------------------------------


def _restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction (their whole subtree is private),
    read once per process and publication version (a restriction saved or deleted bumps
    it), with the routing's (caching/routing.py)."""
    return routing.restricted_paths()


def live_public(queryset: PageQuerySet) -> PageQuerySet:
    """`queryset.live().public()` without Wagtail's query of the view restrictions on
    each call."""
    queryset = queryset.live()
    for path in _restricted_paths():
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def _filter_pages(queryset: PageQuerySet, *, filters: dict, level_field: str) -> PageQuerySet:
    theme = filters.get("thematique")
    if theme is not None:
        # A parent theme ("Aide aux démarches administratives") includes its sub-themes.
        queryset = queryset.filter(Q(themes=theme) | Q(themes__parent=theme))
    audience = filters.get("public")
    if audience is not None:
        queryset = queryset.filter(audiences=audience)
    competence = filters.get("competence")
    if competence is not None:
        queryset = queryset.filter(competences=competence)
    level = filters.get("niveau")
    if level:
        queryset = queryset.filter(**{level_field: level})
    if theme is not None or audience is not None or competence is not None:
        queryset = queryset.distinct()
    return queryset


def guide_list(*, index: Page | None = None, filters: dict | None = None) -> PageQuerySet:
    """Live public guides (anywhere under `index` when given: the index or one of its
    partner sections), filtered by the cleaned values of a `GuideFilterForm`,
    alphabetical, with what a card shows prefetched."""
    queryset = live_public(GuidePage.objects.all())
    if index is not None:
        queryset = queryset.descendant_of(index)
    queryset = _filter_pages(queryset, filters=filters or {}, level_field="difficulty")
    return queryset.defer_streamfields().prefetch_related("themes").order_by("title", "pk")


def atelier_list(*, index: Page | None = None, filters: dict | None = None) -> PageQuerySet:
    """Live public ateliers (anywhere under `index` when given), filtered like
    `guide_list`."""
    queryset = live_public(AtelierPage.objects.all())
    if index is not None:
        queryset = queryset.descendant_of(index)
    queryset = _filter_pages(queryset, filters=filters or {}, level_field="level")
    return (
        queryset.defer_streamfields()
        .defer("facilitator_notes")
        .prefetch_related("audiences", "themes")
        .order_by("title", "pk")
    )


def paginate(
    queryset: QuerySet, *, page_number: str | None, per_page: int = INDEX_PAGE_SIZE
) -> PaginatorPage:
    """A page of results; a missing, malformed or out-of-range number gives the first or
    the last page rather than an error."""
    return Paginator(queryset, per_page).get_page(page_number)


def pagination_window(page: PaginatorPage) -> list[int | str]:
    """Page numbers to link around the current one, `Paginator.ELLIPSIS` (« … ») for a
    gap."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


# Detail pages ---------------------------------------------------------------------------


def guide_detail(*, guide: GuidePage, request: HttpRequest | None = None) -> GuideAbout:
    """What the guide page shows besides its own fields (one query, workshops/guide_about.py),
    and the renditions of its step pictures attached to the images (see
    `guide_step_renditions_prefetch`).

    With the request of a published page (not a preview), the « À propos » is kept per
    process and publication version (caching/memo.py), like the navigation: every row it
    shows (competences, themes, audiences, view restrictions, the ateliers and their
    relation to the guide) bumps that version when saved or published. Its instances are
    shared by the requests: the template only reads them."""
    guide_step_renditions_prefetch(guide=guide)
    if (
        request is None
        or getattr(request, "is_preview", False)
        or guide.pk is None
        or getattr(guide, "_cluster_related_objects", None)
    ):
        return guide_about(guide=guide)
    key = ("guide_about", guide.pk, guide.cache_key)
    return memo.memoize(key, lambda: guide_about(guide=guide), request=request)


@dataclass
class AtelierDetail:
    competences: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    handouts: list = field(default_factory=list)
    guides: list = field(default_factory=list)


def atelier_detail(*, atelier: AtelierPage) -> AtelierDetail:
    """What the atelier page shows besides its own fields. Facilitator notes are not part
    of it: they are for counsellors, in the admin only."""
    return AtelierDetail(
        competences=list(atelier.competences.select_related("framework")),
        themes=list(atelier.themes.select_related("parent")),
        audiences=list(atelier.audiences.all()),
        handouts=list(
            AtelierHandout.objects.filter(page=atelier)
            .select_related("document")
            .order_by("sort_order")
        ),
        guides=list(
            live_public(GuidePage.objects.all())
            .filter(ateliers=atelier)
            .defer_streamfields()
            .order_by("title")
        ),
    )


def guide_step_renditions_prefetch(*, guide: GuidePage) -> None:
    """Loads, in one query, the existing renditions (`GUIDE_STEP_SPECS`) of every step
    image of `guide` and attaches them to the images the steps hold, so that rendering the
    steps does not query per image. A rendition not generated yet is created on first use.
    """
    images = [
        block.value["image"]
        for block in guide.steps
        if block.block_type == "step" and block.value.get("image") is not None
    ]
    # Once per page instance: the guide page's template and `guide_detail` both ask.
    if all(hasattr(image, "prefetched_renditions") for image in images):
        return
    rendition_model = get_image_model().get_rendition_model()
    by_image: dict[int, list] = defaultdict(list)
    for rendition in rendition_model.objects.filter(
        image_id__in={image.pk for image in images}, filter_spec__in=GUIDE_STEP_SPECS
    ):
        by_image[rendition.image_id].append(rendition)
    for image in images:
        image.prefetched_renditions = list(by_image[image.pk])


def public_index_pages() -> dict[str, Page]:
    """The live guide and atelier index pages, for the site navigation (one query)."""
    kinds = {
        GuideIndexPage: "guides",
        AtelierIndexPage: "ateliers",
    }
    found: dict[str, Page] = {}
    for page in Page.objects.live().type(*kinds).order_by("path").specific(defer=True):
        found.setdefault(kinds[type(page)], page)
    return found


# Search ---------------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """The words of a query, stripped of punctuation and search-engine syntax (quotes,
    `*`, parentheses, `-`, which FTS5 and tsquery would otherwise interpret), at most
    `SEARCH_MAX_TERMS` of them."""
    words = re.findall(r"\w+", query[:SEARCH_QUERY_MAX_LENGTH])
    return [word for word in words if word != "_"][:SEARCH_MAX_TERMS]


def _word_forms(term: str) -> SearchQuery:
    """The term, or for a word ending in « -ons » the term OR its infinitive in « -er »:
    French stemming (Snowball, on both databases) leaves « declarons » as « declaron »
    while « déclarer » gives « declar », so « nous déclarons » would not find « Déclarer
    ses revenus ». Only widens the results (a noun such as « boutons » also looks for
    « bouter »), and the same way on both databases."""
    if len(term) > 5 and term.lower().endswith("ons"):
        return Or([PlainText(term), PlainText(term[:-3] + "er")])
    return PlainText(term)


def build_search_query(query: str) -> SearchQuery | None:
    """A search query object for Wagtail's database backend, or None when nothing is left.

    The words are combined with AND and passed as typed: both databases remove accents,
    drop French stop words and stem French words, on the indexed text and on the query
    alike, so « impots » finds « impôts », « atelier » finds « ateliers » and « installe »
    finds « installer ». PostgreSQL does it with the `french_unaccent` text search
    configuration (home migration 0003, `WAGTAILSEARCH_BACKENDS`), SQLite with the same
    steps in Python (`common.search_backend`, Snowball's French stemmer).
    """
    terms = search_terms(query)
    if not terms:
        return None
    parts = [_word_forms(term) for term in terms]
    if all(isinstance(part, PlainText) for part in parts):
        return PlainText(" ".join(terms), operator="and")
    return parts[0] if len(parts) == 1 else And(parts)


@dataclass
class SearchResults:
    query: str
    guides: list = field(default_factory=list)
    guide_count: int = 0
    ateliers: list = field(default_factory=list)
    atelier_count: int = 0

    @property
    def total(self) -> int:
        return self.guide_count + self.atelier_count


def public_search(*, query: str, limit: int = SEARCH_RESULTS_PER_GROUP) -> SearchResults:
    """Live public guides and ateliers matching `query`, best first, grouped by kind (at
    most `limit` of each, with the total counts). Facilitator notes are not indexed."""
    results = SearchResults(query=query)
    search_query = build_search_query(query)
    if search_query is None:
        return results
    guides = live_public(GuidePage.objects.all()).defer_streamfields().search(search_query)
    ateliers = (
        live_public(AtelierPage.objects.all())
        .defer_streamfields()
        .defer("facilitator_notes")
        .search(search_query)
    )
    results.guides = list(guides[:limit])
    results.guide_count = len(results.guides) if len(results.guides) < limit else guides.count()
    results.ateliers = list(ateliers[:limit])
    results.atelier_count = (
        len(results.ateliers) if len(results.ateliers) < limit else ateliers.count()
    )
    return results


def themes_with_guides(*, limit: int = 12) -> list[Theme]:
    """Themes that have live public guides, the most used first (suggestions for a search
    without result), each annotated with `guide_count`."""
    live_guides = live_public(GuidePage.objects.all()).values("pk")
    return list(
        Theme.objects.filter(guides__in=live_guides)
        .annotate(guide_count=Count("guides", distinct=True))
        .select_related("parent")
        .order_by("-guide_count", "sort_order", "name")[:limit]
    )
