"""Site-wide template tags: navigation, breadcrumbs, the publication version that keys
the render caches and `{% publishedfragment %}` (the render cache, caching/fragments.py).

What the navigation and the breadcrumbs show changes only when a page is published,
unpublished, moved or deleted, which bumps the publication version
(caching/versions.py). They are therefore kept per process and per version
(caching/memo.py): no query on most requests, and never stale after a publication.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from wagtail.models import Page

from caching import fragments, memo, versions
from common import wagtail_internals
from common.french_text import french_day_month
from workshops.selectors import live_public, public_index_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def publication_version(context) -> int:
    """The current publication version, to key template fragment caches."""
    return versions.current(versions.PUBLICATION, request=context.get("request"))


@register.simple_tag
def render_cache_seconds() -> int:
    """How long rendered fragments of published pages are kept (0: not at all)."""
    return fragments.render_seconds()


def _routed(request):
    """The request when its site is known (a routed page, the search), for `get_url`:
    Wagtail then reads the site root paths once per request, not once per link from the
    cache, and writes the site's own links relative; else None (no site query here)."""
    if request is not None and wagtail_internals.request_site(request) is not None:
        return request
    return None


def _site_pk(request) -> int | None:
    return getattr(wagtail_internals.request_site(request), "pk", None) if request else None


@register.simple_tag(takes_context=True)
def index_pages(context) -> dict[str, dict[str, str]]:
    """The live guide and atelier index pages (`guides`, `ateliers`) as title and url."""
    request = context.get("request")

    def compute():
        # With the request, Wagtail reads the site root paths once per request (not once
        # per link from the cache); its links then depend on the site: in the key.
        return {
            kind: {"title": page.title, "url": page.get_url(request=_routed(request))}
            for kind, page in public_index_pages().items()
        }

    return memo.memoize(("index_pages", _site_pk(request)), compute, request=request)


@register.filter
def long_date(value) -> str:
    """A date written out in French: « 6 décembre 2026 », « 1er mars 2027 »."""
    if not value:
        return ""
    return french_day_month(value)


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[dict[str, str]]:
    """The live content pages marked "lien dans le pied de page" (legal pages), as title
    and url, in their footer order: one query per process and publication version."""

    def compute():
        from home.models import ContentPage

        pages = (
            live_public(ContentPage.objects.all())
            .filter(show_in_footer=True)
            .order_by("footer_order", "title")
            .only("id", "title", "url_path")
        )
        routed = _routed(request)
        return [{"title": page.title, "url": page.get_url(request=routed)} for page in pages]

    request = context.get("request")
    return memo.memoize(("footer_links", _site_pk(request)), compute, request=request)


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page: Page) -> list[dict[str, str]]:
    """The page's ancestors below the site's home page, as title and url."""
    if page is None or page.depth <= 2:
        return []

    def compute():
        ancestors = page.get_ancestors().filter(depth__gt=2).specific(defer=True)
        return [{"title": a.title, "url": a.get_url(request=_routed(request))} for a in ancestors]

    request = context.get("request")
    key = ("breadcrumbs", page.path, _site_pk(request))
    return memo.memoize(key, compute, request=request)


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
    def __init__(self, nodelist, name: str, vary_on: list, scopes: tuple[str, ...]):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.scopes = scopes

    def render(self, context) -> str:
        return fragments.fragment_render(
            name=self.name,
            page=context.get("page"),
            request=context.get("request"),
            render=lambda: self.nodelist.render(context),
            vary_on=lambda: [variable.resolve(context) for variable in self.vary_on],
            scopes=self.scopes,
        )


@register.tag
def publishedfragment(parser, token):
    """`{% publishedfragment "name" [vary_on ...] [scopes="publication,agenda"] %}…
    {% endpublishedfragment %}`: the enclosed part of a published page, rendered once per
    process and versions of its scopes (publication unless told; key: the name, the page's
    state, the site and the extra values). For what is the same for every visitor. Kept in
    memory, so a hit costs no network round trip, unlike `{% wagtailpagecache %}`; never
    used for previews, off when RENDER_CACHE_SECONDS is 0."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("publishedfragment needs a fragment name")
    nodelist = parser.parse(("endpublishedfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    scopes: tuple[str, ...] = (versions.PUBLICATION,)
    vary_on = []
    for bit in bits[2:]:
        if bit.startswith("scopes="):
            scopes = tuple(bit.removeprefix("scopes=").strip("\"'").split(","))
            unknown = set(scopes) - set(versions.SCOPES)
            if unknown:
                raise template.TemplateSyntaxError(f"Unknown cache scopes: {unknown}")
        else:
            vary_on.append(template.Variable(bit))
    return PublishedFragmentNode(nodelist, name, vary_on, scopes)
