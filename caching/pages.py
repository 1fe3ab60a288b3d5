"""Full-page cache for anonymous visitors of the public site.

Most readers are anonymous and read the same published pages, so the rendered HTML of a
Wagtail page (and of the search page) is kept in the default cache (Redis in production)
for `PAGE_CACHE_SECONDS` (0 turns the cache off).

What is cached: GET and HEAD requests answered 200 with HTML by Wagtail's page view, the
site search or a view marked `@page_cached` (the public agenda's pages and calendar files,
which may also answer `text/calendar`), for a visitor without a session cookie (so never
a logged-in user, nor a visitor whose session holds a page password) nor any other of the
personal cookies (caching/personal.py), when the response
sets no cookie, holds no CSRF token and is not marked `private` or `no-store`. The key
is the host, the path and the query string with its parameters in a canonical order, so
each filter combination and each page of a list is its own entry
(`?thematique=e-mail&page=2` and `?page=2&thematique=e-mail` share one).

Invalidation: every entry carries the versions of the scopes the page read while it was
rendered (caching/versions.py): always the publication version, bumped whenever any page
is published, unpublished, moved or deleted, and when what pages show from elsewhere
changes (themes, audiences, competences, view restrictions, images, documents), so one
publication refreshes the whole site at once: menus, index pages, related links and
search results all show other pages. A page that also shows sessions reads the `agenda`
scope and is refreshed when that one is bumped too. The bump happens at once and again
when the transaction commits, so a request that rendered the old content in between is not
kept. An entry is read together with the versions of every scope (one round trip to
Redis) and served only when the versions it was stored under are all current.

Responses carry `X-Page-Cache: hit` or `miss` (only for cacheable requests), for the tests
and the benchmark.

The same versions key the per-process memos (caching/memo.py) and the render cache
(caching/fragments.py), which also serve logged-in users since what they keep is the same
for everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from caching import personal, versions

CACHEABLE_VIEWS = frozenset({"wagtail_serve", "search"})
CACHEABLE_TYPES = ("text/html", "text/calendar")
HEADER = "X-Page-Cache"
_MARK = "page_cacheable"
_VERSION_KEYS = tuple(versions.key(scope) for scope in versions.SCOPES)


def page_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view (outside Wagtail and the search) as cacheable by this middleware: same
    rules as the pages above (anonymous GET, 200, no cookie, no CSRF token). The view reads
    the versions of the scopes it shows with the request (`versions.current(scope,
    request=request)`) BEFORE its queries, so the entry is kept under them."""
    setattr(view, _MARK, True)
    return view


def view_is_cacheable(match: object) -> bool:
    return getattr(match, "url_name", None) in CACHEABLE_VIEWS or bool(
        getattr(getattr(match, "func", None), _MARK, False)
    )


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def canonical_address(request: HttpRequest) -> str:
    """The host, the path and the query with its parameters in a canonical order."""
    params = sorted(request.GET.lists())
    return "|".join([request.get_host(), request.path, urlencode(params, doseq=True)])


def cache_key(request: HttpRequest) -> str:
    canonical = f"{canonical_address(request)}|{request.method}"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"pagecache:{digest}"


def request_is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not personal.request_has_personal_cookie(request)
        and not request.path.startswith(("/admin/", "/documents/", "/static/", "/media/"))
    )


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or not view_is_cacheable(match):
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if personal.response_is_personal(request, response):
        # A cookie, or a CSRF token in a form: it belongs to this visitor only.
        return False
    if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "no-store" in cache_control or "private" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Place it after WhiteNoise and before SessionMiddleware: a hit is answered without
    touching the session, the user or the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = cache_seconds()
        if seconds <= 0 or not request_is_cacheable(request):
            return self.get_response(request)

        # The entry and the versions of every scope in one round trip (a few bytes each),
        # whichever the entry was kept under. An entry stored under an older version of a
        # scope it read is obsolete. The rendering of a miss uses the versions read here.
        key = cache_key(request)
        found = cache.get_many([*_VERSION_KEYS, key])
        known = {}
        for scope, version_key in zip(versions.SCOPES, _VERSION_KEYS, strict=True):
            version = found.get(version_key)
            if version is not None:
                known[scope] = version
        if versions.PUBLICATION not in known:
            known[versions.PUBLICATION] = versions.current(versions.PUBLICATION)
        versions.attach(request, known)
        entry = found.get(key)
        if entry is not None and _is_current(request, entry[0]):
            # The validator of the answer (caching/front.py) covers the scopes it read.
            versions.note_used(request, entry[0])
            cached = entry[1]
            cached[HEADER] = "hit"
            return cached

        response = self.get_response(request)
        if response_is_cacheable(request, response):
            response[HEADER] = "miss"
            kept = {
                scope: versions.current(scope, request=request) for scope in versions.used(request)
            }
            cache.set(key, (kept, response), seconds)
        return response


def _is_current(request: HttpRequest, kept: object) -> bool:
    # An entry of an older format (before the deploy) holds a bare number: obsolete.
    if not isinstance(kept, dict):
        return False
    return all(versions.current(s, request=request) == v for s, v in kept.items())
