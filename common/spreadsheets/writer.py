"""Writing spreadsheets for French spreadsheet software, with formula-looking text
neutralised (OWASP "CSV injection"): see the package docstring."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    # openpyxl ships no types: these names say what is passed (Any to mypy).
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT_XLSX = "DD/MM/YYYY"
DATETIME_FORMAT_XLSX = "DD/MM/YYYY HH:MM"
TIME_FORMAT_XLSX = "HH:MM"


def looks_like_formula(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_PREFIXES)


def formula_escape(text: str) -> str:
    """Prefix formula-looking text with `'` (CSV)."""
    return "'" + text if looks_like_formula(text) else text


def formula_unescape(text: str) -> str:
    """Undo `formula_escape` on import: `'=x` → `=x` (other text is unchanged)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return _local_naive(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return formula_escape(str(value))


def csv_write(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """`;`-separated UTF-8 with BOM, as French spreadsheet software expects."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([formula_escape(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def xlsx_write(headers: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """A workbook of one sheet with typed cells (see the package docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_TITLE_FORBIDDEN.sub("-", title)[:31] or "Feuille")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for heading in headers:
        cell = _text_cell(sheet, str(heading))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_typed_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> Cell:
    """Text as a cell; formula-looking text stays text (Excel's "quote prefix" style)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    if looks_like_formula(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# Dates and times are shown the French way; datetime before date (it is a subclass).
_TEMPORAL_FORMATS = (
    (datetime.datetime, DATETIME_FORMAT_XLSX),
    (datetime.date, DATE_FORMAT_XLSX),
    (datetime.time, TIME_FORMAT_XLSX),
)


def _typed_cell(sheet: WriteOnlyWorksheet, value: object) -> Cell | str | int | float | None:
    """A value as what a spreadsheet should hold: a number, a date, "oui"/"non" or text."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value is None or isinstance(value, int | float):
        return value
    for kind, number_format in _TEMPORAL_FORMATS:
        if isinstance(value, kind):
            if isinstance(value, datetime.datetime):
                value = _local_naive(value)
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            return cell
    return _text_cell(sheet, str(value))
