"""Cache versions, one per scope: a number in the default cache (Redis in production),
shared by every process, bumped when what the scope covers changes.

- `publication`: published content, anywhere (a page published, unpublished, moved,
  renamed or deleted; a theme, audience, competence, view restriction, image, document or
  site saved or deleted; receivers in caching/invalidation.py, connected by the site layer).
- `agenda`: what the public site shows of sessions and venues (dates, free places,
  publication, cancellation, venue details). Bumped by the services that change them
  (sign-ups, cancellations, offers, session and venue edits, imports, merges) and by the
  agenda's clock when a session starts (agenda/clock.py); read by the agenda's pages,
  feeds and the atelier pages' « Prochaines dates » (README « Caching »).
- `agenda_details`: the same minus the places. Every bump of `agenda` bumps it too, except
  a bump `places_only=True` (the sign-up services: sign-up, cancellation, offers, the
  waiting list), which changes nothing but places. Read by the session page's part the
  same for everyone (agenda/views/signup.py), whose places are counted per request: under
  a burst of sign-ups it stays cached, and the lists still refresh on `agenda`.

Whatever is kept under the versions of the scopes it depends on is never stale: the
anonymous page cache, the render cache and the per-process memos (caching/memo.py). A
scope read while a page is rendered (with the request at hand) is recorded on the request,
so the page cache keeps that page under that scope's version too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

PUBLICATION = "publication"
AGENDA = "agenda"
AGENDA_DETAILS = "agenda_details"
SCOPES = (PUBLICATION, AGENDA, AGENDA_DETAILS)
# A bump of a scope bumps these too (what they cover is part of what it covers).
_WITH = {AGENDA: (AGENDA, AGENDA_DETAILS)}

# Per request: the versions read once at its start, and the scopes its rendering used.
_REQUEST_VERSIONS = "_cache_versions"
_REQUEST_SCOPES = "_cache_scopes"


_KEYS = {scope: f"pagecache:version:{scope}" for scope in SCOPES}


def key(scope: str) -> str:
    """The cache key holding `scope`'s version."""
    try:
        return _KEYS[scope]
    except KeyError:
        raise ValueError(
            f"Unknown cache scope {scope!r}: add it to caching.versions.SCOPES."
        ) from None


def _seed(scope: str) -> int:
    # A fresh cache (flushed, or the key evicted): start a new generation from the clock,
    # never from a number used before, or processes would trust their memos of an old
    # generation. `add` keeps the value another process may have set meanwhile.
    cache.add(key(scope), time.time_ns() // 1000, timeout=None)
    return cache.get(key(scope))


def attach(request: HttpRequest, versions: dict[str, int]) -> None:
    """Hands the request versions already read (the page cache reads the publication
    version together with the page, in one round trip); the request's rendering then uses
    these (the dict is the request's from now on)."""
    setattr(request, _REQUEST_VERSIONS, versions)


def current(scope: str = PUBLICATION, *, request: HttpRequest | None = None) -> int:
    """The scope's current version (read once per request when a request is given, and
    recorded as used by that request)."""
    if request is None:
        version = cache.get(key(scope))
        return _seed(scope) if version is None else version
    known = getattr(request, _REQUEST_VERSIONS, None)
    if known is None:
        known = {}
        setattr(request, _REQUEST_VERSIONS, known)
    version = known.get(scope)
    if version is None:
        version = known[scope] = current(scope)
    used = getattr(request, _REQUEST_SCOPES, None)
    if used is None:
        setattr(request, _REQUEST_SCOPES, {scope})
    elif scope not in used:
        used.add(scope)
    return version


def read(scopes: Iterable[str], *, request: HttpRequest) -> dict[str, int]:
    """The versions of `scopes` for this request, those not yet known read together in one
    round trip (recorded as used, like `current`)."""
    scopes = tuple(scopes)
    known = getattr(request, _REQUEST_VERSIONS, None)
    if known is None:
        known = {}
        setattr(request, _REQUEST_VERSIONS, known)
    missing = [scope for scope in scopes if scope not in known]
    if missing:
        found = cache.get_many([key(scope) for scope in missing])
        for scope in missing:
            value = found.get(key(scope))
            known[scope] = _seed(scope) if value is None else value
    note_used(request, scopes)
    return {scope: known[scope] for scope in scopes}


def note_used(request: HttpRequest, scopes: Iterable[str]) -> None:
    """Records that the request's rendering shows what `scopes` cover."""
    used = getattr(request, _REQUEST_SCOPES, None)
    if used is None:
        setattr(request, _REQUEST_SCOPES, set(scopes))
    else:
        used.update(scopes)


def used(request: HttpRequest) -> frozenset[str]:
    """The scopes the request's rendering read, publication always included."""
    return frozenset(getattr(request, _REQUEST_SCOPES, ())) | {PUBLICATION}


def _bump_one(scope: str) -> None:
    try:
        cache.incr(key(scope))
    except ValueError:
        _seed(scope)


def bump(scope: str = PUBLICATION, *, places_only: bool = False) -> None:
    """Makes everything kept under the scope's previous version obsolete (and under the
    versions of the scopes it includes: `agenda` includes `agenda_details`, unless
    `places_only`, for a change of places and nothing else)."""
    for each in (scope,) if places_only else _WITH.get(scope, (scope,)):
        _bump_one(each)


def bump_now_and_on_commit(scope: str = PUBLICATION, *, places_only: bool = False) -> None:
    """Bump at once and again after the commit, so that a request that rendered the old
    content in between is not kept under the new version."""
    bump(scope, places_only=places_only)
    transaction.on_commit(lambda: bump(scope, places_only=places_only))


def receiver(*scopes: str) -> Callable[..., None]:
    """A signal receiver bumping `scopes` now and on commit. Connect it with
    `weak=False`: signals hold receivers weakly, and nothing else keeps this one."""
    scopes = scopes or (PUBLICATION,)
    for scope in scopes:
        key(scope)  # an unknown scope fails at start-up, not on the first change

    def bump_scopes(**kwargs: Any) -> None:
        for scope in scopes:
            bump_now_and_on_commit(scope)

    return bump_scopes


def versions_of(scopes: Iterable[str], *, request: HttpRequest | None = None) -> tuple[int, ...]:
    """The current versions of `scopes`, in order (keys of memos and fragments)."""
    return tuple(current(scope, request=request) for scope in scopes)
