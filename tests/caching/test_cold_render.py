"""The cold render (what every reader gets right after a publication: the memos, the
render cache and the page cache all miss): routing by `url_path`, the view restrictions
from the remembered paths, the site found without Wagtail's query, a bounded number of
queries, and the same page as Wagtail's own routing would serve (README « The cold render
and warm workers »)."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from caching import memo, routing, versions
from tests.factories.editorial import UserFactory
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    ImageFactory,
    competence,
    guide_index_page,
    theme,
)
from workshops.models import AtelierPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def render_cache_on_page_cache_off(settings):
    settings.RENDER_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0


def cold_get(client, url: str, **extra):
    """A GET right after a publication."""
    versions.bump(versions.PUBLICATION)
    return client.get(url, **extra)


def cold_queries(client, url: str) -> int:
    client.get(url)  # renditions generated, templates compiled
    versions.bump(versions.PUBLICATION)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_cold_guide_costs_a_bounded_number_of_queries_whatever_its_steps(client):
    small = GuidePageFactory(step_count=1)
    large = GuidePageFactory(step_count=12)
    AtelierPageFactory(related_guides=[large])
    # Site, page (its specific type known from an earlier route), restricted and alias
    # paths, navigation, breadcrumbs, footer, step images, renditions, the « À propos »
    # (competences, themes, audiences, ateliers in one): 9 (21 before the cold render
    # was first made cheaper, then 13; Wagtail's routing alone took 8).
    assert cold_queries(client, large.url) <= 9
    assert cold_queries(client, small.url) <= cold_queries(client, large.url)


def test_the_cold_render_is_the_warm_render(client):
    guide = GuidePageFactory(step_count=4)
    atelier = AtelierPageFactory(related_guides=[guide], handout_count=1)
    for url in (guide.url, atelier.url, "/", guide_index_page().url):
        cold = cold_get(client, url).content
        warm = client.get(url).content
        assert cold == warm, url


def test_routing_by_url_path_serves_what_wagtails_routing_serves(client, rf):
    guide = GuidePageFactory(illustrated=False)
    assert routing._routes_by_url_path()  # every page type of the project routes by slugs
    site = Site.objects.get(is_default_site=True)
    for path in ("/", guide_index_page().url, guide.url):
        by_url_path = routing._route_by_url_path(site, path)
        request = rf.get(path)
        wagtails = Page.route_for_request(request, path)[0]
        assert (type(by_url_path), by_url_path.pk) == (type(wagtails), wagtails.pk), path
    assert routing._route_by_url_path(site, "/fiches/inconnue/") is None


def test_a_draft_or_unpublished_page_is_not_found_cold(client):
    guide = GuidePageFactory(illustrated=False)
    url = guide.url
    guide.unpublish()
    assert cold_get(client, url).status_code == 404
    draft = GuidePageFactory(title="Brouillon", illustrated=False, publish=False)
    assert cold_get(client, draft.get_url() or f"/fiches/{draft.slug}/").status_code == 404


def test_a_restricted_page_and_its_children_are_refused_cold(client):
    guide = GuidePageFactory(illustrated=False)
    PageViewRestriction.objects.create(
        page=guide_index_page(), restriction_type=PageViewRestriction.LOGIN
    )
    for _ in range(2):  # cold, then from the memo
        response = cold_get(client, guide.url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert cold_get(client, guide.url).status_code == 200


def test_an_alias_of_a_restricted_page_is_refused_cold(client):
    guide = GuidePageFactory(illustrated=False)
    alias = guide.create_alias(update_slug=f"{guide.slug}-alias")
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    memo.forget()
    response = cold_get(client, alias.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_site_match_is_wagtails_on_every_case(rf):
    root = Page.objects.get(depth=1)
    Site.objects.all().delete()
    hosts = ["a.example", "b.example"]
    layouts = [
        # (hostname, port, default) of each site
        [("a.example", 80, True)],
        [("a.example", 80, False)],
        [("a.example", 8000, False), ("a.example", 80, False)],
        [("a.example", 80, True), ("b.example", 80, False)],
        [("a.example", 8000, True), ("b.example", 8000, False), ("b.example", 9000, False)],
        [("c.example", 80, True), ("b.example", 8000, False)],
        [("c.example", 80, False), ("b.example", 8000, False)],
    ]
    for layout in layouts:
        Site.objects.all().delete()
        for hostname, port, default in layout:
            Site.objects.create(
                hostname=hostname, port=port, is_default_site=default, root_page=root
            )
        sites = list(Site.objects.all())
        for hostname, port in itertools.product([*hosts, "z.example"], [80, 8000, 9000]):
            try:
                expected = get_site_for_hostname(hostname, port)
            except Site.DoesNotExist:
                expected = None
            found = routing.site_match(sites, hostname, port)
            assert getattr(found, "pk", None) == getattr(expected, "pk", None), (
                layout,
                hostname,
                port,
            )


def test_a_known_page_type_routes_in_one_query_and_a_wrong_hint_is_not_trusted():
    guide = GuidePageFactory(illustrated=False)
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    url = guide.url
    routing._TYPE_HINTS.clear()
    with CaptureQueriesContext(connection) as first:
        assert routing._route_by_url_path(site, url).pk == guide.pk
    with CaptureQueriesContext(connection) as hinted:
        page = routing._route_by_url_path(site, url)
    assert (type(page), page.pk, len(first), len(hinted)) == (type(guide), guide.pk, 2, 1)
    # A hint that no longer holds (another type now, or a base type) is checked, not trusted.
    for wrong in (AtelierPage, Page):
        routing._TYPE_HINTS[guide.url_path] = wrong
        page = routing._route_by_url_path(site, url)
        assert (type(page), page.pk) == (type(guide), guide.pk)
        assert routing._TYPE_HINTS[guide.url_path] is type(guide)
    guide.unpublish()
    assert routing._route_by_url_path(site, url) is None
    guide.delete()
    assert routing._route_by_url_path(site, f"/fiches-pratiques/{guide.slug}/") is None


def test_with_the_render_cache_off_the_guide_is_remembered_until_a_publication(client, settings):
    """The render cache off (RENDER_CACHE_SECONDS=0), the guide is rendered on every
    request, from the memos: no query; its « À propos » follows every publication."""
    settings.RENDER_CACHE_SECONDS = 0
    guide = GuidePageFactory(step_count=3, themes=[theme("e-mail")], competences=[])
    url = guide.url
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert not queries.captured_queries
    assert str(theme("e-mail")) in first and "Atelier du jeudi" not in first
    AtelierPageFactory(title="Atelier du jeudi", related_guides=[guide])
    named = competence("S2.1")
    named.name = "Envoyer un courriel à un proche"
    named.save()
    guide.competences.add(named)
    guide.save_revision().publish()
    after = client.get(url).content.decode()
    assert "Atelier du jeudi" in after and "Envoyer un courriel à un proche" in after
    named.name = "Écrire un courriel"
    named.save()  # a competence saved: the publication version is bumped
    assert "Écrire un courriel" in client.get(url).content.decode()


def test_with_the_render_cache_off_a_new_step_picture_shows_after_its_publication(client, settings):
    settings.RENDER_CACHE_SECONDS = 0
    guide = GuidePageFactory(step_count=1)
    before = set(re.findall(r"/media/images/[^\s\"]+", client.get(guide.url).content.decode()))
    client.get(guide.url)  # the page and its picture's sources remembered
    guide.steps[0].value["image"] = ImageFactory(title="Nouvel écran")
    guide.save_revision().publish()
    after = set(re.findall(r"/media/images/[^\s\"]+", client.get(guide.url).content.decode()))
    assert before and after and not before & after
