"""A per-process memo of small, read-only values, each kept under the versions of the
scopes it depends on (caching/versions.py; publication unless told otherwise).

In memory, so a hit costs neither a query nor a round trip to Redis: the navigation, the
breadcrumbs, the footer links, the filter forms' reference lists, the restricted paths,
the remembered routes and the rendered fragments. Bounded: past `MAX_ENTRIES` it starts
again empty (what it holds is a few kilobytes per page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import HttpRequest

from caching.versions import PUBLICATION, versions_of

MAX_ENTRIES = 2000
_memo: dict[Any, tuple[tuple[int, ...], Any]] = {}
_DEFAULT_SCOPES = (PUBLICATION,)

T = TypeVar("T")


def recall(
    key: Any,
    *,
    request: HttpRequest | None = None,
    default: Any = None,
    scopes: Iterable[str] = _DEFAULT_SCOPES,
) -> Any:
    """The value kept under `key` for the scopes' current versions, else `default`."""
    hit = _memo.get(key)
    if hit is not None and hit[0] == versions_of(scopes, request=request):
        return hit[1]
    return default


def remember(
    key: Any,
    value: T,
    *,
    request: HttpRequest | None = None,
    scopes: Iterable[str] = _DEFAULT_SCOPES,
    versions: tuple[int, ...] | None = None,
) -> T:
    """Keeps `value` under `key` for the scopes' current versions (or `versions`, read
    before `value` was computed)."""
    if len(_memo) >= MAX_ENTRIES:
        _memo.clear()
    _memo[key] = (versions_of(scopes, request=request) if versions is None else versions, value)
    return value


def memoize(
    key: Any,
    compute: Callable[[], T],
    *,
    request: HttpRequest | None = None,
    scopes: Iterable[str] = _DEFAULT_SCOPES,
) -> T:
    """`compute()` once per process and versions of `scopes`."""
    # Read before computing: a bump during `compute` must not label old data as new.
    versions = versions_of(scopes, request=request)
    hit = _memo.get(key)
    if hit is not None and hit[0] == versions:
        return hit[1]
    return remember(key, compute(), versions=versions)


def forget() -> None:
    """Empties this process's memo (tests: the database was rolled back)."""
    _memo.clear()
