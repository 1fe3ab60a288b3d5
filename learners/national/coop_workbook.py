"""Writing La Coop de la médiation numérique's workbooks (openpyxl, in memory): its activity
worksheet (the « Informations export » and « Filtres » blocks, then the table) and its
beneficiaries import template (instructions row, two header rows, data from row 4).

Every text cell that looks like a formula is written as text (quote prefix), never as a
formula: names and titles typed by people are data.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from common.spreadsheets import looks_like_formula

DATE_FORMAT = "dd/mm/yyyy"


def _neutral(cell: Any, value: Any) -> Any:
    """The cell as data: formula-looking text stays text, dates show the French way."""
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def _set(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    return _neutral(cell, value)


def _append(sheet: Any, values: Sequence[Any]) -> int:
    """Appends a line (as `sheet.append`, which counts empty lines) and returns its number."""
    sheet.append(list(values))
    row = sheet._current_row
    for column, value in enumerate(values, start=1):
        _neutral(sheet.cell(row=row, column=column), value)
    return row


def _title(sheet: Any, title: str) -> None:
    from openpyxl.styles import Font

    row = _append(sheet, [title])
    sheet.cell(row=row, column=1).font = Font(bold=True)


def _blank(sheet: Any) -> None:
    """An empty line, as the Coop's `addRow([])` (it takes a row number)."""
    sheet.append([])


def activity_workbook(
    *,
    metadata: Sequence[tuple[str, Any]],
    filters: Sequence[tuple[str, str]],
    headers: Sequence[str],
    lines: Iterable[Sequence[Any]],
) -> tuple[bytes, int]:
    """(XLSX bytes, number of lines) of the activity worksheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.table import Table, TableStyleInfo

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activités"
    _title(sheet, "Informations export")
    for label, value in metadata:
        _append(sheet, [label, value])
    _blank(sheet)
    _title(sheet, "Filtres")
    for label, value in filters:
        _append(sheet, [label, value])
    _blank(sheet)
    _blank(sheet)  # the separator row before the table
    header_row = _append(sheet, list(headers))
    count = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in lines:
        row = _append(sheet, list(line))
        for column in range(1, len(headers) + 1):
            sheet.cell(row=row, column=column).alignment = wrap
        count += 1
    last = header_row + max(count, 1)
    if not count:
        _append(sheet, [""])  # an Excel table needs one data row
    table = Table(displayName="Activités", ref=f"A{header_row}:{_column(len(headers))}{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)
    return _bytes(workbook), count


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def beneficiaries_workbook(
    *,
    instructions: str,
    headers: Sequence[Any],
    sub_headers: Sequence[Any],
    merged: Sequence[str],
    lines: Iterable[Sequence[Any]],
    genders: Sequence[str],
) -> tuple[bytes, int]:
    """(XLSX bytes, number of people) in the Coop's beneficiaries import template."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bénéficiaires"
    _set(sheet, 1, 1, instructions).alignment = Alignment(wrap_text=True, vertical="top")
    for column, value in enumerate(headers, start=1):
        _set(sheet, 2, column, value).font = Font(bold=True)
    for column, value in enumerate(sub_headers, start=1):
        _set(sheet, 3, column, value).font = Font(bold=True)
    for cells in merged:
        sheet.merge_cells(cells)
    count = 0
    for count, line in enumerate(lines, start=1):
        for column, value in enumerate(line, start=1):
            _set(sheet, 3 + count, column, value)
    gender = DataValidation(type="list", formula1='"' + ",".join(genders) + '"', allow_blank=True)
    gender.add(f"I4:I{max(4, 3 + count)}")
    sheet.add_data_validation(gender)
    workbook.create_sheet("Communes")
    return _bytes(workbook), count
