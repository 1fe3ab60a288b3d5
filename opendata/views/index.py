"""« Données ouvertes » (`opendata:index`, /donnees/): the published files, their schemas,
licence, last update and stable addresses, and the API's documentation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata.catalogue import catalogue_read


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = {"page_title": _("Données ouvertes"), "catalogue": catalogue_read()}
    return render(request, "opendata/index.html", context)
