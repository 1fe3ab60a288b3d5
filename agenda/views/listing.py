"""The agenda's search page (`agenda:index`, /pres-de-chez-vous/)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from agenda.communes import CommuneLookup, LookupProblem, commune_label, insee_code_or_empty
from agenda.forms import AgendaSearchForm
from agenda.results import (
    FORM_TEMPLATE,
    AgendaSearch,
    ReadSearchForm,
    RenderedResults,
    lookup_remembered,
    results_render,
    search_form_read,
)
from caching import versions
from caching.pages import page_cached
from common.params import positive_int


def _page_number(request: HttpRequest) -> int:
    number = positive_int(request.GET.get("page"), max_digits=6)
    return number if number else 1


def _form_read(request: HttpRequest) -> ReadSearchForm:
    """The search form built from the URL, validated, then rendered (in that order: an
    invalid field is marked before it is rendered)."""
    form = AgendaSearchForm(request.GET or None)
    text = form.valid_values().get("commune") or ""
    html = render_to_string(FORM_TEMPLATE, {"form": form, "asked": bool(request.GET)})
    return ReadSearchForm(
        html=mark_safe(html),  # noqa: S308
        commune_text=text,
        radius_km=form.radius_km(),
        filters=form.agenda_filters(),
    )


def _form(request: HttpRequest) -> ReadSearchForm:
    values = None
    if request.GET:
        values = tuple((name, request.GET.get(name, "")) for name in AgendaSearchForm.base_fields)
    return search_form_read(
        values=values, asked=bool(request.GET), read=lambda: _form_read(request), request=request
    )


def _lookup(request: HttpRequest, form: ReadSearchForm) -> CommuneLookup | None:
    """The commune asked for, or None when none was typed nor chosen."""
    text = form.commune_text
    insee_code = insee_code_or_empty(request.GET.get("code_insee", ""))
    if not text and not insee_code:
        return None
    lookup = lookup_remembered(text=text, insee_code=insee_code, request=request)
    # An unknown code alone (a stale link): as if nothing had been asked.
    return None if lookup.problem == LookupProblem.EMPTY else lookup


# The parameters the page understands, in the order its links write them.
SEARCH_PARAMETERS = (
    "commune",
    "code_insee",
    "distance",
    "type",
    "thematique",
    "niveau",
    "public",
    "quand",
    "date",
)


def _query_without(request: HttpRequest, *names: str) -> str:
    """The search's parameters other than `names`, canonical: those the page understands,
    once each, empty ones left out (a link means the same whatever else was in the URL)."""
    params = [
        (name, request.GET.get(name, "").strip()) for name in SEARCH_PARAMETERS if name not in names
    ]
    return urlencode([(name, value) for name, value in params if value])


def _search(request: HttpRequest, form: ReadSearchForm, lookup: CommuneLookup | None):
    commune = lookup.commune if lookup else None
    return AgendaSearch(
        commune=commune,
        commune_label=commune_label(commune) if commune is not None else "",
        located=lookup is not None,
        radius_km=form.radius_km,
        filters=form.filters,
        page=_page_number(request),
        filter_query=_query_without(request, "page"),
    )


@page_cached
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    # Read before the queries, in one round trip: the cached page and the rendered results
    # are kept under these versions.
    versions.read((versions.PUBLICATION, versions.AGENDA), request=request)
    form = _form(request)
    lookup = _lookup(request, form)
    results: RenderedResults | None = None
    if lookup is None or lookup.commune is not None:
        results = results_render(search=_search(request, form, lookup), request=request)
    context = {
        "search_form": form.html,
        "lookup": lookup,
        "commune_label": commune_label(lookup.commune) if lookup and lookup.commune else "",
        "results": results,
        "choice_query": _query_without(request, "page", "code_insee", "commune"),
    }
    return render(request, "agenda/index.html", context)
