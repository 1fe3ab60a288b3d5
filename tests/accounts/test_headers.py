"""Content-Security-Policy and Permissions-Policy on every page: public pages allow no inline
script but the text-size one (by its hash), nothing from other hosts; the admin allows
inline styles only."""

import base64
import hashlib
import re

import pytest

from tests.factories.learners import counsellor_user

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/recherche/?q=impots", "/carnet/", "/cette-page-n-existe-pas/"]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def inline_scripts(html: str) -> list[str]:
    return [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]


def sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_allow_no_inline_script_but_known_hashes(client, url):
    response = client.get(url)
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert not re.search(r"https?:|\*", response["Content-Security-Policy"])
    html = response.content.decode()
    for source in inline_scripts(html):
        assert sha256(source) in csp["script-src"], source[:80]
    assert not re.search(r"\son[a-z]+=", html), "gestionnaire d'événement en ligne"
    assert not re.search(r'\sstyle="', html), "attribut style en ligne"


def test_page_cache_hits_carry_the_headers(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/")
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert "script-src" in hit["Content-Security-Policy"]
    assert "camera=()" in hit["Permissions-Policy"]


def test_admin_policy_keeps_scripts_strict(client):
    client.force_login(counsellor_user())
    response = client.get("/admin/")
    csp = policy(response)
    assert csp["script-src"] == ["'self'", *[v for v in csp["script-src"] if v != "'self'"]]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert not re.search(r"https?:|\*", response["Content-Security-Policy"])


def test_permissions_policy_turns_devices_off(client):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def _inline_scripts_in(client, url) -> tuple[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, inline_scripts(html)


def test_admin_editors_write_no_inline_script(client):
    """Wagtail's date pickers and inline panels are started from a static file
    (accounts/static/accounts/admin-init.js), not from inline scripts."""
    from tests.factories.learners import coordinator_user
    from tests.factories.workshops import AtelierPageFactory, atelier_index_page

    user = coordinator_user()
    user.is_superuser = True
    user.save()
    client.force_login(user)
    atelier = AtelierPageFactory(parent=atelier_index_page())
    html, scripts = _inline_scripts_in(client, f"/admin/pages/{atelier.pk}/edit/")
    assert scripts == []
    assert 'data-pap-init="InlinePanel"' in html
    assert 'data-pap-init="initDateTimeChooser"' in html
    assert "accounts/admin-init.js" in html
    html, scripts = _inline_scripts_in(client, f"/admin/pages/{atelier.get_parent().pk}/")
    assert scripts == [] and 'data-pap-init="initDateChooser"' in html


def test_documents_keep_wagtails_stricter_policy(client):
    """Wagtail serves documents with "default-src 'none'" (no script inside a PDF or an
    HTML file uploaded as a document); django-csp leaves an existing header alone."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Support", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="support.pdf")
    )
    response = client.get(document.url)
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]
