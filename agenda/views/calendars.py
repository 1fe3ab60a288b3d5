"""Calendar files: one session (`agenda:session_ics`), a venue's and a structure's feeds
(`agenda:venue_feed`, `agenda:structure_feed`). Public, cached by the page cache under the
`agenda` scope and by browsers and proxies for 15 minutes (a mairie's website may embed a
feed); see agenda/calendars.py for what they hold."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agenda.calendars import calendar_build
from agenda.selectors import feed_sessions, session_for_calendar, venue_public
from caching import versions
from caching.pages import page_cached
from learners.models import Session, Structure

FEED_MAX_AGE = 15 * 60


def _host(request: HttpRequest) -> str:
    site_url = getattr(settings, "SITE_URL", "")
    return site_url.split("://", 1)[-1].split("/", 1)[0] if site_url else request.get_host()


def _session_url(request: HttpRequest):
    def url(session: Session) -> str:
        try:
            path = reverse("agenda:session", kwargs={"session_id": session.pk})
        except NoReverseMatch:  # the sign-up page is another part's; its venue meanwhile
            path = reverse("agenda:venue", kwargs={"venue_id": session.venue_id})
        return request.build_absolute_uri(path)

    return url


def _response(request: HttpRequest, *, content: bytes, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@page_cached
@require_safe
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    versions.current(versions.AGENDA, request=request)
    session = session_for_calendar(session_id=session_id)
    if session is None:
        raise Http404("séance inconnue")
    content = calendar_build(
        sessions=[session],
        name=session.display_title,
        host=_host(request),
        session_url=_session_url(request),
    )
    return _response(request, content=content, filename=f"seance-{session.pk}.ics", inline=False)


@page_cached
@require_safe
def venue_feed(request: HttpRequest, venue_id: int) -> HttpResponse:
    versions.current(versions.AGENDA, request=request)
    found = venue_public(venue_id=venue_id)
    if found is None:
        raise Http404("lieu inconnu ou fermé")
    content = calendar_build(
        sessions=feed_sessions(venue_id=found.pk),
        name=_("%(venue)s : ateliers et permanences") % {"venue": found.name},
        host=_host(request),
        session_url=_session_url(request),
    )
    return _response(request, content=content, filename=f"agenda-lieu-{found.pk}.ics", inline=True)


@page_cached
@require_safe
def structure_feed(request: HttpRequest, structure_id: int) -> HttpResponse:
    versions.current(versions.AGENDA, request=request)
    structure = Structure.objects.filter(pk=structure_id).first()
    if structure is None:
        raise Http404("structure inconnue")
    content = calendar_build(
        sessions=feed_sessions(structure_id=structure.pk),
        name=_("%(structure)s : ateliers et permanences") % {"structure": structure.name},
        host=_host(request),
        session_url=_session_url(request),
    )
    return _response(
        request, content=content, filename=f"agenda-structure-{structure.pk}.ics", inline=True
    )
