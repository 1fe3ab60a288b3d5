"""Site search over published guides and ateliers, on SQLite and on PostgreSQL.

The suite runs on both (CI sets DATABASE_URL for the second run): the assertions shared by
both backends run everywhere (stemming included: see also test_search_stemming.py), the
PostgreSQL-only one (the `french_unaccent` configuration) when
`connection.vendor == "postgresql"`.

No `update_index` is needed: Wagtail 8 (django-modelsearch) indexes a page from its
`post_save` signal through a django-tasks task, and the TASKS backend is the immediate one
(settings/base.py), so a page saved by a factory is searchable at once, in the same
transaction.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    theme,
)
from workshops.selectors import build_search_query, public_search, search_terms

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL seulement (DATABASE_URL=postgres://…)"
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def content():
    return {
        "impots": GuidePageFactory(
            title="Déclarer ses impôts en ligne",
            summary="Remplir sa déclaration de revenus sur le site des impôts.",
            themes=[theme("demarches-argent")],
            illustrated=False,
        ),
        "password": GuidePageFactory(
            title="Retrouver un mot de passe oublié",
            summary="Recevoir un lien pour choisir un nouveau mot de passe.",
            themes=[theme("securite-numerique")],
            illustrated=False,
        ),
        "visio": AtelierPageFactory(
            title="Ateliers visio en famille",
            summary="Appeler ses petits-enfants en vidéo depuis une tablette.",
            themes=[theme("e-mail")],
        ),
        "draft": GuidePageFactory(
            title="Brouillon sur les impôts locaux", publish=False, illustrated=False
        ),
    }


def titles(results) -> list[str]:
    return [page.title for page in results]


def test_accents_do_not_matter(content):
    for query in ("impots", "IMPOTS", "impôts", "Impôts"):
        results = public_search(query=query)
        assert titles(results.guides) == ["Déclarer ses impôts en ligne"], query
    results = public_search(query="mot de passe oublie")
    assert titles(results.guides) == ["Retrouver un mot de passe oublié"]


def test_singular_finds_plural_and_plural_finds_singular(content):
    assert titles(public_search(query="atelier").ateliers) == ["Ateliers visio en famille"]
    assert titles(public_search(query="declarations").guides) == ["Déclarer ses impôts en ligne"]


def test_results_are_grouped_and_drafts_are_never_found(content):
    GuidePageFactory(
        title="Faire une visio avec ses petits-enfants",
        summary="Un appel vidéo, pas à pas.",
        illustrated=False,
    )
    results = public_search(query="visio")
    assert titles(results.guides) == ["Faire une visio avec ses petits-enfants"]
    assert titles(results.ateliers) == ["Ateliers visio en famille"]
    assert results.total == 2
    assert public_search(query="brouillon").total == 0


def test_facilitator_notes_are_not_searchable(content):
    # The factory's notes say « prévoir deux téléphones de prêt chargés ».
    assert public_search(query="NOTE-ANIMATEUR").total == 0
    assert public_search(query="téléphones prêt chargés").total == 0


def test_search_page_groups_results_under_headings(client, content):
    html = client.get("/recherche/", {"q": "visio impots"}).content.decode()
    assert "Aucun résultat" in html  # AND: no page has both words
    html = client.get("/recherche/", {"q": "impots"}).content.decode()
    assert html.count("<h1") == 1
    assert "1 résultat pour « impots »" in html
    assert re.search(r"<h2[^>]*>Fiches pratiques", html)
    assert 'href="' + content["impots"].url + '"' in html
    assert "Aucun résultat" not in html
    assert "NOTE-ANIMATEUR" not in client.get("/recherche/", {"q": "visio"}).content.decode()


def test_no_result_suggests_themes_linking_to_the_filtered_guide_index(client, content):
    response = client.get("/recherche/", {"q": "xylophone"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucun résultat pour « xylophone »" in html
    assert 'href="/fiches/?thematique=demarches-argent"' in html
    assert 'href="/fiches/?thematique=securite-numerique"' in html
    # Only themes that have guides are suggested.
    assert "thematique=e-mail" not in html
    # The suggestion leads to the right list.
    listing = client.get("/fiches/?thematique=demarches-argent").content.decode()
    assert "Déclarer ses impôts en ligne" in listing
    assert "Retrouver un mot de passe" not in listing


@pytest.mark.parametrize(
    "query",
    ['"', "*", "impots*", "(impots", "-impots", "AND", "NOT OR", "a:b", "'", "^", "NEAR(a b)"],
)
def test_search_syntax_in_a_query_is_harmless(client, content, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    if "impots" in query:
        assert "Déclarer ses impôts en ligne" in response.content.decode()


def test_empty_and_overlong_queries(client, content):
    html = client.get("/recherche/", {"q": "   "}).content.decode()
    assert "Aucun résultat" not in html
    assert "Parcourir les fiches par thématique" in html
    response = client.get("/recherche/", {"q": "impots " * 500})
    assert response.status_code == 200
    assert search_terms("a b c d e f g h i j k") == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert build_search_query("  !?* ") is None


# PostgreSQL only ------------------------------------------------------------------------


@on_postgresql
def test_french_unaccent_configuration_exists_and_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Les impôts des ateliers')")
        vector = cursor.fetchone()[0]
    assert "'impot'" in vector and "'ateli'" in vector


def test_stemming_finds_other_forms(content):
    # Both databases stem (PostgreSQL's french_unaccent, common.search_backend on SQLite).
    GuidePageFactory(
        title="Protéger ses comptes",
        summary="Choisir des mots de passe solides.",
        illustrated=False,
    )
    assert "Protéger ses comptes" in titles(public_search(query="proteger compte").guides)
    assert titles(public_search(query="declaration").guides) == ["Déclarer ses impôts en ligne"]
