"""The publication version: a number in the default cache (Redis in production) bumped each
time published content changes anywhere (a page published, unpublished, moved or deleted;
a theme, audience, competence, view restriction, image or document saved or deleted; the
receivers are connected by the site layer, home/pagecache.py).

Whatever depends only on published content can be kept under that version and is never
stale: the anonymous page cache, the render cache of guide and atelier articles, and the
per-process memos below (navigation, breadcrumbs, reference lists of the filter forms).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "pagecache:version"
_MEMO_MAX = 2000
_memo: dict[Any, tuple[int, Any]] = {}

T = TypeVar("T")


def current_version(request=None) -> int:
    """The current version (once per request when a request is given)."""
    if request is not None:
        version = getattr(request, "_publication_version", None)
        if version is not None:
            return version
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache (flushed, or the key evicted): start a new generation from the
        # clock, never from a number used before, or processes would trust their memos of
        # an old generation. `add` keeps the value another process may have set meanwhile.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    if request is not None:
        request._publication_version = version
    return version


def bump_version() -> None:
    """Makes everything kept under the previous version obsolete."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        current_version()


def bump_version_now_and_on_commit(**kwargs) -> None:
    """Signal receiver: bump at once and again after the commit, so that a request that
    rendered the old content in between is not kept under the new version."""
    bump_version()
    transaction.on_commit(bump_version)


_MISSING = object()


def recall(key: Any, *, request=None, default: Any = None) -> Any:
    """The value kept under `key` for the current publication version, else `default`."""
    hit = _memo.get(key)
    if hit is not None and hit[0] == current_version(request):
        return hit[1]
    return default


def remember(key: Any, value: T, *, request=None, version: int | None = None) -> T:
    """Keeps `value` under `key` for the current publication version (in this process)."""
    if len(_memo) >= _MEMO_MAX:
        _memo.clear()
    _memo[key] = (current_version(request) if version is None else version, value)
    return value


def memoize(key: Any, compute: Callable[[], T], *, request=None) -> T:
    """`compute()` once per process and publication version. For small, read-only values
    that depend only on published content."""
    version = current_version(request)
    hit = _memo.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    return remember(key, compute(), version=version)


def forget() -> None:
    """Empties this process's memo (tests: the database was rolled back)."""
    _memo.clear()
