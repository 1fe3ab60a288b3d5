"""The SQLite half of `common.search_backend`: Wagtail's SQLite FTS5 backend, with the
title and body of each entry and the words of each query stemmed in French
(`common.french_stemming`). Imported only on SQLite: Wagtail's SQLite modules look up the
FTS table's model, which exists on SQLite only."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.db.models import Model
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
