"""« Données ouvertes » (`opendata:index`, /donnees/): the published files, their schemas,
licence, last update and stable addresses, and the API's documentation.

Linked from every page's footer: page-cached (and so public for shared caches) under the
versions of what it counts, publication (ateliers) and agenda (sessions, venues and
structures: their services bump it), read before the queries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from caching import pages, versions
from opendata.catalogue import catalogue_read


@pages.page_cached
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    versions.read((versions.PUBLICATION, versions.AGENDA), request=request)
    context = {"page_title": _("Données ouvertes"), "catalogue": catalogue_read()}
    return render(request, "opendata/index.html", context)
