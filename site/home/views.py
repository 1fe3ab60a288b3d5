from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail import views as wagtail_views

from caching.routing import route_prime, site_for_request
from workshops.selectors import (
    SEARCH_QUERY_MAX_LENGTH,
    public_search,
    themes_with_guides,
)


def search(request):
    """Site search over published guides and ateliers, grouped by kind. Without a result
    (or without a query), suggests themes that lead to the guide index, filtered."""
    site_for_request(request)  # page links below without a site query
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = public_search(query=query) if query else None
    suggestions = []
    if results is None or results.total == 0:
        suggestions = themes_with_guides()
    return TemplateResponse(
        request,
        "home/search.html",
        {
            "query": query,
            "results": results,
            "suggested_themes": suggestions,
            "page_title": _("Rechercher"),
        },
    )


def serve(request, path: str):
    """Wagtail's page view, with its routing remembered (caching/routing.py)."""
    route_prime(request, path)
    return wagtail_views.serve(request, path)
