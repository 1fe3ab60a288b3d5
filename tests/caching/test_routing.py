"""Remembered page routing (caching/routing.py) and in-memory article fragments
(`{% publishedfragment %}`): fewer queries, never a stale or wrongly served page."""

import pytest
from wagtail.models import PageViewRestriction, Site

from tests.factories.editorial import UserFactory
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def render_cache_on_page_cache_off(settings):
    settings.RENDER_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0


def test_a_read_page_is_served_again_without_any_query(client):
    guide = GuidePageFactory(step_count=8)
    atelier = AtelierPageFactory(handout_count=2, related_guides=[guide])
    for url in (guide.url, atelier.url, "/"):
        first = client.get(url).content
        assert count_queries(client, url) == 0, url
        assert client.get(url).content == first


def test_the_count_does_not_grow_with_steps_or_pages(client):
    small = GuidePageFactory(step_count=1)
    large = GuidePageFactory(step_count=15)
    for n in range(5):
        GuidePageFactory(title=f"Autre fiche {n}", illustrated=False)
    client.get(small.url)
    client.get(large.url)
    assert count_queries(client, small.url) == count_queries(client, large.url) == 0


def test_unpublished_renamed_moved_or_deleted_pages_are_routed_afresh(client):
    guide = GuidePageFactory(title="À déplacer", illustrated=False)
    old_url = guide.url
    client.get(old_url)

    guide.slug = "nouvelle-adresse"
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert guide.url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(guide.url).status_code == 200

    guide.unpublish()
    assert client.get(guide.url).status_code == 404
    guide.save_revision().publish()
    assert client.get(guide.url).status_code == 200
    guide.delete()
    assert client.get(guide.url).status_code == 404


def test_a_new_revision_is_shown_at_once(client):
    guide = GuidePageFactory(title="Première version", illustrated=False)
    assert "Première version" in client.get(guide.url).content.decode()
    guide.title = "Seconde version"
    guide.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert "Seconde version" in html and "Première version" not in html


def test_a_draft_is_never_shown_to_readers(client):
    guide = GuidePageFactory(title="Version publiée", illustrated=False)
    client.get(guide.url)
    guide.title = "Brouillon"
    guide.save_revision()
    html = client.get(guide.url).content.decode()
    assert "Version publiée" in html and "Brouillon" not in html


def test_a_view_restriction_added_later_applies_at_once(client):
    guide = GuidePageFactory(illustrated=False)
    client.get(guide.url)
    assert count_queries(client, guide.url) == 0
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(guide.url)
    assert response.status_code == 302 and "login" in response["Location"]
    # Still refused on the next request (the restriction is remembered, not skipped).
    assert client.get(guide.url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(guide.url).status_code == 200


def test_a_site_added_later_routes_its_host_at_once(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "autre.example"]
    guide = GuidePageFactory(illustrated=False)
    client.get(guide.url)
    site = Site.objects.get(is_default_site=True)
    other_root = guide.get_parent()
    Site.objects.create(hostname="autre.example", port=80, root_page=other_root)
    # The site edit is seen at once: on the other host, the guide is at the site's root.
    response = client.get(f"/{guide.slug}/", HTTP_HOST="autre.example")
    assert response.status_code == 200
    assert client.get(guide.url, HTTP_HOST=site.hostname).status_code == 200


def test_private_pages_stay_out_of_lists_and_search_until_made_public(client):
    guide = GuidePageFactory(title="Fiche réservée aux conseillers", illustrated=False)
    GuidePageFactory(title="Fiche publique", illustrated=False)
    client.get("/fiches/")
    restriction = PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.LOGIN
    )
    for url in ("/fiches/", "/recherche/?q=fiche"):
        html = client.get(url).content.decode()
        assert "Fiche publique" in html and "réservée" not in html, url
    restriction.delete()
    for url in ("/fiches/", "/recherche/?q=fiche"):
        assert "réservée" in client.get(url).content.decode(), url
