"""Every open file under /donnees/ answers GET and HEAD (never 405 to a harvester's HEAD)
and is readable from any site (CORS); the venue files and the « Données ouvertes » page
are public for shared caches with an ETag, answered 304 without a query while nothing
changed, and a new venue changes them at once (it bumps the agenda's version)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import pages as pagecache
from learners.services.organisations import venue_create

pytestmark = pytest.mark.django_db

FILES = (
    "/donnees/lieux-de-mediation-numerique.csv",
    "/donnees/lieux-de-mediation-numerique.json",
    "/donnees/data-inclusion/structures.json",
    "/donnees/data-inclusion/services.json",
)
VENUE_CSV = FILES[0]


@pytest.fixture(autouse=True)
def front_headers(settings):
    settings.FRONT_CACHE_MAX_AGE = 0
    settings.FRONT_CACHE_S_MAXAGE = 2
    settings.FRONT_CACHE_STALE_SECONDS = 2
    settings.FRONT_CACHE_TAG_SECONDS = 10**9
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _new_venue(network, communes, name: str):
    return venue_create(
        structure=network["yon"],
        name=name,
        commune=communes["85191"],
        postal_code="85000",
        address="2 rue Neuve",
    )


@pytest.mark.parametrize("path", FILES)
def test_open_files_answer_head_and_any_site(client, opendata_network, path):
    for method in (client.get, client.head):
        response = method(path)
        assert response.status_code == 200, (method, path)
        assert response["Access-Control-Allow-Origin"] == "*", path
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", FILES[:2])
def test_venue_files_are_public_and_revalidated_until_a_venue_changes(
    client, opendata_network, communes, path
):
    first = client.get(path)
    assert first["Cache-Control"].startswith("public, max-age=0, s-maxage=2")
    assert "Espace numérique du Bourg" in _body(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and len(queries) == 0
    _new_venue(opendata_network, communes, "Tiers-lieu de la Gare")
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Tiers-lieu de la Gare" in _body(changed)


def test_the_open_data_page_is_cached_and_fresh_after_a_new_venue(
    client, opendata_network, communes
):
    first = client.get("/donnees/")
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=0, s-maxage=2")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/donnees/")
    assert second.get(pagecache.HEADER) == "hit" and len(queries) == 0
    assert second.content == first.content
    _new_venue(opendata_network, communes, "Tiers-lieu de la Gare")
    third = client.get("/donnees/")
    assert third.get(pagecache.HEADER) != "hit" and third["ETag"] != first["ETag"]
    assert third.content != first.content  # the venue count and date
