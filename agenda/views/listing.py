"""The agenda's search page (`agenda:index`, /pres-de-chez-vous/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agenda.communes import CommuneLookup, LookupProblem, commune_label, commune_lookup
from agenda.forms import AgendaSearchForm
from agenda.selectors import AgendaResults, agenda_search
from caching import versions
from caching.pages import page_cached


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _lookup(request: HttpRequest, form: AgendaSearchForm) -> CommuneLookup | None:
    """The commune asked for, or None when none was typed nor chosen."""
    text = form.valid_values().get("commune") or ""
    insee_code = request.GET.get("code_insee", "").strip()
    if not text and not insee_code:
        return None
    lookup = commune_lookup(text=text, insee_code=insee_code)
    # An unknown code alone (a stale link): as if nothing had been asked.
    return None if lookup.problem == LookupProblem.EMPTY else lookup


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@page_cached
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    # Read before the queries: the cached page is kept under this version of the agenda.
    versions.current(versions.AGENDA, request=request)
    form = AgendaSearchForm(request.GET or None)
    lookup = _lookup(request, form)
    results: AgendaResults | None = None
    if lookup is None or lookup.commune is not None:
        results = agenda_search(
            commune=lookup.commune if lookup else None,
            radius_km=form.radius_km(),
            filters=form.agenda_filters(),
            page=_page_number(request),
        )
    context = {
        "form": form,
        "lookup": lookup,
        "commune_label": commune_label(lookup.commune) if lookup and lookup.commune else "",
        "results": results.page if results else None,
        "page_links": results.page_links if results else [],
        "filter_query": _query_without(request, "page"),
        "choice_query": _query_without(request, "page", "code_insee", "commune"),
        "radius_km": form.radius_km(),
    }
    return render(request, "agenda/index.html", context)
