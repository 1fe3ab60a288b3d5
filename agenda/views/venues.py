"""A venue's public page (`agenda:venue`, /pres-de-chez-vous/lieux/<id>/)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agenda.opening_hours import opening_hours_text
from agenda.selectors import venue_public, venue_upcoming
from caching import versions
from caching.pages import page_cached


@page_cached
@require_safe
def venue(request: HttpRequest, venue_id: int) -> HttpResponse:
    versions.current(versions.AGENDA, request=request)
    found = venue_public(venue_id=venue_id)
    if found is None:
        raise Http404("lieu inconnu ou fermé")
    context = {
        "venue": found,
        "hours": opening_hours_text(found.opening_hours),
        "items": venue_upcoming(venue=found),
    }
    return render(request, "agenda/venue.html", context)
