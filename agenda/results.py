"""The agenda's search results (the heading, the list and its pagination) and its search
form, rendered once per process for the same search under the current versions of the
`publication` and `agenda` scopes (caching/memo.py), so that a second visitor asking the
same thing, with another query string of the same meaning, costs no query for them.

Fresh exactly like the page cache: every change of places or sessions bumps the `agenda`
scope, and the agenda's clock bumps it when a session starts (agenda/clock.py). The key
also holds the minute, so a started session leaves within a minute even where the clock
does not run. Off with `RENDER_CACHE_SECONDS=0` (the test settings), like the render cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from agenda.communes import CommuneLookup, commune_lookup
from agenda.selectors import COUNT_CAP, AgendaFilters, agenda_search
from caching import memo
from caching.fragments import render_seconds
from caching.versions import AGENDA, PUBLICATION
from learners.models import Commune

RESULTS_TEMPLATE = "agenda/includes/results.html"
FORM_TEMPLATE = "agenda/includes/search_form.html"
SCOPES = (PUBLICATION, AGENDA)
BUCKET_SECONDS = 60

T = TypeVar("T")


@dataclass(frozen=True)
class AgendaSearch:
    """A search, normalised: what the results depend on."""

    commune: Commune | None
    commune_label: str
    located: bool  # a commune was asked for (even one not found)
    radius_km: int
    filters: AgendaFilters
    page: int
    filter_query: str  # the pagination links' parameters, canonical

    def key(self) -> tuple[object, ...]:
        insee_code = self.commune.insee_code if self.commune is not None else None
        return (
            "agenda-results",
            translation.get_language(),
            insee_code,
            self.located,
            self.radius_km,
            self.filters,
            self.page,
            self.filter_query,
        )


@dataclass(frozen=True)
class RenderedResults:
    html: SafeString
    number: int  # the page shown (a page past the end shows the last one)


def _memoized(key: tuple[object, ...], compute: Callable[[], T], request: HttpRequest) -> T:
    if not render_seconds():
        return compute()
    bucket = int(time.time() // BUCKET_SECONDS)
    return memo.memoize((*key, bucket), compute, request=request, scopes=SCOPES)


def lookup_remembered(*, text: str, insee_code: str, request: HttpRequest) -> CommuneLookup:
    """`commune_lookup`, once per process for the same text and code."""
    return _memoized(
        ("agenda-commune", text, insee_code),
        lambda: commune_lookup(text=text, insee_code=insee_code),
        request,
    )


def results_render(*, search: AgendaSearch, request: HttpRequest) -> RenderedResults:
    """The rendered results of `search` (queries only when not already rendered)."""

    def render() -> RenderedResults:
        found = agenda_search(
            commune=search.commune,
            radius_km=search.radius_km,
            filters=search.filters,
            page=search.page,
        )
        context = {
            "results": found.page,
            "page_links": found.page_links,
            "capped": found.capped,
            "cap": COUNT_CAP,
            "commune_label": search.commune_label,
            "located": search.located,
            "radius_km": search.radius_km,
            "filter_query": search.filter_query,
        }
        html = render_to_string(RESULTS_TEMPLATE, context)
        return RenderedResults(html=mark_safe(html), number=found.page.number)  # noqa: S308

    return _memoized(search.key(), render, request)


@dataclass(frozen=True)
class ReadSearchForm:
    """The search form, read and rendered: what the page needs of it."""

    html: SafeString  # the form with its error summary
    commune_text: str
    radius_km: int
    filters: AgendaFilters


def search_form_read(
    *,
    values: tuple[tuple[str, str], ...] | None,
    asked: bool,
    read: Callable[[], ReadSearchForm],
    request: HttpRequest,
) -> ReadSearchForm:
    """`read()` (build, validate and render the form), once per process for the same
    submitted `values`: the same for every visitor asking the same thing (the filters'
    dates depend on the day at most, the minute is in the key). `asked`: whether the URL
    holds parameters (the form then offers to clear them)."""
    return _memoized(("agenda-form", translation.get_language(), values, asked), read, request)
