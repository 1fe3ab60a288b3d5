from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def search(request):
    """Site search. Grows with the publishing app (guides and ateliers)."""
    query = request.GET.get("q", "").strip()
    return TemplateResponse(
        request,
        "home/search.html",
        {"query": query, "page_title": _("Rechercher")},
    )
