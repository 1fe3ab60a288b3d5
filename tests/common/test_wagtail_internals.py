"""Every Wagtail internal the project relies on (common/wagtail_internals.py) still exists
and behaves as relied on. A failure here after an upgrade names the internal and the
Wagtail version: adapt common/wagtail_internals.py (and its callers) before anything else."""

import hashlib
import inspect
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.models import Page, PageViewRestriction, Site

from common import wagtail_internals
from tests.factories.workshops import GuidePageFactory

WAGTAIL_TEMPLATES = Path(wagtail.__file__).parent / "admin" / "templates"
OVERRIDES = Path(__file__).resolve().parents[2] / "site" / "accounts" / "templates"


def changed(internal: str, what: str) -> str:
    return (
        f"Wagtail internal `{internal}` changed in Wagtail {wagtail.__version__}: {what}. "
        "Adapt common/wagtail_internals.py and the code relying on it."
    )


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.mark.django_db
def test_find_for_request_keeps_its_answer_on_the_request():
    request = RequestFactory().get("/")
    assert parameters(Site._find_for_request) == ["request"], changed(
        "Site._find_for_request", "its signature"
    )
    site = wagtail_internals.site_find_uncached(request)
    assert site is not None and site.is_default_site, changed(
        "Site._find_for_request", "no default site found"
    )
    Site.find_for_request(request)
    assert wagtail_internals.request_has_site(request), changed(
        "request._wagtail_site", "Site.find_for_request no longer caches its answer there"
    )
    other = wagtail_internals.request_site(request)
    fresh = RequestFactory().get("/")
    wagtail_internals.request_set_site(fresh, other)
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(fresh) is other
    assert not queries, changed(
        "request._wagtail_site", "Site.find_for_request ignores the site set on the request"
    )


def test_the_raw_host_is_read_without_the_allowed_hosts_check():
    request = RequestFactory().get("/", HTTP_HOST="inconnu.example:8000")
    assert wagtail_internals.request_hostname(request) == "inconnu.example", changed(
        "HttpRequest._get_raw_host (Django)", "no longer the host as sent"
    )


@pytest.mark.django_db
def test_route_for_request_serves_the_route_set_on_the_request():
    guide = GuidePageFactory(illustrated=False)
    request = RequestFactory().get("/elsewhere/")
    wagtail_internals.request_set_route(request, guide)
    assert wagtail_internals.request_has_route(request)
    with CaptureQueriesContext(connection) as queries:
        route = Page.route_for_request(request, "/elsewhere/")
    assert route is not None and route[0] is guide and not queries, changed(
        "request._wagtail_route_for_request", "Page.route_for_request ignores the route set"
    )
    assert route[1] == [] and route[2] == {}, changed("RouteResult", "its (page, args, kwargs)")


@pytest.mark.django_db
def test_the_view_restriction_hook_asks_the_page(client):
    guide = GuidePageFactory(illustrated=False)
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    hooks_found = [
        fn for fn in hooks.get_hooks("on_serve_page") if fn.__name__ == "check_view_restrictions"
    ]
    assert hooks_found, changed("check_view_restrictions (on_serve_page hook)", "gone")
    serve = hooks_found[0](lambda page, request, args, kwargs: "served")
    request = RequestFactory().get(guide.url)
    request.user = AnonymousUser()
    request.session = {}
    assert serve(guide, request, [], {}) != "served", changed(
        "check_view_restrictions hook", "a login restriction no longer refuses an anonymous reader"
    )
    page = Page.objects.get(pk=guide.pk).specific
    wagtail_internals.page_skip_view_restrictions(page, PageViewRestriction.objects.none)
    assert serve(page, request, [], {}) == "served", changed(
        "page.get_view_restrictions", "Wagtail's hook no longer asks the page for its restrictions"
    )


@pytest.mark.django_db
def test_the_cached_parent_is_returned_without_a_query():
    guide = GuidePageFactory(illustrated=False)
    page = Page.objects.get(pk=guide.pk)
    parent = Page.objects.get(pk=guide.get_parent().pk)
    wagtail_internals.page_set_parent(page, parent)
    with CaptureQueriesContext(connection) as queries:
        assert page.get_parent() is parent
    assert not queries, changed("page._cached_parent_obj (treebeard)", "get_parent() queries again")


@pytest.mark.django_db
def test_the_sidebar_props_tag_can_be_replaced(rf):
    original = wagtail_internals.sidebar_props_tag()
    assert callable(original) and parameters(original) == ["context"], changed(
        "wagtailadmin_tags.sidebar_props", "its signature"
    )
    try:
        wagtail_internals.sidebar_props_replace(lambda context: "<pap-sidebar>")
        html = Template("{% load wagtailadmin_tags %}{% sidebar_props %}").render(
            Context({"request": rf.get("/admin/")})
        )
        assert html in ("&lt;pap-sidebar&gt;", "<pap-sidebar>"), changed(
            "{% sidebar_props %}", "the replaced tag is not the one templates call"
        )
    finally:
        wagtailadmin_tags.register.simple_tag(original, takes_context=True)
    base = (WAGTAIL_TEMPLATES / "wagtailadmin" / "base.html").read_text()
    assert "{% sidebar_props %}" in base, changed(
        "{% sidebar_props %}", "wagtailadmin/base.html no longer calls it"
    )


def test_the_chooser_render_is_built_from_the_parts_the_patch_uses():
    assert parameters(wagtail_internals.WAGTAIL_CHOOSER_RENDER) == [
        "self",
        "name",
        "value",
        "attrs",
        "renderer",
    ], changed("BaseChooser.render", "its signature")
    for name in ("get_value_data", "render_html", "get_js_init_options", "render_js_init"):
        assert callable(getattr(BaseChooser, name, None)), changed(f"BaseChooser.{name}", "gone")
    assert parameters(BaseChooser.render_html) == ["self", "name", "value_data", "attrs"], changed(
        "BaseChooser.render_html", "its signature"
    )
    assert parameters(BaseChooser.get_js_init_options) == ["self", "id_", "name", "value_data"], (
        changed("BaseChooser.get_js_init_options", "its signature")
    )
    assert hasattr(BaseChooser, "js_constructor"), changed("BaseChooser.js_constructor", "gone")
    # The project's replacement is installed (accounts/admin_csp.py, AccountsConfig.ready).
    assert BaseChooser.render.__module__ == "accounts.admin_csp", "the chooser patch is off"


@pytest.mark.parametrize("name", sorted(wagtail_internals.OVERRIDDEN_ADMIN_TEMPLATES))
def test_overridden_admin_templates_still_match_wagtails_original(name):
    original = WAGTAIL_TEMPLATES / name
    assert original.is_file(), changed(f"template {name}", "Wagtail no longer has it")
    assert (OVERRIDES / name).is_file(), f"the override of {name} is missing"
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    assert digest == wagtail_internals.OVERRIDDEN_ADMIN_TEMPLATES[name], changed(
        f"template {name}",
        f"Wagtail's file is not the one site/accounts/templates/{name} was written against; "
        "carry its changes over to the override, then update the digest",
    )


def test_every_override_is_listed():
    found = {
        str(path.relative_to(OVERRIDES)) for path in (OVERRIDES / "wagtailadmin").rglob("*.html")
    }
    assert found == set(wagtail_internals.OVERRIDDEN_ADMIN_TEMPLATES), (
        "list every overridden Wagtail admin template in OVERRIDDEN_ADMIN_TEMPLATES"
    )


@pytest.mark.django_db
def test_page_urls_use_the_site_root_paths_set_on_the_request():
    guide = GuidePageFactory(illustrated=False)
    request = RequestFactory().get("/")
    wagtail_internals.request_set_site(request, Site.objects.get(is_default_site=True))
    paths = Site.get_site_root_paths()
    wagtail_internals.request_set_site_root_paths(request, paths)
    assert guide._get_site_root_paths(request) is paths, changed(
        "request._wagtail_cached_site_root_paths", "Page._get_site_root_paths ignores it"
    )
    assert guide.get_url(request=request) == guide.url
    wagtail_internals.request_set_site_root_paths(request, [])  # no site holds the page
    assert guide.get_url(request=request) is None, changed(
        "request._wagtail_cached_site_root_paths", "Page.get_url does not read it"
    )


@pytest.mark.django_db
def test_rich_text_html_is_what_wagtail_renders(settings, tmp_path):
    from django.utils.functional import lazy
    from wagtail.rich_text import RichText
    from wagtail.templatetags.wagtailcore_tags import richtext

    guide = GuidePageFactory(illustrated=False)
    sources = [
        "",
        "<p>Touchez <b>l'icône</b> &amp; attendez.</p>",
        f'<p>Voir <a linktype="page" id="{guide.pk}">la fiche</a>.</p>',
        '<p><a linktype="page" id="999999">disparue</a></p>',
    ]

    def wagtails(value) -> str:
        return str(value) if isinstance(value, RichText) else str(richtext(value))

    values = [*sources, *(RichText(s) for s in sources), None, lazy(str, str)("<p>x</p>")]
    for value in values:
        assert wagtail_internals.rich_text_html(value) == wagtails(value), changed(
            "RichText.__html__ / |richtext", f"renders {value!r} otherwise"
        )
    assert guide.url in wagtail_internals.rich_text_html(RichText(sources[2]))
    with pytest.raises(TypeError):
        wagtail_internals.rich_text_html(42)  # refused as Wagtail refuses it
    # A project's own rich text template is rendered, as Wagtail would.
    override = tmp_path / "wagtailcore" / "shared"
    override.mkdir(parents=True)
    (override / "richtext.html").write_text('<div class="rt">{{ html|safe }}</div>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    value = RichText(sources[1])
    assert wagtail_internals.rich_text_html(value) == wagtails(value)
    assert wagtail_internals.rich_text_html(value).startswith('<div class="rt"><p>')
