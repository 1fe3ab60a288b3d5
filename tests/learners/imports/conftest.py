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
