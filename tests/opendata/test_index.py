"""« Données ouvertes » (/donnees/): each published file with its format, schema, licence,
last update, count and stable address; the API's documentation; the link in the footer."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from learners.models import Venue
from tests.factories.learners import VenueFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_lists_every_file(client, opendata_network):
    assert reverse("opendata:index") == "/donnees/"
    response = client.get("/donnees/")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "<h1>Données ouvertes</h1>" in html
    for title in (
        "Lieux de médiation numérique (CSV)",
        "Lieux de médiation numérique (JSON)",
        "Structures (data·inclusion)",
        "Services (data·inclusion)",
    ):
        assert f">{title}</h2>" in html
    # Counts: 2 venues in the venue files (the third active one has no SIRET anywhere), 2
    # structures, 3 services (2 ateliers, 1 appointment venue).
    assert "Contenu 2 lieux" in text
    assert "Contenu 2 structures" in text
    assert "Contenu 3 services" in text
    assert text.count("Licence Licence Ouverte Etalab 2.0") == 4
    assert "data·inclusion, version 1.0.10" in text
    assert "Lieux de médiation numérique, version 1.0.2" in text
    # Stable absolute addresses, and download links on this host.
    for path in (
        "/donnees/lieux-de-mediation-numerique.csv",
        "/donnees/lieux-de-mediation-numerique.json",
        "/donnees/data-inclusion/structures.json",
        "/donnees/data-inclusion/services.json",
    ):
        assert f'<code class="opendata-url">http://localhost{path}</code>' in html
        assert f'href="{path}"' in html
    assert 'href="http://localhost/api/v1/docs"' in html


def test_one_structure_one_service_in_the_singular(client, communes):
    from tests.factories.learners import StructureFactory, VenueFactory

    structure = StructureFactory(siret="21850191700011")
    VenueFactory(structure=structure, commune=communes["85191"], takes_appointments=True)
    text = _text(client.get("/donnees/").content.decode())
    assert "Contenu 1 lieu " in text
    assert "Contenu 1 structure " in text
    assert "Contenu 1 service " in text


def test_an_empty_network_says_so(client):
    text = _text(client.get("/donnees/").content.decode())
    assert "Contenu 0 lieu " in text and "Contenu 0 service " in text
    assert text.count("aucune donnée pour l'instant") == 4


def test_last_update_is_a_french_date(client, opendata_network):
    Venue.objects.update(updated_at="2026-01-01T10:00:00Z")
    text = _text(client.get("/donnees/").content.decode())
    assert "Dernière mise à jour 1er janvier 2026" in text


def test_the_venue_count_is_the_csv_rows(client, opendata_network):
    """The page counts what the venue files hold: a venue the files leave out (no address,
    no SIRET) is not counted, an inactive one neither."""
    VenueFactory(structure=opendata_network["yon"], commune=opendata_network["bourg"].commune)
    VenueFactory(
        structure=opendata_network["yon"], commune=opendata_network["bourg"].commune, address=""
    )
    VenueFactory(
        structure=opendata_network["yon"],
        commune=opendata_network["bourg"].commune,
        is_active=False,
    )
    content = b"".join(client.get(reverse("opendata:venues_csv")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert len(rows) == 3
    assert f"Contenu {len(rows)} lieux" in _text(client.get("/donnees/").content.decode())


def test_the_footer_links_to_the_page(client):
    html = client.get("/donnees/").content.decode()
    assert '<a href="/donnees/" aria-current="page">Données ouvertes</a>' in html
    assert '<a href="/donnees/">Données ouvertes</a>' in client.get("/").content.decode()


def test_query_count_is_bounded(client, opendata_network):
    assert count_queries(client, "/donnees/") <= 12


def test_only_get_and_head(client):
    assert client.post("/donnees/").status_code == 405
