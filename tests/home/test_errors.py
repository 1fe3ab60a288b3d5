"""The embedded default behaves like the real site: DEBUG off unless asked for, French 404
and 500 pages, and uploads served under /media/ with safe types (home/media.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def dev_setting(name: str, **env: str) -> str:
    """A setting's value as `bin/run` sees it (config.settings.dev), in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.dev")
    code = (
        "import sys; sys.path[:0] = ['.', 'site']; import django; django.setup(); "
        f"from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_embedded_default_runs_without_debug_unless_asked():
    assert dev_setting("DEBUG") == "False"
    assert dev_setting("SERVE_MEDIA") == "True"
    assert dev_setting("DEBUG", DEBUG="1") == "True"
    assert dev_setting("DEBUG", DEBUG="0") == "False"


@pytest.mark.django_db
def test_mistyped_address_gets_the_french_404_with_search_and_home_link(client, settings):
    settings.DEBUG = False
    response = client.get("/fiches/cree-une-adresse-mail/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Cette page est introuvable" in html
    assert '<html lang="fr">' in html and html.count("<h1") == 1
    assert 'role="search"' in html and 'action="/recherche/"' in html
    assert '<a href="/">Revenir à l\'accueil</a>' in html
    for english in ("Page not found", "Not Found", "Traceback", "Request Method", "DEBUG"):
        assert english not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.home.urls_raising")
def test_a_failing_view_gets_the_french_500(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Un problème est survenu" in html and '<html lang="fr">' in html
    assert "panne simulée" not in html and "Traceback" not in html
    assert "Server Error" not in html


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Un problème est survenu"),
        ("400.html", "Cette demande n'a pas pu être traitée"),
        ("403_csrf.html", "Le formulaire a expiré"),
    ],
)
def test_standalone_error_pages_render_without_database_or_context(template, heading):
    # No django_db mark: any query would fail this test. Django renders these without a
    # request (server_error, bad_request, csrf_failure).
    html = loader.get_template(template).render()
    assert f"<h1>{heading}</h1>" in html.replace("&#x27;", "'")
    assert '<html lang="fr">' in html and '<a href="/"' in html and "{%" not in html


@pytest.fixture
def media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "ecran.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "original_images" / "piege.html").write_text("<script>alert(1)</script>")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "restreint.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def test_embedded_default_serves_uploaded_images_inline(client, settings, media_files):
    settings.SERVE_MEDIA = True
    response = client.get("/media/original_images/ecran.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_uploaded_html_is_a_download_never_a_page(client, settings, media_files):
    settings.SERVE_MEDIA = True
    response = client.get("/media/original_images/piege.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"


@pytest.mark.django_db
def test_media_view_refuses_documents_traversal_and_production(client, settings, media_files):
    settings.SERVE_MEDIA = True
    # Documents go through Wagtail's view, which applies the collections' restrictions.
    assert client.get("/media/documents/restreint.pdf").status_code == 404
    lenient = Client(raise_request_exception=False)
    for escape in ("/media/../pyproject.toml", "/media/%2e%2e/pyproject.toml"):
        response = lenient.get(escape)
        assert response.status_code in (400, 404), escape
        assert "Bad Request" not in response.content.decode()
    settings.SERVE_MEDIA = False
    assert client.get("/media/original_images/ecran.png").status_code == 404
