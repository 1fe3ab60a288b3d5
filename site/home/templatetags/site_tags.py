"""Site-wide template tags: navigation, breadcrumbs and the publication version that keys
the render caches.

What the navigation and the breadcrumbs show changes only when a page is published,
unpublished, moved or deleted, which bumps the publication version
(workshops/publication.py). They
are therefore kept per process and per version: no query on most requests, and never stale
after a publication.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import format_html
from wagtail.models import Page

from workshops import publication
from workshops.selectors import public_index_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def publication_version(context) -> int:
    """The current publication version, to key template fragment caches."""
    return publication.current_version(context.get("request"))


@register.simple_tag
def render_cache_seconds() -> int:
    """How long rendered fragments of published pages are kept (0: not at all)."""
    return int(getattr(settings, "RENDER_CACHE_SECONDS", 0) or 0)


@register.simple_tag(takes_context=True)
def index_pages(context) -> dict[str, dict[str, str]]:
    """The live guide and atelier index pages (`guides`, `ateliers`) as title and url."""

    def compute():
        return {
            kind: {"title": page.title, "url": page.get_url()}
            for kind, page in public_index_pages().items()
        }

    return publication.memoize("index_pages", compute, request=context.get("request"))


@register.filter
def long_date(value) -> str:
    """A date written out in French: « 6 décembre 2026 », « 1er mars 2027 »."""
    if not value:
        return ""
    text = date_format(value, "j F Y")
    return f"1er{text[1:]}" if value.day == 1 else text


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[dict[str, str]]:
    """The live content pages marked "lien dans le pied de page" (legal pages), as title
    and url, in their footer order: one query per process and publication version."""

    def compute():
        from home.models import ContentPage

        pages = (
            ContentPage.objects.live()
            .public()
            .filter(show_in_footer=True)
            .order_by("footer_order", "title")
            .only("id", "title", "url_path")
        )
        return [{"title": page.title, "url": page.get_url()} for page in pages]

    return publication.memoize("footer_links", compute, request=context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page: Page) -> list[dict[str, str]]:
    """The page's ancestors below the site's home page, as title and url."""
    if page is None or page.depth <= 2:
        return []

    def compute():
        ancestors = page.get_ancestors().filter(depth__gt=2).specific(defer=True)
        return [{"title": a.title, "url": a.get_url()} for a in ancestors]

    return publication.memoize(("breadcrumbs", page.path), compute, request=context.get("request"))


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


class PublishedFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        request = context.get("request")
        page = context.get("page")
        if (
            request is None
            or page is None
            or getattr(request, "is_preview", False)
            or not int(getattr(settings, "RENDER_CACHE_SECONDS", 0) or 0)
        ):
            return self.nodelist.render(context)
        site = getattr(request, "_wagtail_site", None)
        key = (
            "fragment",
            self.name,
            page.cache_key,
            getattr(site, "pk", None),
            *(variable.resolve(context) for variable in self.vary_on),
        )
        return publication.memoize(key, lambda: self.nodelist.render(context), request=request)


@register.tag
def publishedfragment(parser, token):
    """`{% publishedfragment "name" [vary_on ...] %}…{% endpublishedfragment %}`: the
    enclosed part of a published page, rendered once per process and publication version
    (key: the name, the page's state, the site and the extra values). For what is the same
    for every visitor. Kept in memory, so a hit costs no network round trip, unlike
    `{% wagtailpagecache %}`; never used for previews, off when RENDER_CACHE_SECONDS is 0."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("publishedfragment needs a fragment name")
    nodelist = parser.parse(("endpublishedfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return PublishedFragmentNode(nodelist, name, [template.Variable(b) for b in bits[2:]])
