"""Every Wagtail internal the project relies on, in one place.

Each is either a private name (underscored) or a behaviour Wagtail does not document;
a Wagtail upgrade may change any of them without notice. Callers go through this module,
and tests/common/test_wagtail_internals.py checks each one (it exists, has the same
signature, behaves as relied on) and names it when an upgrade breaks it.

- `request._wagtail_site`: where `Site.find_for_request` keeps its answer for the request;
  the remembered routing (caching/routing.py) sets it, the render cache reads it.
- `Site._find_for_request(request)`: the uncached site lookup behind it.
- `HttpRequest._get_raw_host()` (Django): the host without the ALLOWED_HOSTS check, as
  Wagtail looks sites up by it.
- `request._wagtail_route_for_request`: where `Page.route_for_request` keeps the route
  (a `RouteResult`); the remembered routing hands Wagtail a ready one.
- `request._wagtail_cached_site_root_paths`: where `Page._get_site_root_paths` keeps
  `Site.get_site_root_paths()` (read from the cache, Redis in production) for the
  request; the remembered routing hands it the paths remembered per publication.
- `RichText.__html__` and the `|richtext` filter: they render
  `wagtailcore/shared/richtext.html` with `{"html": expand_db_html(source)}`;
  `rich_text_html` skips that render when the template is Wagtail's own `{{ html|safe }}`.
- `page.get_view_restrictions()`: what Wagtail's view-restriction hook asks the served
  page; the remembered routing answers it without a query when there is none.
- `page._cached_parent_obj` (treebeard): the parent `get_parent()` returns without a
  query; the index pages set it when they route to a child.
- The `{% sidebar_props %}` tag of `wagtailadmin_tags`: replaced by a memo
  (caching/sidebar.py).
- `BaseChooser.render` and the parts it is built from (`render_html`, `get_value_data`,
  `get_js_init_options`, `render_js_init`, `js_constructor`): replaced so that choosers
  write no inline script (accounts/admin_csp.py).
- The admin templates overridden in site/accounts/templates/wagtailadmin/ (inline
  scripts, refused by the Content-Security-Policy): `OVERRIDDEN_ADMIN_TEMPLATES` holds the
  digest of Wagtail's original each override was written against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.template.loader import get_template, render_to_string
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.models import Page, Site
from wagtail.rich_text import RichText, expand_db_html
from wagtail.url_routing import RouteResult

# Wagtail's admin templates overridden by the project, with the SHA-256 of Wagtail's own
# file each override copies (Wagtail 8.0.1). A new digest means: compare Wagtail's new
# template with the override, carry its changes over, then update the digest.
OVERRIDDEN_ADMIN_TEMPLATES = {
    "wagtailadmin/panels/inline_panel.html": (
        "195bb0b199edb062dcf41a5a92ecabf5bae52a6eac06823eb3cd12b799be4f89"
    ),
    "wagtailadmin/panels/multiple_chooser_panel.html": (
        "673bc9b26ca95c0385e7ac8a5c81d2449e6e59df841f74fe89d5003f877a653d"
    ),
    "wagtailadmin/widgets/date_input.html": (
        "2557f7a4fd543d7cd6f192a97fdd0c12ebfad9a8d4ab2b7fe72a2f011cd049c8"
    ),
    "wagtailadmin/widgets/datetime_input.html": (
        "479d8ddeaa73d2fdd33d584118d51b0c3ec4c2dc5b90a66b526874f9799d2676"
    ),
    "wagtailadmin/widgets/time_input.html": (
        "536917c544a135631e8683866e8351bd491822a336c9a59639ab71338638e242"
    ),
}

_SITE = "_wagtail_site"
_ROUTE = "_wagtail_route_for_request"
_SITE_ROOT_PATHS = "_wagtail_cached_site_root_paths"


# Sites and routes ------------------------------------------------------------------------


def request_hostname(request: HttpRequest) -> str:
    """The request's host name as Wagtail matches sites with it (no ALLOWED_HOSTS check)."""
    # Private to Django's HttpRequest, so absent from django-stubs.
    return split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]


def site_find_uncached(request: HttpRequest) -> Site | None:
    """Wagtail's site lookup itself, without its per-request cache."""
    return Site._find_for_request(request)


def request_has_site(request: HttpRequest) -> bool:
    return hasattr(request, _SITE)


def request_site(request: HttpRequest) -> Site | None:
    """The site Wagtail found (or was handed) for this request, else None."""
    return getattr(request, _SITE, None)


def request_set_site(request: HttpRequest, site: Site | None) -> None:
    """`Site.find_for_request` will answer `site` for this request, without a query."""
    setattr(request, _SITE, site)


def request_has_route(request: HttpRequest) -> bool:
    return hasattr(request, _ROUTE)


def request_set_route(request: HttpRequest, page: Page) -> None:
    """Wagtail's `serve` will serve `page` (no arguments) for this request."""
    setattr(request, _ROUTE, RouteResult(page))


def request_set_site_root_paths(request: HttpRequest, paths: list[Any]) -> None:
    """Pages' URLs built with this request (`page.get_url(request)`, `{% pageurl %}`) will
    use `paths` as `Site.get_site_root_paths()`, without reading them from the cache."""
    setattr(request, _SITE_ROOT_PATHS, paths)


def page_skip_view_restrictions(page: Page, no_restrictions: Callable[[], Any]) -> None:
    """`page` is known to have no view restriction: Wagtail's hook gets `no_restrictions()`
    (an empty queryset) instead of querying them."""
    page.get_view_restrictions = no_restrictions


def page_set_parent(page: Page, parent: Page) -> None:
    """`page.get_parent()` will return `parent` without a query."""
    page._cached_parent_obj = parent


# Rich text ------------------------------------------------------------------------------

RICH_TEXT_TEMPLATE = "wagtailcore/shared/richtext.html"
# Wagtail's own RICH_TEXT_TEMPLATE: it adds nothing to the expanded HTML.
_RICH_TEXT_TEMPLATE_IDENTITY = "{{ html|safe }}"
_rich_text_template_is_identity: bool | None = None


def _rich_text_template_adds_nothing() -> bool:
    global _rich_text_template_is_identity
    if _rich_text_template_is_identity is None:
        source = getattr(
            getattr(get_template(RICH_TEXT_TEMPLATE), "template", None), "source", None
        )
        _rich_text_template_is_identity = source == _RICH_TEXT_TEMPLATE_IDENTITY
    return _rich_text_template_is_identity


def _rich_text_template_forget(**kwargs: Any) -> None:
    global _rich_text_template_is_identity
    _rich_text_template_is_identity = None


# A project template overriding Wagtail's may appear (settings in tests, a file while the
# development server runs): asked again then.
setting_changed.connect(_rich_text_template_forget, weak=False)
file_changed.connect(_rich_text_template_forget, weak=False)


def rich_text_html(value: Any) -> SafeString:
    """What Wagtail renders for a rich text: `{{ value }}` of a `RichText` (a rich text
    block's value), or `{{ value|richtext }}` of a stored string (a `RichTextField`).

    Wagtail renders RICH_TEXT_TEMPLATE for each value (about 35 µs: a template lookup, a
    context, a render); when that template is Wagtail's own, which adds nothing to the
    expanded HTML, the expanded HTML is returned as it is. A subclass of `RichText` (its
    own `__html__`) and any other value are left to Wagtail."""
    if type(value) is RichText:
        source = value.source
    elif isinstance(value, str):
        source = value
    else:  # None, a lazy string, a subclass, anything Wagtail refuses: Wagtail's filter
        # (imported here: its module loads models, and models import this one).
        from wagtail.templatetags.wagtailcore_tags import richtext

        return conditional_escape(richtext(value))
    html = expand_db_html(source)
    if _rich_text_template_adds_nothing():
        return mark_safe(html)  # noqa: S308 - Wagtail's expanded rich text, as it renders it
    return render_to_string(RICH_TEXT_TEMPLATE, {"html": html})


# Admin --------------------------------------------------------------------------------


def sidebar_props_tag() -> Callable[[Any], str]:
    """Wagtail's `{% sidebar_props %}` function (takes the template context)."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    return wagtailadmin_tags.sidebar_props


def sidebar_props_replace(function: Callable[[Any], str]) -> None:
    """Registers `function(context)` as `{% sidebar_props %}` in Wagtail's tag library, so
    Wagtail's own templates call it."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    function.__name__ = "sidebar_props"
    wagtailadmin_tags.register.simple_tag(function, takes_context=True)


ChooserRender = Callable[..., Any]
WAGTAIL_CHOOSER_RENDER: ChooserRender = BaseChooser.render


def chooser_render_replace(make_render: Callable[[ChooserRender], ChooserRender]) -> None:
    """Replaces `BaseChooser.render(self, name, value, attrs=None, renderer=None)` by
    `make_render(wagtails_render)` (Wagtail's own, however often this is called)."""
    BaseChooser.render = make_render(WAGTAIL_CHOOSER_RENDER)


def chooser_has_own_js_init(widget: BaseChooser) -> bool:
    """Whether the chooser widget overrides `render_js_init` (then Wagtail's render is
    kept: the project does not know its script)."""
    return type(widget).render_js_init is not BaseChooser.render_js_init
