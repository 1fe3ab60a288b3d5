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

The first request after a publication (a cold render) routes cheaply too: the page is
found by its `url_path` (when every page type routes as Wagtail's `Page.route`), in one
query whatever its depth when its type is known from an earlier route (two otherwise),
and whether it is restricted from the restricted and alias paths read once per
publication (one query, shared with the lists' `live_public`), instead of four queries
for the tree and four for the view restrictions.
Wagtail's hooks (view restrictions, `before_serve_page`) and the page's `serve` run as
usual. Anything unusual (a route with arguments, a 404, a page of another type than
remembered) is left to Wagtail. The view calling `route_prime` is `home.views.serve`.
"""

from __future__ import annotations

import copy
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Value
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from caching import memo
from common import wagtail_internals

_NO_SITE = object()


def _sites(request: HttpRequest) -> list[Site]:
    """Every site with its root page, in one plain query per process and publication
    version (a site or a page saved bumps it)."""
    return memo.memoize(
        "routing.sites",
        lambda: list(Site.objects.select_related("root_page").order_by("pk")),
        request=request,
    )


def site_match(sites: list[Site], hostname: str, port: int | None) -> Site | None:
    """The site Wagtail's `get_site_for_hostname` chooses among `sites`, without its
    query: the hostname and port, else the hostname on the default site, else the default
    site unless exactly one other site has the hostname, else the only site with the
    hostname (tests/caching/test_routing.py compares it with Wagtail's on every case)."""
    candidates = [site for site in sites if site.hostname == hostname or site.is_default_site]

    def rank(site: Site) -> int:
        if site.hostname == hostname:
            return 0 if site.port == port else (1 if site.is_default_site else 3)
        return 2

    candidates.sort(key=rank)
    if not candidates:
        return None
    best = rank(candidates[0])
    if len(candidates) == 1 or best in (0, 1):
        return candidates[0]
    if best == 2:
        return candidates[len(candidates) == 2]
    return None


def _port(request: HttpRequest) -> int | None:
    """The request's port as a number; None for a malformed one (no site's port then)."""
    try:
        return int(request.get_port())
    except ValueError:
        return None


def _site_for(request: HttpRequest) -> Site | None:
    hostname = wagtail_internals.request_hostname(request)
    key = ("routing.site", hostname, request.get_port())
    site = memo.recall(key, request=request, default=_NO_SITE)
    if site is _NO_SITE:
        site = site_match(_sites(request), hostname, _port(request))
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


def _paths(request: HttpRequest | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tree paths of the pages with a view restriction and of the alias pages, in one
    query per process and publication version (a restriction, like a page, bumps it)."""

    def compute() -> tuple[tuple[str, ...], tuple[str, ...]]:
        restricted = PageViewRestriction.objects.order_by().values_list("page__path", Value(False))
        aliases = (
            Page.objects.filter(alias_of__isnull=False).order_by().values_list("path", Value(True))
        )
        rows = list(restricted.union(aliases, all=True))
        return (
            tuple(path for path, is_alias in rows if not is_alias),
            tuple(path for path, is_alias in rows if is_alias),
        )

    return memo.memoize("routing.paths", compute, request=request)


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction (their whole subtree is private)."""
    return _paths()[0]


def _restricted(page: Page, request: HttpRequest) -> bool | None:
    """Whether a view restriction applies to `page` (one of its ancestors' or its own),
    from the remembered paths; None when an alias is involved (aliases take their source's
    restrictions: Wagtail's own check answers)."""
    restricted, aliases = _paths(request)
    if any(page.path.startswith(path) for path in aliases):
        return None
    return any(page.path.startswith(path) for path in restricted)


@cache
def _routes_by_url_path() -> bool:
    """Whether every page type routes as Wagtail's `Page.route` does (a path is the slugs
    of the pages down the tree, so a page is found by its `url_path` in one query). A page
    type with its own `route` that keeps that rule says so with `routes_by_url_path = True`
    (the index pages, which only load their children as their type)."""
    return all(
        model.route is Page.route or getattr(model, "routes_by_url_path", False)
        for model in get_page_models()
    )


# The specific type of the page last found at each `url_path`, kept across publications:
# a hint, checked by the query it chooses (the page of that type at that path, of exactly
# that type), so a cold route finds the page in one query instead of two (the base page,
# then its specific row). Bounded like the memo.
_TYPE_HINTS: dict[str, type[Page]] = {}
_MAX_TYPE_HINTS = 2000


def _hinted(url_path: str) -> Page | None:
    """The page at `url_path` as the specific type last seen there, if it still is."""
    model = _TYPE_HINTS.get(url_path)
    if model is None:
        return None
    page = model.objects.filter(url_path=url_path).first()
    if page is None or page.content_type_id != _content_type_id(model):
        return None  # gone, or now of another type (a subclass): found the long way
    return page


def _content_type_id(model: type[Page]) -> int:
    return ContentType.objects.get_for_model(model).pk  # Django keeps it per process


def _route_by_url_path(site: Site, path: str) -> Page | None:
    """The live page at `path` of `site`, as its specific type (one query when its type is
    known from an earlier route, else two, where Wagtail's `route` walks the tree with two
    per level); None: not found or not live (Wagtail then routes, and answers 404)."""
    components = [component for component in path.split("/") if component]
    url_path = site.root_page.url_path + "".join(f"{component}/" for component in components)
    page = _hinted(url_path)
    if page is None:
        found = Page.objects.filter(url_path=url_path).first()
        if found is None:
            return None
        page = found.specific
        if len(_TYPE_HINTS) >= _MAX_TYPE_HINTS:
            _TYPE_HINTS.clear()
        _TYPE_HINTS[url_path] = type(page)
    return page if page.live else None


def _route_fresh(request: HttpRequest, site: Site, path: str) -> tuple[Page, bool] | None:
    """Routes the request as Wagtail does; the live page and whether it is restricted."""
    page = _route_by_url_path(site, path) if _routes_by_url_path() else None
    if page is None:
        route = Page.route_for_request(request, path)
        if route is None:
            return None
        page, args, kwargs = route
        if args or kwargs or not page.live:
            return None
    restricted = _restricted(page, request)
    if restricted is None:
        restricted = page.get_view_restrictions().exists()
    return page, restricted


def route_prime(request: HttpRequest, path: str) -> None:
    """Sets Wagtail's per-request route from the memo, or routes and remembers."""
    if wagtail_internals.request_has_route(request):
        return
    site = _site_for(request)
    wagtail_internals.request_set_site(request, site)
    if site is None:
        return
    # Every link to a page built while serving it (navigation, « À propos », rich text)
    # reads the site root paths: remembered here, not read from Redis per request.
    wagtail_internals.request_set_site_root_paths(
        request, memo.memoize("routing.site_root_paths", Site.get_site_root_paths, request=request)
    )
    key = ("routing.page", site.pk, path)
    remembered = memo.recall(key, request=request)
    if remembered is None:
        remembered = _route_fresh(request, site, path)
        if remembered is None:
            return
        memo.remember(key, (copy.copy(remembered[0]), remembered[1]), request=request)
    live_page, restricted = remembered
    # A copy per request (Django copies the instance's state and relation caches):
    # whatever serving sets on the page stays with this request.
    page = copy.copy(live_page)
    if not restricted:
        # Wagtail's view-restriction hook asks the page; the answer is known.
        wagtail_internals.page_skip_view_restrictions(page, _no_view_restrictions)
    wagtail_internals.request_set_route(request, page)
