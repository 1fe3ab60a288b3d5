import pytest
from wagtail.models import Page, Site

from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_default_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(id=site.root_page_id).exists()


def test_home_page_renders_in_french_with_landmarks(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert html.count("<h1") == 1
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "<nav" in html and "<footer" in html
    # No external resources: every stylesheet and script is served by the site.
    assert "http://" not in html.split("<body")[0].replace("http://127.0.0.1", "")
    assert "https://" not in html.split("<body")[0]


def test_pages_name_an_icon_served_by_the_site(client):
    """Otherwise every browser asks for /favicon.ico and gets the whole 404 page."""
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")


def test_home_page_keeps_one_instance():
    from wagtail.test.utils import WagtailTestUtils  # noqa: F401

    assert HomePage.max_count == 1
    assert HomePage.objects.count() == 1


def test_admin_login_is_in_french(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Mot de passe" in response.content.decode()


def test_unknown_page_gets_a_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "introuvable" in response.content.decode()
