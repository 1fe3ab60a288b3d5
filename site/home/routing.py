"""Wagtail's page view with its routing remembered per process and publication version.

Wagtail resolves every request from scratch: a query for the site, one per level of the
page tree (base page, then specific page) and one for the view restrictions: six queries
and more than half the time of an uncached guide page. What they answer changes only
when a page is published, unpublished, moved, renamed or deleted, a view restriction
changes or a site is edited, and each of those bumps the publication version
(workshops/publication.py, receivers in home/pagecache.py).

So the first request for a path routes as Wagtail does and remembers the answer (the
site, the live page as loaded, whether a view restriction applies); the next ones take a
copy of that page (no query) and hand Wagtail's own `serve` a ready route, through the
attributes Wagtail caches its own answers in (`request._wagtail_site`,
`request._wagtail_route_for_request`).
Wagtail's hooks (view restrictions, `before_serve_page`) and the page's `serve` run as
usual. Anything unusual (a route with arguments, a 404, a page of another type than
remembered) is left to Wagtail.
"""

from __future__ import annotations

import copy

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from workshops import publication

_NO_SITE = object()


def _site_for(request: HttpRequest) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    key = ("routing.site", hostname, request.get_port())
    site = publication.recall(key, request=request, default=_NO_SITE)
    if site is _NO_SITE:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page  # noqa: B018 (loaded once here, not on every request)
        publication.remember(key, site, request=request)
    return site


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request`, remembered: for views outside the page tree (the search)
    whose templates link to pages."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = _site_for(request)
    return request._wagtail_site


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


def _prime_route(request: HttpRequest, path: str) -> None:
    """Sets Wagtail's per-request route from the memo, or routes and remembers."""
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = _site_for(request)
    request._wagtail_site = site
    if site is None:
        return
    key = ("routing.page", site.pk, path)
    remembered = publication.recall(key, request=request)
    if remembered is not None:
        live_page, restricted = remembered
        # A copy per request (Django copies the instance's state and relation caches):
        # whatever serving sets on the page stays with this request.
        page = copy.copy(live_page)
        if not restricted:
            # Wagtail's view-restriction hook asks the page; the answer is known.
            page.get_view_restrictions = _no_view_restrictions
        request._wagtail_route_for_request = RouteResult(page)
        return
    route = Page.route_for_request(request, path)
    if route is None:
        return
    page, args, kwargs = route
    if args or kwargs or not page.live:
        return
    restricted = page.get_view_restrictions().exists()
    publication.remember(key, (copy.copy(page), restricted), request=request)


def serve(request: HttpRequest, path: str):
    _prime_route(request, path)
    return wagtail_views.serve(request, path)
