"""The anonymous full-page cache (caching/pages.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from caching import pages as pagecache
from tests.factories.editorial import UserFactory
from tests.factories.workshops import GuidePageFactory, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def status(response) -> str | None:
    return response.headers.get(pagecache.HEADER)


def test_anonymous_readers_get_the_cached_page_without_any_query(client):
    guide = GuidePageFactory(step_count=2)
    first = client.get(guide.url)
    assert status(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(guide.url)
    assert status(second) == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    assert not second.cookies


def test_each_filter_combination_is_its_own_entry(client):
    GuidePageFactory(title="Fiche e-mail", themes=[theme("e-mail")], illustrated=False)
    GuidePageFactory(title="Fiche santé", themes=[theme("sante")], illustrated=False)
    email = client.get("/fiches/?thematique=e-mail")
    health = client.get("/fiches/?thematique=sante")
    assert status(email) == status(health) == "miss"
    assert "Fiche santé" not in email.content.decode()
    assert "Fiche e-mail" not in health.content.decode()
    assert status(client.get("/fiches/?thematique=e-mail")) == "hit"
    # The order of the parameters does not matter; their values do.
    assert status(client.get("/fiches/?niveau=debutant&thematique=sante")) == "miss"
    assert status(client.get("/fiches/?thematique=sante&niveau=debutant")) == "hit"
    assert status(client.get("/fiches/?thematique=sante&niveau=avance")) == "miss"


def test_logged_in_users_are_never_served_from_nor_stored_in_the_cache(client):
    guide = GuidePageFactory(illustrated=False)
    client.force_login(UserFactory())
    logged_in = client.get(guide.url)
    assert logged_in.status_code == 200 and status(logged_in) is None
    assert status(client.get(guide.url)) is None
    client.logout()
    # Nothing was stored while logged in: the first anonymous view is a miss.
    client.cookies.clear()
    assert status(client.get(guide.url)) == "miss"
    assert status(client.get(guide.url)) == "hit"
    # Logging in after that bypasses the stored page.
    client.force_login(UserFactory())
    assert status(client.get(guide.url)) is None


def test_publishing_unpublishing_and_deleting_invalidate_the_cache(client):
    guide = GuidePageFactory(title="Titre d'origine", illustrated=False)
    client.get(guide.url)
    client.get("/fiches/")
    assert status(client.get(guide.url)) == "hit"

    guide.title = "Titre corrigé"
    guide.save_revision().publish()
    response = client.get(guide.url)
    assert status(response) == "miss" and "Titre corrigé" in response.content.decode()
    # Every page is refreshed: the list shows the new title too.
    index = client.get("/fiches/")
    assert status(index) == "miss" and "Titre corrigé" in index.content.decode()

    other = GuidePageFactory(title="Une autre fiche", illustrated=False)
    client.get(other.url)
    guide.unpublish()
    assert client.get(guide.url).status_code == 404
    assert status(client.get(other.url)) == "miss"
    other.delete()
    assert client.get(other.url).status_code == 404


def test_a_page_with_a_csrf_token_or_a_cookie_is_not_cached(client):
    guide = GuidePageFactory(illustrated=False)
    PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    first = client.get(guide.url)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()
    assert status(first) is None
    assert status(client.get(guide.url)) is None


def test_private_or_no_store_responses_are_not_stored():
    request = RequestFactory().get("/fiches/")
    request.resolver_match = type("Match", (), {"url_name": "wagtail_serve"})()
    ok = HttpResponse("<p>ok</p>", content_type="text/html; charset=utf-8")
    assert pagecache.response_is_cacheable(request, ok)
    for value in ("no-store", "private, max-age=0"):
        response = HttpResponse("<p>x</p>", content_type="text/html")
        response["Cache-Control"] = value
        assert not pagecache.response_is_cacheable(request, response)
    with_cookie = HttpResponse("<p>x</p>", content_type="text/html")
    with_cookie.set_cookie("a", "b")
    assert not pagecache.response_is_cacheable(request, with_cookie)


def test_search_results_and_not_found_pages(client):
    GuidePageFactory(title="Déclarer ses impôts", illustrated=False)
    assert status(client.get("/recherche/?q=impots")) == "miss"
    assert status(client.get("/recherche/?q=impots")) == "hit"
    assert status(client.get("/recherche/?q=visio")) == "miss"
    missing = client.get("/cette-page-n-existe-pas/")
    assert missing.status_code == 404 and status(missing) is None


def test_the_setting_turns_the_cache_off(client, settings):
    guide = GuidePageFactory(illustrated=False)
    settings.PAGE_CACHE_SECONDS = 0
    assert status(client.get(guide.url)) is None
    assert status(client.get(guide.url)) is None


def test_posting_feedback_is_never_answered_from_the_cache(client):
    guide = GuidePageFactory(illustrated=False)
    client.get(guide.url)
    response = client.post(f"/fiches/avis/{guide.pk}/", {"kind": "helped"})
    assert response.status_code == 302 and status(response) is None


def test_an_entry_of_the_former_format_is_not_served(client):
    """Before a deploy, entries held a bare version number: obsolete, never served."""
    guide = GuidePageFactory(illustrated=False)
    client.get(guide.url)
    request = RequestFactory().get(guide.url, HTTP_HOST="testserver")
    key = pagecache.cache_key(request)
    cache.set(key, (cache.get("pagecache:version:publication"), HttpResponse("ancienne")))
    response = client.get(guide.url)
    assert status(response) == "miss" and "ancienne" not in response.content.decode()


def test_renaming_a_competence_framework_refreshes_the_pages_that_show_it(client):
    from tests.factories.workshops import competence

    skill = competence("2.1")
    guide = GuidePageFactory(title="Fiche avec compétence", illustrated=False, competences=[skill])
    client.get(guide.url)
    assert status(client.get(guide.url)) == "hit"
    framework = skill.framework
    framework.name = "Référentiel renommé"
    framework.save()
    assert status(client.get(guide.url)) == "miss"
