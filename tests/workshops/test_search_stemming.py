"""French stemming in the site search: the same queries find the same guides on SQLite
(`common.search_backend`) and on PostgreSQL (`french_unaccent`).

Run on both: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pasapas_NAME pytest …` for
the second run. The expected titles below are the same for both databases.
"""

import importlib

import pytest
from django.core.cache import cache
from django.db import connection

from common.french_stemming import french_words
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory
from tests.queries import count_queries
from workshops.selectors import public_search

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite seulement")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL seulement (DATABASE_URL=postgres://…)"
)

DECLARE = "Déclarer ses revenus en ligne"
INSTALL = "Installer une application sur son téléphone"
PROTECT = "Protéger ses comptes des arnaques"
PASSWORD = "Retrouver un mot de passe oublié"
VISIO = "Appeler ses proches en visio"

# (query, guides found, ateliers found): accents or not, conjugated verbs, plurals.
QUERIES = [
    ("declarons", [DECLARE], []),
    ("nous déclarons nos revenus", [DECLARE], []),
    ("declaration", [DECLARE], []),
    ("DÉCLARATIONS", [DECLARE], []),
    ("installe", [INSTALL], []),
    ("installé", [INSTALL], []),
    ("installation applications", [INSTALL], []),
    ("protegez", [PROTECT], []),
    ("protégez-vous", [PROTECT], []),
    ("protection", [], []),  # « protection » stems to « protect », not « proteg »
    ("arnaque", [PROTECT], []),
    ("boutiques applications", [INSTALL], []),
    ("mots de passe oublies", [PASSWORD], []),
    ("visio en groupes", [], [VISIO]),
    ("appelons", [], [VISIO]),
    ("revenus visio", [], []),  # every word must be found
    ("de la", [], []),  # stop words only: nothing, as PostgreSQL does
]


@pytest.fixture
def content():
    cache.clear()
    GuidePageFactory(
        title=DECLARE,
        summary="Remplir sa déclaration de revenus sur le site des impôts, chaque printemps.",
        illustrated=False,
    )
    GuidePageFactory(
        title=INSTALL,
        summary="Trouver une application dans la boutique et l'installer, sans payer.",
        illustrated=False,
    )
    GuidePageFactory(
        title=PROTECT,
        summary="Reconnaître une arnaque et protéger ses mots de passe.",
        illustrated=False,
    )
    GuidePageFactory(
        title=PASSWORD,
        summary="Recevoir un lien pour choisir un nouveau mot de passe.",
        illustrated=False,
    )
    AtelierPageFactory(title=VISIO, summary="Appeler ses petits-enfants en vidéo, en groupe.")
    yield
    cache.clear()


@pytest.mark.parametrize(("query", "guides", "ateliers"), QUERIES)
def test_same_guides_found_on_both_databases(content, query, guides, ateliers):
    results = public_search(query=query)
    assert sorted(page.title for page in results.guides) == guides, query
    assert sorted(page.title for page in results.ateliers) == ateliers, query


def test_search_page_query_count_does_not_depend_on_stemming(client, content):
    # One query per group of results: a conjugated word (« -ons », searched with its
    # infinitive) costs no more than a plain one.
    assert count_queries(client, "/recherche/?q=declarons") == count_queries(
        client, "/recherche/?q=declaration"
    )


def test_french_words():
    assert french_words("Nous déclarons nos impôts à l'écran") == [
        "declaron",
        "impot",
        "a",
        "ecran",
    ]
    assert french_words("Protégez PROTEGEZ protéger") == ["proteg"] * 3
    assert french_words("__ ** « »") == []


@on_postgresql
def test_stems_are_postgresql_ones():
    """`french_words` gives the lexemes of PostgreSQL's `french_unaccent` configuration."""
    text = (
        "Nous déclarons nos impôts à l'écran ; installez l'application, protégez vos "
        "mots de passe oubliés et appelez vos petits enfants en visio depuis la médiathèque."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(to_tsvector('french_unaccent', %s))", [text])
        lexemes = set(cursor.fetchone()[0])
    assert set(french_words(text)) == lexemes


@on_sqlite
def test_migration_stems_the_entries_indexed_before_it(content):
    """Workshops migration 0006 stems, in place, entries written unstemmed by the
    previous backend: afterwards, they are found as newly indexed ones are."""
    from django.apps import apps

    from workshops.models import GuidePage

    entry_model = apps.get_model("wagtailsearch", "IndexEntry")
    guide = GuidePage.objects.get(title=DECLARE)
    entries = entry_model.objects.filter(object_id=str(guide.pk))
    entries.update(title=DECLARE, body=guide.summary)  # as the old backend wrote it
    assert public_search(query="declaration").guides == []
    migration = importlib.import_module("workshops.migrations.0006_licences")
    migration.sqlite_index_stem(apps, connection.schema_editor())
    assert [page.title for page in public_search(query="declaration").guides] == [DECLARE]
    assert entries.get().title == "declar revenus lign"
