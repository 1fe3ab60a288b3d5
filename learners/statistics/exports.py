"""CSV and XLSX exports of the published dashboard tables (the same cells as the page:
suppressed figures are the text "< 5", never the number).

- XLSX (openpyxl): one sheet per table, numbers as numbers (hours and medians with one
  decimal, rates as percentages), a heading naming the scope, period and filters;
- CSV: what a French spreadsheet opens directly: UTF-8 with a byte order mark, `;` between
  columns, decimal comma; the tables one after the other, each introduced by its title.

Text cells starting with `=`, `+`, `-`, `@` (or a tab or carriage return) are neutralised
the way the project's shared spreadsheet module does (`common.spreadsheets`): in CSV a
leading apostrophe, in XLSX a text cell with Excel's "quote prefix" (value unchanged), never
a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.spreadsheets import formula_escape, looks_like_formula

from .report import DECIMAL, HOURS, PERCENT, Report, Table

SHEET_TITLE_MAX = 31
_BOLD = Font(bold=True)


def neutralise(text) -> str:
    """A CSV text cell a spreadsheet cannot mistake for a formula."""
    return formula_escape(str(text))


def _table_matrix(table: Table) -> list[list]:
    """Header row then one row per table row: label, then each cell's value or text."""
    rows: list[list] = [[table.row_header, *(c.label for c in table.columns)]]
    for row in table.rows:
        rows.append([row.label, *(cell.export_value for cell in row.cells)])
    return rows


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else f"{value:.1f}").replace(".", ",")
    return neutralise(value)


def report_csv(report: Report, *, heading: Sequence[str]) -> bytes:
    """The report as one CSV file (UTF-8 with BOM, `;`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in heading:
        writer.writerow([neutralise(line)])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([neutralise(table.caption)])
        for values in _table_matrix(table):
            writer.writerow([_csv_value(v) for v in values])
        if table.note:
            writer.writerow([neutralise(table.note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(table: Table, used: set[str]) -> str:
    base = "".join(ch for ch in table.caption if ch not in "[]:*?/\\")[:SHEET_TITLE_MAX].strip()
    title, n = base, 2
    while title in used:
        suffix = f" ({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def _put(cell, value) -> None:
    if isinstance(value, str):
        cell.value = value
        if looks_like_formula(value):
            cell.data_type = TYPE_STRING
            cell.quotePrefix = True
    else:
        cell.value = value


def _format_value_cell(cell, value, kind: str) -> None:
    """Numbers as numbers in their kind's format (hours show their decimal: "0.0", never
    "0", which would display 2,5 h as 3); texts ("< 5", "—") right-aligned."""
    if not isinstance(value, (int, float)):
        cell.alignment = Alignment(horizontal="right")
    elif kind in (HOURS, DECIMAL):
        cell.number_format = "0.0"
    elif kind == PERCENT:
        cell.value = value / 100
        cell.number_format = "0%"
    else:
        cell.number_format = "0"


def _write_matrix(sheet, table: Table, *, header_row: int) -> int:
    """The header and the rows from `header_row` on; returns the first row after them."""
    row_index = header_row
    kinds_by_row = [[], *([cell.kind for cell in row.cells] for row in table.rows)]
    for values, kinds in zip(_table_matrix(table), kinds_by_row, strict=True):
        is_header = row_index == header_row
        for col_index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_index, column=col_index)
            _put(cell, value)
            if is_header:
                cell.font = _BOLD
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif col_index > 1:
                _format_value_cell(cell, value, kinds[col_index - 2])
        row_index += 1
    for row_offset, row in enumerate(table.rows, start=header_row + 1):
        if row.is_total:
            for col_index in range(1, len(table.columns) + 2):
                sheet.cell(row=row_offset, column=col_index).font = _BOLD
    return row_index


def _write_sheet(sheet, table: Table, *, heading: Sequence[str]) -> None:
    row_index = 1
    for line in heading:
        _put(sheet.cell(row=row_index, column=1), line)
        row_index += 1
    _put(sheet.cell(row=row_index, column=1), table.caption)
    sheet.cell(row=row_index, column=1).font = Font(bold=True, size=13)
    header_row = row_index + 2
    row_index = _write_matrix(sheet, table, header_row=header_row)
    if table.note:
        _put(sheet.cell(row=row_index + 1, column=1), table.note)
    sheet.column_dimensions["A"].width = 42
    for col_index in range(2, len(table.columns) + 2):
        sheet.column_dimensions[get_column_letter(col_index)].width = 16
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)


def report_xlsx(report: Report, *, heading: Sequence[str]) -> bytes:
    """The report as an XLSX workbook, one sheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in report.tables:
        _write_sheet(workbook.create_sheet(_sheet_title(table, used)), table, heading=heading)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
