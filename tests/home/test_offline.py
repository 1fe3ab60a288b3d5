"""Guides offline (home/offline.py): the service worker served from the root, versioned by
the release; the web app manifest; the offline page; the controls on guides and ateliers;
the content security policy. The worker's behaviour in a browser: tests/browser/test_offline.py."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import front
from home import offline
from tests.factories.editorial import UserFactory
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory

pytestmark = pytest.mark.django_db

PUBLIC = re.compile(r"^public, max-age=0, s-maxage=2, stale-while-revalidate=2$")


@pytest.fixture(autouse=True)
def front_headers(settings):
    settings.FRONT_CACHE_MAX_AGE = 0
    settings.FRONT_CACHE_S_MAXAGE = 2
    settings.FRONT_CACHE_STALE_SECONDS = 2
    settings.FRONT_CACHE_TAG_SECONDS = 10**9
    cache.clear()
    yield
    cache.clear()
    front.release.cache_clear()


def worker_config(response) -> dict:
    first_line = response.content.decode().split("\n", 1)[0]
    match = re.fullmatch(r"var CONFIG = (\{.*\});", first_line)
    assert match, first_line
    return json.loads(match.group(1))


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert len(queries) == 0
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert PUBLIC.match(response["Cache-Control"])
    config = worker_config(response)
    assert config["offline"] == "/hors-connexion/"
    assert config["shell"][0] == "/hors-connexion/"
    assert {"/static/css/site.css", "/static/js/site.js"} <= set(config["shell"])
    # Never looked at: the admin, the carnet, sign-up links, the API, documents.
    for path in ("/admin/", "/carnet/", "/pres-de-chez-vous/inscription/", "/api/"):
        assert path in config["private"], path
    assert 'self.addEventListener("fetch"' in response.content.decode()


def test_a_browser_checking_for_a_new_worker_gets_a_304(client):
    tag = client.get("/sw.js")["ETag"]
    assert re.fullmatch(r'W/"[0-9.]+-[0-9a-f]{24}"', tag)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/sw.js", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    assert len(queries) == 0


def test_a_new_release_gives_a_new_worker_and_a_new_tag(client, settings):
    settings.FRONT_CACHE_RELEASE = "release-a"
    front.release.cache_clear()
    before = client.get("/sw.js")
    settings.FRONT_CACHE_RELEASE = "release-b"
    front.release.cache_clear()
    after = client.get("/sw.js")
    assert worker_config(before)["version"] != worker_config(after)["version"]
    assert before.content != after.content
    assert client.get("/sw.js", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_logged_in_user_gets_a_private_answer(client):
    client.force_login(UserFactory())
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_manifest_is_french_with_local_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert PUBLIC.match(response["Cache-Control"])
    data = json.loads(response.content)
    assert data["lang"] == "fr" and data["short_name"] == "Pas à pas"
    assert data["name"].startswith("Pas à pas")
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["theme_color"] == offline.THEME_COLOUR
    purposes = {icon.get("purpose", "any") for icon in data["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/"), icon
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_the_offline_page_is_french_and_not_indexed(client):
    response = client.get("/hors-connexion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vous êtes hors connexion</h1>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "data-offline-list" in html and "Les fiches disponibles hors connexion" in html
    assert PUBLIC.match(response["Cache-Control"])


def test_every_page_links_the_manifest_and_the_policy_allows_worker_and_manifest(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#00466f">' in html
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "default-src 'self'" in policy and "unsafe" not in policy


def test_guides_have_print_and_offline_controls_hidden_without_javascript(client):
    guide = GuidePageFactory(step_count=2, illustrated=False)
    html = client.get(guide.url).content.decode()
    assert re.search(
        r'<p data-print-tool hidden><button type="button" class="button-secondary" data-print>'
        r"Imprimer cette fiche</button></p>",
        html,
    )
    assert re.search(r'<div class="offline-tool" data-offline hidden', html)
    assert "Garder cette fiche pour la lire hors connexion" in html
    assert "Disponible hors connexion sur cet appareil." in html
    assert 'role="status" data-offline-status' in html


def test_ateliers_have_a_print_button_and_no_offline_control(client):
    atelier = AtelierPageFactory(handout_count=1)
    html = client.get(atelier.url).content.decode()
    assert "Imprimer cet atelier</button>" in html
    assert "data-offline" not in html
    assert '<ul class="documents" data-print-links>' in html
