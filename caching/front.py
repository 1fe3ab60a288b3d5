"""Headers for the shared caches in front of the site: the reverse proxy's cache
(deploy/nginx/pasapas.conf) or a CDN (README « Front cache: the reverse proxy and a CDN »).

**Public answers** (what the page cache may keep, caching/pages.py: a Wagtail page, the
search, a `@page_cached` view, answered 200 to an anonymous GET; and views marked
`@front_cached`) carry

    Cache-Control: public, max-age=FRONT_CACHE_MAX_AGE, s-maxage=FRONT_CACHE_S_MAXAGE,
                   stale-while-revalidate=FRONT_CACHE_STALE_SECONDS

and a weak `ETag` computed from the host, the path, the query (parameters in a canonical
order), the code's release and the versions of the cache scopes the page read
(caching/versions.py). A publication or a change in the agenda bumps a version, so the tag
changes exactly when the page may have (and at least every FRONT_CACHE_TAG_SECONDS, for
what changes with time alone, as the page cache's entries expire). The tag names its
scopes (their indexes in `versions.SCOPES`), so a conditional request (`If-None-Match`,
sent by the proxy when its copy is stale and by browsers) is answered `304 Not Modified`
before anything is rendered: one round trip to Redis, no database query, no session.

**Personal answers** get `Cache-Control: private, no-store`: any answer to a POST (or
other unsafe method), to a request holding a personal cookie or asking for a private
path, any answer setting a cookie or holding a CSRF token (caching/personal.py).
Everything else (redirects, errors, files) is left as the view answered: without
freshness information, the proxy keeps nothing.

`Vary: Cookie` and `Vary: Accept-Language` are removed from public answers: such a page is
the same whatever cookie or language the request sends (French is the only language, and
a request holding a personal cookie never gets a public answer), and the proxy bypasses
its cache for those cookies. Left there, they would split the cache into one copy per
distinct Cookie header.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from caching import pages, personal, versions

PRIVATE = "private, no-store"
_MARK = "front_cacheable"
_TAG = re.compile(r'^W/"([0-9]+(?:\.[0-9]+)*)-([0-9a-f]{24})"$')
_MAX_TAGS = 8  # a longer If-None-Match is read no further (each tag costs a hash)
_VARY_SPLIT = re.compile(r"\s*,\s*")
_DROPPED_VARY = frozenset({"cookie", "accept-language"})


def front_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view whose 200 answers to anonymous GETs are public for shared caches,
    whatever their type (files, JSON), without the page cache. Like `@page_cached`, the
    view reads the versions of the scopes it shows with the request
    (`versions.current(scope, request=request)`), which its ETag then covers."""
    setattr(view, _MARK, True)
    return view


def s_maxage() -> int:
    return int(getattr(settings, "FRONT_CACHE_S_MAXAGE", 0) or 0)


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.FRONT_CACHE_MAX_AGE}, s-maxage={s_maxage()}, "
        f"stale-while-revalidate={settings.FRONT_CACHE_STALE_SECONDS}"
    )


@functools.cache
def release() -> str:
    """The deployed code's identity (FRONT_CACHE_RELEASE, e.g. the commit), so a deploy
    changing templates changes every tag. Unset: the newest modification time and the
    count of the project's code, templates and static manifest, read once per process."""
    configured = str(getattr(settings, "FRONT_CACHE_RELEASE", "") or "")
    return configured or _code_fingerprint(Path(settings.BASE_DIR))


def _code_fingerprint(root: Path) -> str:
    newest, count = 0, 0
    skipped = {".venv", ".git", "media", "node_modules", "bench", "tests", "staticfiles"}
    for folder, names, files in os.walk(root):
        names[:] = [name for name in names if name not in skipped and not name.startswith(".")]
        for name in files:
            if name.endswith((".py", ".html", ".txt", ".mo")):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                count += 1
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        newest = max(newest, manifest.stat().st_mtime_ns)
    return f"{newest}-{count}"


def _scope_codes(scopes: Iterable[str]) -> str:
    return ".".join(str(versions.SCOPES.index(scope)) for scope in scopes)


def _period() -> str:
    # What changes with time alone (« aujourd'hui », a date gone by) is versioned by no
    # scope: a tag lasts at most FRONT_CACHE_TAG_SECONDS, like a page cache entry.
    seconds = max(int(getattr(settings, "FRONT_CACHE_TAG_SECONDS", 300) or 300), 1)
    return str(int(time.time()) // seconds)


def _tag(request: HttpRequest, known: dict[str, int]) -> str:
    scopes = sorted(known, key=versions.SCOPES.index)
    address = pages.canonical_address(request)
    material = "|".join([release(), _period(), address, *(f"{s}={known[s]}" for s in scopes)])
    digest = hashlib.sha256(material.encode()).hexdigest()[:24]
    return f'W/"{_scope_codes(scopes)}-{digest}"'


def etag(request: HttpRequest) -> str:
    """The validator of the public answer to `request`, once rendered (or served from the
    page cache): over the versions of the scopes its rendering read."""
    return _tag(request, versions.read(versions.used(request), request=request))


def _scopes_of(codes: str) -> tuple[str, ...] | None:
    indexes = [int(code) for code in codes.split(".")]
    if any(index >= len(versions.SCOPES) for index in indexes):
        return None
    return tuple(versions.SCOPES[index] for index in indexes)


def _current(scopes: tuple[str, ...]) -> dict[str, int] | None:
    """The scopes' versions, without recording them on the request (what the page reads
    decides that); None when one is unknown (a flushed cache: nothing is current)."""
    found = cache.get_many([versions.key(scope) for scope in scopes])
    known = {scope: found.get(versions.key(scope)) for scope in scopes}
    if any(value is None for value in known.values()):
        return None
    return {scope: int(value) for scope, value in known.items() if value is not None}


def still_current(request: HttpRequest) -> str | None:
    """The tag of `If-None-Match` that still describes the page, if any."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    for candidate in header.split(",")[:_MAX_TAGS]:
        match = _TAG.match(candidate.strip())
        scopes = _scopes_of(match.group(1)) if match else None
        known = _current(scopes) if scopes else None
        if known is not None and _tag(request, known) == candidate.strip():
            return candidate.strip()
    return None


def _may_be_public(request: HttpRequest) -> bool:
    return (
        s_maxage() > 0
        and pages.request_is_cacheable(request)
        and not personal.request_is_personal(request)
    )


def _says_private(response: HttpResponse) -> bool:
    value = response.get("Cache-Control", "").lower()
    return "private" in value or "no-store" in value or "no-cache" in value


def is_public(request: HttpRequest, response: HttpResponse) -> bool:
    if not _may_be_public(request) or response.status_code != 200 or _says_private(response):
        return False
    if response.get(pages.HEADER) == "hit":
        return True  # kept only if public (and no view ran: no resolver match)
    match = getattr(request, "resolver_match", None)
    if getattr(getattr(match, "func", None), _MARK, False):
        return not personal.response_is_personal(request, response)
    return pages.response_is_cacheable(request, response)


def _drop_vary(response: HttpResponse) -> None:
    kept = [
        field
        for field in _VARY_SPLIT.split(response.get("Vary", ""))
        if field and field.lower() not in _DROPPED_VARY
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]


def _mark_private(response: HttpResponse) -> None:
    value = response.get("Cache-Control", "").lower()
    if not ("private" in value and "no-store" in value):
        response["Cache-Control"] = PRIVATE


def _is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    # A POST's answer (a sign-up's redirect names its secret link) is never for others.
    return (
        request.method not in ("GET", "HEAD")
        or personal.request_is_personal(request)
        or personal.response_is_personal(request, response)
    )


def _not_modified(tag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = tag
    response["Cache-Control"] = public_cache_control()
    return response


class FrontCacheMiddleware:
    """Place it just before the page cache (caching.pages.PageCacheMiddleware): it answers
    304 before the page cache and the session are reached, and sees the final headers of
    every answer, page cache hits included (cookies, CSRF token, Vary)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_IF_NONE_MATCH" in request.META and _may_be_public(request):
            tag = still_current(request)
            if tag is not None:
                return _not_modified(tag)
        response = self.get_response(request)
        if _is_personal(request, response):
            _mark_private(response)
        elif is_public(request, response):
            response["Cache-Control"] = public_cache_control()
            response["ETag"] = etag(request)
            _drop_vary(response)
        return response
