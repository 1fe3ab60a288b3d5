"""Wagtail's routing remembered per process and publication version.

Wagtail resolves every request from scratch: a query for the site, one per level of the
page tree (base page, then specific page) and one for the view restrictions: six queries
and more than half the time of an uncached guide page. What they answer changes only
when a page is published, unpublished, moved, renamed or deleted, a view restriction
changes or a site is edited, and each of those bumps the publication version
(caching/versions.py, receivers in caching/invalidation.py).

So the first request for a path routes as Wagtail does and remembers the answer (the
site, the live page as loaded, whether a view restriction applies); the next ones take a
copy of that page (no query) and hand Wagtail's own `serve` a ready route, through the
attributes Wagtail caches its own answers in (common/wagtail_internals.py).
Wagtail's hooks (view restrictions, `before_serve_page`) and the page's `serve` run as
usual. Anything unusual (a route with arguments, a 404, a page of another type than
remembered) is left to Wagtail. The view calling `route_prime` is `home.views.serve`.
"""

from __future__ import annotations

import copy

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, Site

from caching import memo
from common import wagtail_internals

_NO_SITE = object()


def _site_for(request: HttpRequest) -> Site | None:
    hostname = wagtail_internals.request_hostname(request)
    key = ("routing.site", hostname, request.get_port())
    site = memo.recall(key, request=request, default=_NO_SITE)
    if site is _NO_SITE:
        site = wagtail_internals.site_find_uncached(request)
        if site is not None:
            site.root_page  # noqa: B018 (loaded once here, not on every request)
        memo.remember(key, site, request=request)
    return site


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request`, remembered: for views outside the page tree (the search)
    whose templates link to pages."""
    if not wagtail_internals.request_has_site(request):
        wagtail_internals.request_set_site(request, _site_for(request))
    return wagtail_internals.request_site(request)


def _no_view_restrictions() -> QuerySet[PageViewRestriction]:
    return PageViewRestriction.objects.none()


def route_prime(request: HttpRequest, path: str) -> None:
    """Sets Wagtail's per-request route from the memo, or routes and remembers."""
    if wagtail_internals.request_has_route(request):
        return
    site = _site_for(request)
    wagtail_internals.request_set_site(request, site)
    if site is None:
        return
    key = ("routing.page", site.pk, path)
    remembered = memo.recall(key, request=request)
    if remembered is not None:
        live_page, restricted = remembered
        # A copy per request (Django copies the instance's state and relation caches):
        # whatever serving sets on the page stays with this request.
        page = copy.copy(live_page)
        if not restricted:
            # Wagtail's view-restriction hook asks the page; the answer is known.
            wagtail_internals.page_skip_view_restrictions(page, _no_view_restrictions)
        wagtail_internals.request_set_route(request, page)
        return
    route = Page.route_for_request(request, path)
    if route is None:
        return
    page, args, kwargs = route
    if args or kwargs or not page.live:
        return
    restricted = page.get_view_restrictions().exists()
    memo.remember(key, (copy.copy(page), restricted), request=request)
