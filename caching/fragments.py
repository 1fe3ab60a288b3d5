"""The render cache: parts of published pages rendered once per process and versions of
the scopes they show (caching/versions.py), kept in memory (caching/memo.py), so a hit
costs no network round trip, unlike `{% wagtailpagecache %}`.

Keyed by a name, the page's state (`page.cache_key`: id, revision, last change), the site
and the extra values the part varies on. For what is the same for every visitor, logged
in or not. Never used for previews; off when `RENDER_CACHE_SECONDS` is 0. Templates use it
through `{% publishedfragment %}` (home/templatetags/site_tags.py) and the atelier page
sections (workshops/page_sections.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from caching import memo, versions
from caching.versions import PUBLICATION
from common import wagtail_internals


def render_seconds() -> int:
    """How long rendered fragments of published pages are kept (0: not at all)."""
    return int(getattr(settings, "RENDER_CACHE_SECONDS", 0) or 0)


def fragment_render(
    *,
    name: str,
    page: Any,
    request: HttpRequest | None,
    render: Callable[[], str],
    vary_on: Callable[[], Iterable[Any]] = tuple,
    scopes: tuple[str, ...] = (PUBLICATION,),
) -> str:
    """`render()`, or what it returned for the same page, site and values under the current
    versions of `scopes` (`vary_on()` is only called when the cache is on)."""
    if request is not None:
        # Recorded even when nothing is kept here: the page cache keeps the page under
        # these scopes' versions.
        versions.note_used(request, scopes)
    if (
        request is None
        or page is None
        or getattr(request, "is_preview", False)
        or not render_seconds()
    ):
        return render()
    site = wagtail_internals.request_site(request)
    key = ("fragment", name, page.cache_key, getattr(site, "pk", None), *vary_on())
    return memo.memoize(key, render, request=request, scopes=scopes)
