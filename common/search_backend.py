"""Wagtail's database search backend, with French stemming on SQLite.

On PostgreSQL the `french_unaccent` text search configuration (home migration 0003)
lower-cases each word, removes its accents, drops French stop words and stems it, on the
indexed text and on the query alike: « declarons » finds « déclarons », « installe » finds
« installer ». SQLite's FTS5 only folds case and accents, so without this module
« protegez » found nothing there. Here the same steps run in Python on SQLite
(`common.french_stemming`, with the pure-Python Snowball stemmer, the algorithm
PostgreSQL's `french_stem` uses): on the title and body stored in the index, and on the words of the
query, so both databases find the same pages.

`SearchBackend` is the factory named in `WAGTAILSEARCH_BACKENDS`: on PostgreSQL (or on a
SQLite without FTS5) it returns Wagtail's own backend unchanged. The autocomplete column
(prefix matching on titles, used by the admin choosers) is left as typed.

Index entries written before this backend (unstemmed) are stemmed in place by workshops
migration 0006, which gives what `update_index` would.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.db.models import Model
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import And, Or, Phrase, PlainText, SearchQuery
from modelsearch.utils import get_content_type_pk

from common.french_stemming import french_text, french_words

# A word no page holds, for a query of stop words only (FTS5 needs at least one word).
NO_WORD = "aucunmotindexe0"


class FrenchObjectIndexer(ObjectIndexer):
    """What Wagtail indexes, with the title and body stemmed (autocomplete as typed)."""

    @property
    def stemmed_title(self) -> str:
        return french_text(self.title)

    @property
    def stemmed_body(self) -> str:
        return french_text(self.body)


class FrenchSQLiteIndex(SQLiteIndex):
    def add_items(self, model: Any, objs: Iterable[Model]) -> None:
        """`SQLiteIndex.add_items` with `FrenchObjectIndexer`: one update per indexed
        object, one insert for the new ones."""
        if not model.get_search_fields():
            return
        indexers = [FrenchObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        data = {
            indexer.id: {
                "title": indexer.stemmed_title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.stemmed_body,
            }
            for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=get_content_type_pk(model))
        indexed = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**data[object_id])
        self.entries.bulk_create(
            IndexEntry(content_type_id=get_content_type_pk(model), object_id=object_id, **values)
            for object_id, values in data.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class FrenchSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    def build_search_query_content(self, query: SearchQuery, config: Any = None) -> Any:
        """The query's words stemmed. As in PostgreSQL, a part made of stop words only
        (« nous ») is left out of an AND or an OR (None here)."""
        if isinstance(query, PlainText):
            words = french_words(query.query_string)
            if not words:
                return None
            query = PlainText(" ".join(words), operator=query.operator, boost=query.boost)
        elif isinstance(query, Phrase):
            text = french_text(query.query_string)
            if not text:
                return None
            query = Phrase(text)
        elif isinstance(query, And | Or):
            parts = [self.build_search_query_content(p, config=config) for p in query.subqueries]
            parts = [part for part in parts if part is not None]
            if not parts:
                return None
            return reduce(operator.and_ if isinstance(query, And) else operator.or_, parts)
        return super().build_search_query_content(query, config=config)

    def build_search_query(self, query: SearchQuery, config: Any = None) -> Any:
        built = super().build_search_query(query, config=config)
        if built is None:
            # Stop words only: PostgreSQL finds nothing.
            return SearchQueryExpression(Lexeme(NO_WORD))
        return built


class FrenchSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    index_class = FrenchSQLiteIndex


def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:  # noqa: N802 - the name Wagtail looks up in a backend module
    """Wagtail's database backend for the current database, stemming French on SQLite."""
    backend = database_backend(params)
    if type(backend) is SQLiteSearchBackend:
        return FrenchSQLiteSearchBackend(params)
    return backend
