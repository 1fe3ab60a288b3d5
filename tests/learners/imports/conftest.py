import csv
import io
from urllib.parse import urlparse

import pytest

from tests.factories.learners import CommuneFactory


def csv_bytes(rows, *, delimiter=";", encoding="cp1252", bom=False) -> bytes:
    """Rows written the way a spreadsheet saves them (default: French Excel, `;`, cp1252)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def roche(db):
    return CommuneFactory(insee_code="85191", name="La Roche-sur-Yon", postal_codes="85000")


@pytest.fixture
def sables(db):
    return CommuneFactory(insee_code="85194", name="Les Sables-d'Olonne", postal_codes="85100")


def assert_refused(response) -> None:
    """Wagtail's refusal: 403, or its redirect to the admin home with a "permission
    denied" message (what `require_admin_access` does with PermissionDenied)."""
    if response.status_code == 302:
        assert urlparse(response["Location"]).path == "/admin/"
    else:
        assert response.status_code == 403


def query_profile(captured) -> tuple[int, int]:
    """(reads, writes) of captured queries. Reads must not depend on the number of rows;
    writes are bulk statements, batched by the database's parameter limit (about 40 rows
    per INSERT on SQLite, BATCH rows on PostgreSQL)."""
    reads = writes = 0
    for query in captured.captured_queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(("SELECT", "WITH")):
            reads += 1
        elif sql.startswith(("INSERT", "UPDATE", "DELETE")):
            writes += 1
    return reads, writes


def assert_bulk(small: tuple[int, int], large: tuple[int, int], extra_rows: int) -> None:
    """Same reads for a small and a large file; writes grow by at most one statement per
    20 extra rows (bulk), never one per row."""
    assert large[0] == small[0], (small, large)
    assert large[1] - small[1] <= extra_rows // 20, (small, large)
