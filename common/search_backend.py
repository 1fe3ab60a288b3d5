"""Wagtail's database search backend, with French stemming on SQLite.

On PostgreSQL the `french_unaccent` text search configuration (home migration 0003)
lower-cases each word, removes its accents, drops French stop words and stems it, on the
indexed text and on the query alike: « declarons » finds « déclarons », « installe » finds
« installer ». SQLite's FTS5 only folds case and accents, so without this module
« protegez » found nothing there. Here the same steps run in Python on SQLite
(`common.french_stemming`, with the pure-Python Snowball stemmer, the algorithm
PostgreSQL's `french_stem` uses): on the title and body stored in the index, and on the
words of the query (`common.sqlite_search`), so both databases find the same pages.

`SearchBackend` is the factory named in `WAGTAILSEARCH_BACKENDS`: on PostgreSQL (or on a
SQLite without FTS5) it returns Wagtail's own backend unchanged. The autocomplete column
(prefix matching on titles, used by the admin choosers) is left as typed.

Index entries written before this backend (unstemmed) are stemmed in place by workshops
migration 0006, which gives what `update_index` would.
"""

from __future__ import annotations

from typing import Any

from modelsearch.backends.base import BaseSearchBackend
from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:  # noqa: N802 - Wagtail's name
    """Wagtail's database backend for the current database, stemming French on SQLite.
    Wagtail's choice is kept (it checks FTS5); its SQLite module is not imported here, as
    it needs a model that exists on SQLite only."""
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        from common.sqlite_search import FrenchSQLiteSearchBackend

        return FrenchSQLiteSearchBackend(params)
    return backend
