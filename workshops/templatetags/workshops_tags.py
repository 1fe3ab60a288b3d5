"""Template tags of the public pages: step pictures (renditions from
`workshops.renditions`), the site navigation's index pages, breadcrumbs."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from wagtail.models import Page

from workshops.renditions import (
    GUIDE_STEP_DEFAULT_WIDTH,
    GUIDE_STEP_FALLBACK_SPECS,
    GUIDE_STEP_SIZES,
    GUIDE_STEP_WEBP_SPECS,
    GUIDE_STEP_WIDTHS,
)
from workshops.selectors import public_index_pages

register = template.Library()


def _srcset(renditions) -> str:
    by_width = {}
    for rendition in renditions:
        by_width.setdefault(rendition.width, rendition.url)
    return ", ".join(f"{url} {width}w" for width, url in sorted(by_width.items()))


@register.inclusion_tag("workshops/includes/step_picture.html")
def guide_step_picture(image, alt: str, *, eager: bool = False) -> dict:
    """A step picture as `<picture>`: WebP renditions and the image's own format as the
    fallback, both with `srcset`/`sizes`, width and height set (no layout shift), lazy
    loading except for the first step (`eager`), which is likely above the fold.

    Uses the renditions prefetched by `guide_step_renditions_prefetch` when present (no
    query), else finds or creates them (cache, then database).
    """
    renditions = image.get_renditions(*GUIDE_STEP_WEBP_SPECS, *GUIDE_STEP_FALLBACK_SPECS)
    webp = [renditions[spec] for spec in GUIDE_STEP_WEBP_SPECS]
    fallback = [renditions[spec] for spec in GUIDE_STEP_FALLBACK_SPECS]
    default = fallback[GUIDE_STEP_WIDTHS.index(GUIDE_STEP_DEFAULT_WIDTH)]
    return {
        "alt": alt,
        "eager": eager,
        "sizes": GUIDE_STEP_SIZES,
        "webp_srcset": _srcset(webp),
        "fallback_srcset": _srcset(fallback),
        "src": default.url,
        "width": default.width,
        "height": default.height,
    }


@register.simple_tag(takes_context=True)
def index_pages(context) -> dict[str, Page]:
    """The live guide and atelier index pages (`guides`, `ateliers`), once per request."""
    request = context.get("request")
    cached = getattr(request, "_workshops_index_pages", None)
    if cached is None:
        cached = public_index_pages()
        if request is not None:
            request._workshops_index_pages = cached
    return cached


@register.simple_tag
def breadcrumb_ancestors(page: Page) -> list[Page]:
    """The page's ancestors below the site's home page (one query), for breadcrumbs."""
    if page is None or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gt=2).specific(defer=True))


@register.simple_tag(takes_context=True)
def nav_current(context, url: str, *, exact: bool = False) -> str:
    """` aria-current="page"` on the link to the current page, ` aria-current="true"` on
    the link to the section it belongs to (a guide under the guide index)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if not url or not path:
        return ""
    if path == url:
        return format_html(' aria-current="{}"', "page")
    if not exact and url != "/" and path.startswith(url):
        return format_html(' aria-current="{}"', "true")
    return ""


@register.filter
def duration(minutes) -> str:
    """Minutes in words people read at a glance: 45 → « 45 min », 90 → « 1 h 30 »."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@register.filter
def document_size(document) -> int | None:
    """A document's size in bytes without writing to the database on a public GET (unlike
    `Document.get_file_size`, which saves the size it computes); None if unknown."""
    if document.file_size:
        return document.file_size
    try:
        return document.file.size
    except OSError:
        return None
