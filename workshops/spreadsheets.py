"""Reading and writing the spreadsheets people really have; shared by both apps.

Neutral on purpose (no model, no app logic): `workshops` uses it for competence frameworks
and `learners` (which may import `workshops`, never the reverse) for people, sessions and
venues.

Reading (`spreadsheet_read`):
- the format is checked from the file name's extension AND from the content (a PNG renamed
  `.csv`, a text file renamed `.xlsx` or a truncated workbook get a French message);
- CSV: separator `;`, `,` or tab, sniffed from the header line; UTF-8 with or without BOM,
  else Windows-1252 (what French spreadsheet software saves);
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

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")
CSV_DELIMITERS = (";", ",", "\t")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT_XLSX = "DD/MM/YYYY"
DATETIME_FORMAT_XLSX = "DD/MM/YYYY HH:MM"
TIME_FORMAT_XLSX = "HH:MM"

_ZIP_MAGIC = b"PK\x03\x04"
# Signatures of common binary files someone may pick by mistake (or forge).
_BINARY_MAGICS = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"\xd0\xcf\x11\xe0",  # old Office (.xls, .doc)
    b"\x1f\x8b",  # gzip
    b"MZ",  # Windows executable
    b"\x7fELF",
)


class SpreadsheetError(Exception):
    """The file cannot be read at all (format, encoding, structure): a French message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A read spreadsheet: the header (stripped) and the data rows with their line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


# --- Reading ---------------------------------------------------------------------------


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def format_sniff(content: bytes, *, filename: str) -> str:
    """ "csv" or "xlsx" when both the extension and the content say so, else a French
    SpreadsheetError (binary file renamed, workbook renamed `.csv`, and so on)."""
    extension = extension_of(filename)
    if extension not in FORMATS:
        raise SpreadsheetError(
            _("Choisissez un fichier .csv ou .xlsx (le fichier envoyé : %(name)s).")
            % {"name": filename}
        )
    is_zip = content.startswith(_ZIP_MAGIC)
    if extension == "xlsx":
        if not is_zip or not _is_workbook(content):
            raise SpreadsheetError(
                _("Ce fichier n'est pas un classeur Excel (.xlsx) lisible. Rien n'a été importé.")
            )
        return "xlsx"
    if is_zip:
        message = (
            _("Ce fichier est un classeur Excel : renommez-le en .xlsx ou enregistrez-le en CSV.")
            if _is_workbook(content)
            else _(
                "Ce fichier n'est pas un fichier CSV (texte) : choisissez un fichier .csv ou .xlsx."
            )
        )
        raise SpreadsheetError(message)
    if content.startswith(_BINARY_MAGICS) or b"\x00" in content[:4096]:
        raise SpreadsheetError(
            _("Ce fichier n'est pas un fichier CSV (texte) : choisissez un fichier .csv ou .xlsx.")
        )
    return "csv"


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def text_decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; SpreadsheetError otherwise."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _("Le fichier annonce de l'UTF-8 mais contient des caractères invalides.")
            ) from exc
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _(
                "L'encodage du fichier n'est pas reconnu : enregistrez-le en CSV UTF-8 "
                "ou en classeur Excel (.xlsx)."
            )
        ) from exc


def cell_text(value) -> str:
    """A read cell as stripped text (see the module docstring for numbers and dates)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time.min:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def csv_read(content: bytes) -> Table:
    text = text_decode(content)
    if "\x00" in text:
        raise SpreadsheetError(
            _("Ce fichier n'est pas un fichier CSV (texte) : choisissez un fichier .csv ou .xlsx.")
        )
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for values in reader:
            rows.append((reader.line_num, [v.strip() for v in values]))
    except csv.Error as exc:
        raise SpreadsheetError(
            _(
                "Le fichier CSV est mal formé vers la ligne %(line)d (un guillemet "
                "n'est peut-être pas fermé). Rien n'a été importé."
            )
            % {"line": reader.line_num}
        ) from exc
    return _split_header(rows)


def xlsx_read(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise SpreadsheetError(
            _("Ce fichier n'est pas un classeur Excel (.xlsx) lisible. Rien n'a été importé.")
        ) from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("Le fichier est vide."))
        sheet = workbook.worksheets[0]
        rows = [
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise SpreadsheetError(
            _("Ce fichier n'est pas un classeur Excel (.xlsx) lisible. Rien n'a été importé.")
        ) from exc
    finally:
        workbook.close()
    return _split_header(rows)


def _split_header(rows: list[tuple[int, list[str]]]) -> Table:
    rows = [(line, values) for line, values in rows if any(values)]
    if not rows:
        raise SpreadsheetError(_("Le fichier est vide."))
    _header_line, header = rows[0]
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    while header and not header[-1]:
        header.pop()
    return Table(header=header, rows=rows[1:])


def spreadsheet_read(content: bytes, format: str) -> Table:
    """The table of a CSV or XLSX file (see `format_sniff` to choose `format`)."""
    if format not in FORMATS:
        raise SpreadsheetError(
            _("Format non pris en charge : choisissez un fichier .csv ou .xlsx.")
        )
    return (csv_read if format == "csv" else xlsx_read)(content)


# --- Values ----------------------------------------------------------------------------

_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:hH](\d{2})?)?(?::(\d{2}))?$")


def date_parse(value: str) -> datetime.date:
    """`25/03/2024`, `25/03/24` (20xx, or 19xx when that would be in the future),
    `25-03-2024`, `25.03.2024`, `2024-03-25`; a trailing time is ignored."""
    text = value.strip().replace("T", " ")
    text = text.split(" ", 1)[0]
    match = _DATE_ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    match = _DATE_DMY.match(text)
    if not match:
        raise ValueError(value)
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        today = datetime.date.today()
        year += 2000
        if year > today.year:
            year -= 100
    return datetime.date(year, month, day)


def time_parse(value: str) -> datetime.time:
    """`14:30`, `14h30`, `14h`, `14:30:00`, `9`."""
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(value)
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    return datetime.time(hour, minute, second)


def datetime_split(value: str) -> tuple[str, str]:
    """ "25/03/2024 14:30" → ("25/03/2024", "14:30"); the time part may be empty."""
    text = value.strip().replace("T", " ")
    date_part, _sep, time_part = text.partition(" ")
    return date_part, time_part.strip()


def decimal_parse(value: str) -> float:
    """`46,67`, `46.67`, `-1,43`, `1 234,5` → float."""
    text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return float(text.replace(",", "."))


# --- Writing ---------------------------------------------------------------------------


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


def csv_value(value) -> str:
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
    """A workbook of one sheet with typed cells (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_TITLE_FORBIDDEN.sub("-", title)[:31] or "Feuille")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def text_cell(text: str):
        cell = WriteOnlyCell(sheet, value=text)
        if looks_like_formula(text):
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    header_cells = []
    for heading in headers:
        cell = text_cell(str(heading))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                value = float(value)
            if value is None or isinstance(value, bool | int | float):
                if isinstance(value, bool):
                    value = "oui" if value else "non"
                cells.append(value)
            elif isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=_local_naive(value))
                cell.number_format = DATETIME_FORMAT_XLSX
                cells.append(cell)
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT_XLSX
                cells.append(cell)
            elif isinstance(value, datetime.time):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = TIME_FORMAT_XLSX
                cells.append(cell)
            else:
                cells.append(text_cell(str(value)))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
