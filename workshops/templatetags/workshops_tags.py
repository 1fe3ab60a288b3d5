"""Template tags of the public guide and atelier pages: step pictures (renditions from
`workshops.renditions`), durations, document sizes, the sections other apps add to
atelier pages (`workshops.page_sections`). Site-wide tags (navigation,
breadcrumbs) are in home/templatetags/site_tags.py."""

from __future__ import annotations

from functools import cache

from django import template
from django.core.files.storage import FileSystemStorage
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter

from common import wagtail_internals
from workshops.choices import Licence
from workshops.page_sections import page_sections_render
from workshops.renditions import (
    GUIDE_STEP_DEFAULT_WIDTH,
    GUIDE_STEP_FALLBACK_SPECS,
    GUIDE_STEP_SIZES,
    GUIDE_STEP_WEBP_SPECS,
    GUIDE_STEP_WIDTHS,
)
from workshops.selectors import guide_step_renditions_prefetch

register = template.Library()


@cache
def _step_filters() -> tuple[Filter, ...]:
    """The step pictures' filters, built once per process: Wagtail parses a spec into its
    operations (with `inspect` on each operation's arguments) for every new `Filter`, which
    was a tenth of a cold guide render when done per picture."""
    return tuple(Filter(spec=spec) for spec in (*GUIDE_STEP_WEBP_SPECS, *GUIDE_STEP_FALLBACK_SPECS))


# A rendition's URL by its storage's base URL and file name, for the file system storage
# only (its URL is a pure function of both; a remote storage may sign or expire URLs):
# `storage.url()` quotes and joins URLs for about 10 µs, and a guide shows 7 per picture.
_URLS: dict[tuple[str, str], str] = {}
_MAX_URLS = 20000


def _url(rendition) -> str:
    file = rendition.file
    storage = file.storage
    # `__class__`, not `type()`: the default storage is a lazy object standing for it.
    if storage.__class__ is not FileSystemStorage:
        return rendition.url
    key = (storage.base_url, file.name)
    url = _URLS.get(key)
    if url is None:
        if len(_URLS) >= _MAX_URLS:
            _URLS.clear()
        url = _URLS[key] = rendition.url
    return url


def _srcset(renditions) -> str:
    by_width = {}
    for rendition in renditions:
        by_width.setdefault(rendition.width, _url(rendition))
    return ", ".join(f"{url} {width}w" for width, url in sorted(by_width.items()))


# Where a step picture's sources are kept on its image (see `_picture_sources`).
_SOURCES = "_step_picture_sources"
_SIZES = conditional_escape(GUIDE_STEP_SIZES)


def _picture_sources(image) -> tuple[str, str, str, int, int]:
    """A step picture's WebP srcset, fallback URL and srcset (escaped) and its width and
    height, from its renditions (cache, then database, created if missing).

    Kept on the image instance when its renditions are prefetched (the page's steps:
    `guide_step_renditions_prefetch`): Wagtail then reads renditions from that instance
    only, so these are a function of the instance, like its prefetched renditions. A page
    kept across requests (caching/routing.py, per publication version) then works them
    out once, not on every render (about 70 µs per picture)."""
    sources = image.__dict__.get(_SOURCES)
    if sources is not None:
        return sources
    renditions = image.get_renditions(*_step_filters())
    webp = [renditions[spec] for spec in GUIDE_STEP_WEBP_SPECS]
    fallback = [renditions[spec] for spec in GUIDE_STEP_FALLBACK_SPECS]
    default = fallback[GUIDE_STEP_WIDTHS.index(GUIDE_STEP_DEFAULT_WIDTH)]
    sources = (
        conditional_escape(_srcset(webp)),
        conditional_escape(_url(default)),
        conditional_escape(_srcset(fallback)),
        default.width,
        default.height,
    )
    if hasattr(image, "prefetched_renditions"):
        image.__dict__[_SOURCES] = sources
    return sources


@register.simple_tag
def guide_step_picture(image, alt: str, *, eager: bool = False) -> str:
    """A step picture as `<picture>`: WebP renditions and the image's own format as the
    fallback, both with `srcset`/`sizes`, width and height set (no layout shift), lazy
    loading except for the first step (`eager`), which is likely above the fold.

    Uses the renditions prefetched by `guide_step_renditions_prefetch` when present (no
    query), else finds or creates them (cache, then database). Built in Python rather than
    with a template: it runs once per step on the most read pages.
    """
    webp, default_url, fallback, width, height = _picture_sources(image)
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} '
        'decoding="async"></picture>',
        webp,
        _SIZES,
        default_url,
        fallback,
        _SIZES,
        width,
        height,
        alt,
        mark_safe('fetchpriority="high"' if eager else 'loading="lazy"'),  # noqa: S308
    )


@register.filter(is_safe=True)
def rich_text_html(value) -> str:
    """`{{ value }}` of a rich text block's value, `{{ value|richtext }}` of a rich text
    field: the same HTML, without Wagtail's template render per value when its template
    adds nothing (common/wagtail_internals.py)."""
    return wagtail_internals.rich_text_html(value)


@register.simple_tag
def licence_link(code: str, *, of_page: bool = False) -> str:
    """A licence's name as a link to its text, `rel="license"` when it is the page's own
    licence (`of_page`); the bare name for « tous droits réservés » (no licence text)."""
    if code not in Licence.values:
        return ""
    licence = Licence(code)
    if not licence.url:
        return str(licence.label)
    return format_html(
        '<a href="{}"{}>{}</a>',
        licence.url,
        mark_safe(' rel="license"' if of_page else ""),  # noqa: S308
        licence.label,
    )


@register.simple_tag
def credit_line(credit: str, licence: str, page_licence: str) -> str:
    """« Marie Dupont, CC BY 4.0 » for a picture or a handout: its author or source, and
    its licence when it differs from the page's; "" when there is nothing to add."""
    parts = [conditional_escape(credit.strip())] if credit and credit.strip() else []
    if licence and licence != page_licence:
        parts.append(licence_link(licence))
    return mark_safe(", ".join(p for p in parts if p))  # noqa: S308 - parts are escaped


@register.simple_tag
def prefetch_step_renditions(page) -> str:
    """Loads the renditions of every step picture of `page` in one query before the steps
    are rendered (see `guide_step_renditions_prefetch`). Outputs nothing."""
    guide_step_renditions_prefetch(guide=page)
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


@register.simple_tag(takes_context=True)
def atelier_sections(context) -> str:
    """The sections registered for atelier pages (none: nothing, no query)."""
    return page_sections_render(page=context.get("page"), request=context.get("request"))
