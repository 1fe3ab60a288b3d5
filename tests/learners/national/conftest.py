import io
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.learners.exports.conftest import network  # noqa: F401  (the two-structure data)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def activity_table(content: bytes) -> tuple[list, list[dict]]:
    """(header, rows as dicts) of the Coop activity worksheet: the table after the
    « Informations export » and « Filtres » blocks."""
    sheet = workbook(content)["Activités"]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Date")
    header = list(rows[start])
    return header, [dict(zip(header, row, strict=True)) for row in rows[start + 1 :]]
