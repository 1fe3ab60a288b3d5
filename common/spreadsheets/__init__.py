"""Reading and writing the spreadsheets people really have; shared by both apps.

Neutral on purpose (no model, no app logic; the bottom layer, `.importlinter`):
`workshops` uses it for competence frameworks and `learners` for people, sessions and
venues. One module per concern, re-exported here so callers import from the package:
`uploads` (the one check of an upload), `xlsx_container` (zip and XML bombs), `reader`
(rows as streams within limits), `values` (dates, times, decimals), `writer` (CSV and
XLSX out), `errors` (the French messages).

Reading (`upload_check`, then `RowReader` or `spreadsheet_read`):
- one check of every upload (`upload_check`): size, then the format from the file name's
  extension AND from the content (a PNG renamed `.csv`, a text file renamed `.xlsx`, a
  truncated workbook, a zip or XML bomb get a French message; see `xlsx_container`);
- files are read as streams within limits (see `reader`): any damaged or hostile file ends
  in one SpreadsheetError with a plain French message, never another exception;
- CSV: separator `;`, `,` or tab, sniffed from the header line; UTF-8 with or without BOM,
  UTF-16 with a BOM, else Windows-1252 (what French spreadsheet software saves);
- XLSX: the first sheet, cached values (never formulas); numbers that are whole become
  "1950", dates become ISO text ("2024-03-25", "2024-03-25 14:30"), times "14:30";
- every cell comes back as stripped text; empty lines are dropped; the line number of each
  row is kept so errors can name it.

Writing (`csv_write`, `xlsx_write`):
- CSV for French spreadsheet software: `;`, UTF-8 with BOM, dates `25/03/2024`, decimal
  comma, booleans "oui"/"non";
- XLSX with typed cells: numbers are numbers, dates are dates (shown `DD/MM/YYYY`);
- text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
  carriage return; OWASP "CSV injection") is neutralised: in CSV it is prefixed with `'`
  (`formula_unescape` removes it again on import, so export → import round-trips), in XLSX
  the cell is stored as text with Excel's "quote prefix" style, value unchanged.
  (django-import-export 4.4's `IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT` only deletes a
  leading `=`, turns every cell into text and ignores `+`, `-`, `@`: not used.)

Values (`date_parse`, `time_parse`, `decimal_parse`): `25/03/2024`, `25/03/24`,
`25-03-2024`, `25.03.2024`, `2024-03-25` (and with a time); `14:30`, `14h30`, `14h`;
`46,67` or `46.67`. They raise `ValueError` (the caller words the message).
"""

from common.spreadsheets.errors import (
    XLSX_ERRORS,
    SpreadsheetError,
    damaged_xlsx_message,
    not_csv_message,
    too_many_rows_message,
)
from common.spreadsheets.reader import (
    BLANK_ROWS_MAX,
    CSV_DELIMITERS,
    DEFAULT_MAX_ROWS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    RowReader,
    Table,
    cell_text,
    csv_encoding,
    spreadsheet_read,
)
from common.spreadsheets.uploads import (
    FORMATS,
    content_check,
    extension_of,
    format_sniff,
    upload_check,
    upload_read,
)
from common.spreadsheets.values import date_parse, datetime_split, decimal_parse, time_parse
from common.spreadsheets.writer import (
    CSV_CONTENT_TYPE,
    FORMULA_PREFIXES,
    XLSX_CONTENT_TYPE,
    csv_value,
    csv_write,
    formula_escape,
    formula_unescape,
    looks_like_formula,
    xlsx_write,
)
from common.spreadsheets.xlsx_container import (
    XLSX_EMPTY_ROWS_MAX,
    XLSX_MAX_MEMBER_BYTES,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_OUTSIDE_BYTES,
    XLSX_MAX_PART_BYTES,
    XLSX_MAX_RATIO,
    XLSX_MAX_ROW_BYTES,
    XLSX_MAX_SHARED_STRINGS,
    XLSX_MAX_TOTAL_BYTES,
    xlsx_container_check,
)

__all__ = [
    "BLANK_ROWS_MAX",
    "CSV_CONTENT_TYPE",
    "CSV_DELIMITERS",
    "DEFAULT_MAX_ROWS",
    "FORMATS",
    "FORMULA_PREFIXES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_LINE_CHARS",
    "RowReader",
    "SpreadsheetError",
    "Table",
    "XLSX_CONTENT_TYPE",
    "XLSX_EMPTY_ROWS_MAX",
    "XLSX_ERRORS",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_MEMBER_BYTES",
    "XLSX_MAX_OUTSIDE_BYTES",
    "XLSX_MAX_PART_BYTES",
    "XLSX_MAX_RATIO",
    "XLSX_MAX_ROW_BYTES",
    "XLSX_MAX_SHARED_STRINGS",
    "XLSX_MAX_TOTAL_BYTES",
    "cell_text",
    "content_check",
    "csv_encoding",
    "csv_value",
    "csv_write",
    "damaged_xlsx_message",
    "date_parse",
    "datetime_split",
    "decimal_parse",
    "extension_of",
    "format_sniff",
    "formula_escape",
    "formula_unescape",
    "looks_like_formula",
    "not_csv_message",
    "spreadsheet_read",
    "time_parse",
    "too_many_rows_message",
    "upload_check",
    "upload_read",
    "xlsx_container_check",
    "xlsx_write",
]
