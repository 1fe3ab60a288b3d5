"""Counting the queries of a page, for the query-bound tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    """Queries of a GET of `url` after a first one (warm-up: renditions, memos)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
