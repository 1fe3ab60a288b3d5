"""Reading La Coop's activity worksheet: its table starts after the « Informations export »
and « Filtres » blocks, on the line whose first cell is « Date » (a CSV made from the table
alone starts with it)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.spreadsheets import RowReader, SpreadsheetError
from common.text import fold
from learners.national import coop_import_columns as spec

from ..common import Columns, ImportFileError, ReadResult, records_map

COLUMNS = Columns(
    fields=spec.FIELDS, synonyms=spec.SYNONYMS, ignored=spec.IGNORED, required=spec.REQUIRED
)
# The Coop's blocks above the table are about 25 lines; beyond, this is not its worksheet.
HEADER_SEARCH_LINES = 60
_DATE, _ID = fold(spec.FIELDS["date"]), fold(spec.FIELDS["id"])


def _is_header(values: list[str]) -> bool:
    return bool(values) and fold(values[0]) == _DATE and _ID in {fold(v) for v in values}


def coop_records_read(
    *, content: bytes, format: str, columns: Columns, max_rows: int
) -> ReadResult:
    try:
        reader = RowReader(content, format, max_rows=max_rows)
    except SpreadsheetError as exc:
        raise ImportFileError(exc.message) from exc
    try:
        if not _is_header(reader.header):
            _seek_header(reader)
        return records_map(reader, columns)
    except SpreadsheetError as exc:
        raise ImportFileError(exc.message) from exc
    finally:
        reader.close()


def _seek_header(reader: RowReader) -> None:
    for line, values in reader.rows():
        if _is_header(values):
            reader.header_line = line
            reader.header = list(values)
            while reader.header and not reader.header[-1]:
                reader.header.pop()
            return
        if line > HEADER_SEARCH_LINES:
            break
    raise ImportFileError(
        _(
            "Tableau introuvable : le fichier doit être un export d'activités de La Coop "
            "de la médiation numérique, avec une ligne de titres commençant par « Date » "
            "et contenant « ID CRA »."
        )
    )
