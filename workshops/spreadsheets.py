"""Reading and writing the spreadsheets people really have; shared by both apps.

Neutral on purpose (no model, no app logic): `workshops` uses it for competence frameworks
and `learners` (which may import `workshops`, never the reverse) for people, sessions and
venues.

Reading (`upload_check`, then `RowReader` or `spreadsheet_read`):
- one check of every upload (`upload_check`): size, then the format from the file name's
  extension AND from the content (a PNG renamed `.csv`, a text file renamed `.xlsx`, a
  truncated workbook, a zip or XML bomb get a French message; see "XLSX container");
- files are read as streams within limits (see "Rows"): any damaged or hostile file ends
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

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
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


def _thousands(number: int) -> str:
    """200000 → "200 000" (French digit grouping, narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


def damaged_xlsx_message() -> str:
    return _(
        "Le fichier est endommagé ou n'est pas un vrai classeur Excel (.xlsx). "
        "Enregistrez-le de nouveau depuis votre tableur, puis réessayez."
    )


def not_csv_message() -> str:
    return _("Ce fichier n'est pas un fichier CSV (texte) : choisissez un fichier .csv ou .xlsx.")


def too_many_rows_message(max_rows: int) -> str:
    return _(
        "Le fichier a plus de %(max)s lignes : découpez-le en plusieurs fichiers de "
        "%(max)s lignes au plus, puis importez-les l'un après l'autre. Rien n'a été importé."
    ) % {"max": _thousands(max_rows)}


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def upload_check(
    content: bytes, *, filename: str, max_bytes: int, max_rows: int | None = None
) -> str:
    """THE check of an uploaded spreadsheet, shared by every import (forms only read the
    file, at most `max_bytes + 1` bytes of it): its size, then its extension AND its content
    (`format_sniff`). Returns "csv" or "xlsx"; a French SpreadsheetError otherwise."""
    if len(content) > max_bytes:
        raise SpreadsheetError(
            _(
                "Le fichier est trop lourd (%(max)d Mo au maximum) : découpez-le en "
                "plusieurs fichiers, puis importez-les l'un après l'autre."
            )
            % {"max": max_bytes // (1024 * 1024)}
        )
    return format_sniff(content, filename=filename, max_rows=max_rows)


def upload_read(upload, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, never more than `max_bytes + 1` of them (a larger
    file is refused by `upload_check` without being read whole into memory)."""
    upload.seek(0)
    return upload.read(max_bytes + 1)


def format_sniff(content: bytes, *, filename: str, max_rows: int | None = None) -> str:
    """ "csv" or "xlsx" when both the extension and the content say so, else a French
    SpreadsheetError (binary file renamed, workbook renamed `.csv`, damaged or hostile
    workbook, and so on)."""
    extension = extension_of(filename)
    if extension not in FORMATS:
        raise SpreadsheetError(
            _("Choisissez un fichier .csv ou .xlsx (le fichier envoyé : %(name)s).")
            % {"name": filename}
        )
    content_check(content, extension, max_rows=max_rows)
    return extension


def content_check(content: bytes, format: str, *, max_rows: int | None = None) -> None:
    """The content is what `format` says: a sound workbook (`xlsx_container_check`) or
    text; a French SpreadsheetError otherwise."""
    is_zip = content.startswith(_ZIP_MAGIC)
    if format == "xlsx":
        if not is_zip:
            raise SpreadsheetError(damaged_xlsx_message())
        xlsx_container_check(content, max_rows=max_rows)
        return
    if is_zip:
        message = (
            _("Ce fichier est un classeur Excel : renommez-le en .xlsx ou enregistrez-le en CSV.")
            if _is_workbook(content)
            else not_csv_message()
        )
        raise SpreadsheetError(message)
    if content.startswith(_BINARY_MAGICS):
        raise SpreadsheetError(not_csv_message())


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


# --- XLSX container ---------------------------------------------------------------------
#
# An .xlsx file is a zip of XML files. Before openpyxl opens it, the zip's central
# directory is checked (cheap: nothing is decompressed), then the first worksheet and the
# shared strings are scanned as streams (1 MB at a time, never kept):
# - members: at most XLSX_MAX_MEMBERS, no duplicate, absolute or `..` name, no nested
#   archive; every member at most XLSX_MAX_MEMBER_BYTES once decompressed, all together
#   at most XLSX_MAX_TOTAL_BYTES, and no member above 1 MB compressed more than
#   XLSX_MAX_RATIO times (real sheets compress 5 to 30 times; a zip bomb 1,000 times).
#   zipfile never inflates a member beyond its declared size, so a lying directory only
#   ends in a CRC error, which is caught.
# - XML: no `<!DOCTYPE` or `<!ENTITY` in any member read (an .xlsx never has one; that is
#   how "billion laughs" and quadratic blow-up files work). defusedxml (which openpyxl uses
#   whenever it is installed) refuses them as well, as a second line.
# - parts: found as openpyxl finds them (`_package_parts`); every XML part that openpyxl
#   parses whole (workbook, relationships, styles...) is at most XLSX_MAX_PART_BYTES.
# - the worksheet: openpyxl's read-only mode parses one `<row>` element at a time, but
#   builds that element whole, and keeps what lies outside the rows; so no row may take
#   more than XLSX_MAX_ROW_BYTES of XML and the rest of the sheet at most
#   XLSX_MAX_OUTSIDE_BYTES. The shared strings (read whole by openpyxl) are at most
#   XLSX_MAX_SHARED_STRINGS entries. Given a row limit, a sheet of more `<row>` elements
#   than that limit plus XLSX_EMPTY_ROWS_MAX is refused by this scan, in about a second,
#   instead of after parsing the limit's worth of rows (openpyxl reads a few thousand rows
#   a second).
# The limits are far above what a spreadsheet of MAX_ROWS lines × MAX_COLUMNS needs, and
# bound both the memory (about 100 MB at worst) and the time (a few seconds) of a read.

XLSX_MAX_MEMBERS = 1000
XLSX_MAX_MEMBER_BYTES = 256 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 512 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_MIN_BYTES = 1024 * 1024
XLSX_MAX_ROW_BYTES = 256 * 1024
XLSX_MAX_OUTSIDE_BYTES = 4 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 1_000_000
XLSX_EMPTY_ROWS_MAX = 10_000
XLSX_MAX_PART_BYTES = 16 * 1024 * 1024
_SCAN_CHUNK = 1024 * 1024
_NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".docx", ".jar", ".gz", ".7z", ".rar")
_SHEET_MARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]|</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _bomb_message() -> str:
    return _(
        "Ce classeur Excel est anormal : une fois décompressé, il serait bien trop "
        "volumineux pour un tableau. Enregistrez-le de nouveau depuis votre tableur (ou en "
        "CSV), puis réessayez."
    )


def xlsx_container_check(content: bytes, *, max_rows: int | None = None) -> None:
    """Refuse at once a damaged workbook, a zip bomb, an XML bomb, or (with `max_rows`) a
    sheet of more than `max_rows` lines plus XLSX_EMPTY_ROWS_MAX empty ones (see above)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _members_check(members)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _dtd_check(archive, member)
            sheets, strings = _package_parts(archive)
            if not sheets:
                raise SpreadsheetError(_("Le fichier est vide."))
            streamed = {*sheets, strings}
            for member in members:
                if (
                    member.filename.endswith((".xml", ".rels"))
                    and member.filename not in streamed
                    and member.file_size > XLSX_MAX_PART_BYTES
                ):
                    raise SpreadsheetError(_bomb_message())
            _worksheet_scan(archive, sheets[0], max_rows=max_rows)
            for other in sheets[1:]:
                _worksheet_head_check(archive, other)
            if strings is not None:
                _shared_strings_scan(archive, strings)
    except SpreadsheetError:
        raise
    except XLSX_ERRORS as exc:
        raise SpreadsheetError(damaged_xlsx_message()) from exc


def _members_check(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > XLSX_MAX_MEMBERS:
        raise SpreadsheetError(damaged_xlsx_message())
    seen: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if (
            name in seen
            or name.startswith(("/", "\\"))
            or ".." in parts
            or len(name) > 255
            or name.lower().endswith(_NESTED_ARCHIVES)
        ):
            raise SpreadsheetError(damaged_xlsx_message())
        seen.add(name)
        size = member.file_size
        total += size
        if size > XLSX_MAX_MEMBER_BYTES or total > XLSX_MAX_TOTAL_BYTES:
            raise SpreadsheetError(_bomb_message())
        if size > XLSX_RATIO_MIN_BYTES and size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise SpreadsheetError(_bomb_message())


def _chunks(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            yield chunk


def _dtd_check(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A DTD can only come before the root element: the first 64 KB are enough."""
    with archive.open(member) as stream:
        head = stream.read(64 * 1024)
    if _DTD.search(head):
        raise SpreadsheetError(damaged_xlsx_message())


def _part_size_check(archive: zipfile.ZipFile, name: str) -> None:
    if archive.getinfo(name).file_size > XLSX_MAX_PART_BYTES:
        raise SpreadsheetError(_bomb_message())


def _package_parts(archive: zipfile.ZipFile) -> tuple[list[str], str | None]:
    """(worksheet part names in the workbook's order, shared strings part name or None),
    found exactly as openpyxl finds them ([Content_Types].xml, then the workbook part and
    its relationships), so that the scans below look at what openpyxl will read. The parts
    read here are parsed whole (through defusedxml): their size is checked first."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    names = set(archive.namelist())
    _part_size_check(archive, ARC_CONTENT_TYPES)
    package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    workbook = _find_workbook_part(package).PartName[1:]
    _part_size_check(archive, workbook)
    rels = get_rels_path(workbook)
    if rels in names:
        _part_size_check(archive, rels)
    parser = WorkbookParser(archive, workbook)
    parser.parse()
    sheets = [
        rel.target
        for _sheet, rel in parser.find_sheets()
        if rel.target in names and "chartsheet" not in (rel.Type or "")
    ]
    strings = package.find(SHARED_STRINGS)
    strings_name = strings.PartName[1:] if strings is not None else None
    return sheets, strings_name if strings_name in names else None


def _worksheet_head_check(archive: zipfile.ZipFile, name: str) -> None:
    """openpyxl reads the start of every sheet (up to `<sheetData>`) when it opens a
    workbook: that start is at most XLSX_MAX_OUTSIDE_BYTES."""
    with archive.open(name) as stream:
        head = stream.read(XLSX_MAX_OUTSIDE_BYTES + 1)
    if len(head) > XLSX_MAX_OUTSIDE_BYTES and not _SHEET_DATA.search(head):
        raise SpreadsheetError(_bomb_message())


def _worksheet_scan(archive: zipfile.ZipFile, name: str, *, max_rows: int | None) -> None:
    """Rows, bytes per `<row>` and outside the rows, as a stream (see the limits above)."""
    max_elements = None if max_rows is None else max_rows + 1 + XLSX_EMPTY_ROWS_MAX
    count = 0
    offset = 0  # bytes of the member before `chunk`
    tail = b""
    last = -1  # offset of the latest mark (row start or end of the sheet's data)
    row_start = None  # offset of the row being read
    before = None  # bytes before the first mark
    ended = None  # offset of `</sheetData>`
    for chunk in _chunks(archive, name):
        data = tail + chunk
        base = offset - len(tail)
        for match in _SHEET_MARK.finditer(data):
            position = base + match.start()
            if position <= last:
                continue  # already seen in the previous chunk's tail
            last = position
            if before is None:
                before = position
            if row_start is not None and position - row_start > XLSX_MAX_ROW_BYTES:
                raise SpreadsheetError(_bomb_message())
            if match.group().startswith(b"</"):
                row_start, ended = None, position
                continue
            row_start = position
            count += 1
            if max_elements is not None and count > max_elements:
                raise SpreadsheetError(
                    _(
                        "Le classeur a plus de %(max)s lignes (en comptant les lignes vides "
                        "mises en forme) : découpez-le en plusieurs fichiers de %(max)s lignes "
                        "au plus, puis importez-les l'un après l'autre. Rien n'a été importé."
                    )
                    % {"max": _thousands(max_rows)}
                )
        offset += len(chunk)
        outside = (offset if before is None else before) + (
            offset - ended if ended is not None else 0
        )
        if outside > XLSX_MAX_OUTSIDE_BYTES:
            raise SpreadsheetError(_bomb_message())
        if row_start is not None and offset - row_start > XLSX_MAX_ROW_BYTES + len(tail):
            raise SpreadsheetError(_bomb_message())
        tail = data[-32:]


def _shared_strings_scan(archive: zipfile.ZipFile, name: str) -> None:
    count = 0
    tail = b""
    for chunk in _chunks(archive, name):
        data = tail + chunk
        # A match spanning the boundary is counted once: the tail is shorter than a match
        # and only matches ending in the new chunk are counted.
        count += sum(1 for m in _SHARED_STRING.finditer(data) if m.end() > len(tail))
        if count > XLSX_MAX_SHARED_STRINGS:
            raise SpreadsheetError(_bomb_message())
        tail = data[-4:]


# --- Rows -------------------------------------------------------------------------------
#
# Files are read as streams of rows and never decoded or parsed whole: a CSV line by line
# through a text wrapper over the bytes, an XLSX row by row in openpyxl's read-only mode.
# Reading stops as soon as a limit is passed, with a French message:
# - more than `max_rows` data lines (the caller's limit);
# - more than BLANK_ROWS_MAX empty lines (a sheet "formatted" down to line 1,048,576);
# - more than MAX_COLUMNS columns, or (CSV) a line of more than MAX_LINE_CHARS characters;
# - more than MAX_CELLS filled cells (what bounds the memory of the rows kept: about
#   60 bytes a cell, so at most ~120 MB; repeated values, such as a session's columns on
#   each of its attendance lines, are kept once).

DEFAULT_MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_LINE_CHARS = 1_000_000
MAX_CELLS = 2_000_000
BLANK_ROWS_MAX = 100_000
_SHARED_VALUES_MAX = 200_000  # distinct cell values kept once (the memo's own size)

# What openpyxl, zipfile and the XML parser raise on a damaged workbook.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    KeyError,
    IndexError,
    AttributeError,
    ValueError,  # includes UnicodeDecodeError
    TypeError,
    OSError,
    EOFError,
    NotImplementedError,
    OverflowError,
    RecursionError,
    ParseError,
    DefusedXmlException,
)


class RowReader:
    """The header and an iterator of (line number, stripped values) of a CSV or XLSX file.

    `rows` is a generator: the limits are checked, and SpreadsheetError raised, while the
    caller iterates. Empty lines are skipped; trailing empty cells are dropped."""

    def __init__(self, content: bytes, format: str, *, max_rows: int):
        if format not in FORMATS:
            raise SpreadsheetError(
                _("Format non pris en charge : choisissez un fichier .csv ou .xlsx.")
            )
        self.max_rows = max_rows
        raw = _csv_rows(content) if format == "csv" else _xlsx_rows(content, max_rows=max_rows)
        self._raw = raw
        self.header: list[str] = []
        self.header_line = 0
        self._blank = 0
        for line, values in raw:
            if values:
                self.header_line = line
                self.header = [h.strip().lstrip("\ufeff").strip() for h in values]
                break
            self._blank_count()
        else:
            raise SpreadsheetError(_("Le fichier est vide."))
        while self.header and not self.header[-1]:
            self.header.pop()

    def _blank_count(self) -> None:
        self._blank += 1
        if self._blank > BLANK_ROWS_MAX:
            raise SpreadsheetError(
                _(
                    "Le fichier contient plus de %(max)s lignes vides : supprimez-les dans "
                    "votre tableur, puis réessayez."
                )
                % {"max": _thousands(BLANK_ROWS_MAX)}
            )

    def rows(self):
        count = cells = 0
        memo: dict[str, str] = {}
        for line, values in self._raw:
            if not values:
                self._blank_count()
                continue
            count += 1
            if count > self.max_rows:
                raise SpreadsheetError(too_many_rows_message(self.max_rows))
            cells += len(values)
            if cells > MAX_CELLS:
                raise SpreadsheetError(
                    _(
                        "Le fichier contient trop de cellules remplies (plus de %(max)s) : "
                        "gardez seulement les colonnes à importer, ou découpez-le en "
                        "plusieurs fichiers."
                    )
                    % {"max": _thousands(MAX_CELLS)}
                )
            if len(memo) < _SHARED_VALUES_MAX:
                values = [memo.setdefault(v, v) for v in values]
            yield line, values

    def close(self) -> None:
        self._raw.close()


def _trimmed(values: list[str], line: int) -> list[str]:
    """Values without trailing empty cells ([] for an empty line); too wide, or holding a
    NUL character (a damaged file; PostgreSQL cannot store it in text): refused."""
    if any("\x00" in value for value in values):
        raise SpreadsheetError(
            _(
                "La ligne %(line)d contient un caractère invalide (caractère nul) : le "
                "fichier est sans doute endommagé. Enregistrez-le de nouveau depuis votre "
                "tableur, puis réessayez."
            )
            % {"line": line}
        )
    end = len(values)
    while end and not values[end - 1]:
        end -= 1
    if end > MAX_COLUMNS:
        raise SpreadsheetError(
            _(
                "La ligne %(line)d a plus de %(max)d colonnes : gardez seulement les colonnes "
                "à importer, puis réessayez."
            )
            % {"line": line, "max": MAX_COLUMNS}
        )
    return values[:end] if end < len(values) else values


def csv_encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252; checked as a
    stream (1 MB at a time). SpreadsheetError when none fits."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if content.find(b"\x00") != -1:
        raise SpreadsheetError(
            _(
                "Ce fichier n'est pas un fichier CSV lisible (il contient des caractères nuls ; "
                "peut-être de l'UTF-16 sans marque d'encodage) : enregistrez-le en « CSV "
                "UTF-8 » depuis votre tableur, puis réessayez."
            )
        )
    bom = content.startswith(b"\xef\xbb\xbf")
    if _decodes(content, "utf-8"):
        return "utf-8-sig" if bom else "utf-8"
    if bom:
        raise SpreadsheetError(
            _(
                "Le fichier annonce de l'UTF-8 mais contient des caractères invalides : "
                "enregistrez-le de nouveau en « CSV UTF-8 », puis réessayez."
            )
        )
    if _decodes(content, "cp1252"):
        return "cp1252"
    raise SpreadsheetError(
        _(
            "L'encodage du fichier n'est pas reconnu : enregistrez-le en CSV UTF-8 "
            "ou en classeur Excel (.xlsx)."
        )
    )


def _decodes(content: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(content), _SCAN_CHUNK):
            decoder.decode(view[start : start + _SCAN_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_decode(content: bytes) -> str:
    """The whole text of a small CSV file (see `csv_encoding`)."""
    encoding = csv_encoding(content)
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _("L'encodage du fichier n'est pas reconnu : enregistrez-le en CSV UTF-8.")
        ) from exc


def _csv_lines(stream, first: list[str]):
    """Physical lines; one longer than MAX_LINE_CHARS is refused (never read whole)."""
    number = 0
    while True:
        line = first.pop(0) if first else stream.readline(MAX_LINE_CHARS)
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise SpreadsheetError(_line_too_long(number))
        yield line


def _csv_rows(content: bytes):
    encoding = csv_encoding(content)
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    line_number = 0
    try:
        # The separator is the most frequent of `;`, `,` and tab in the first filled line.
        first: list[str] = []
        while line := stream.readline(MAX_LINE_CHARS):
            first.append(line)
            if line.strip():
                break
        first_line = first[-1] if first else ""
        delimiter = max(CSV_DELIMITERS, key=first_line.count)
        reader = csv.reader(_csv_lines(stream, first), delimiter=delimiter, strict=True)
        for values in reader:
            line_number = reader.line_num
            yield line_number, _trimmed([v.strip() for v in values], line_number)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(_line_too_long(line_number + 1)) from exc
        raise SpreadsheetError(
            _(
                "Le fichier CSV est mal formé vers la ligne %(line)d (un guillemet "
                "n'est peut-être pas fermé). Rien n'a été importé."
            )
            % {"line": line_number + 1}
        ) from exc
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _(
                "L'encodage du fichier n'est pas reconnu : enregistrez-le en CSV UTF-8 "
                "ou en classeur Excel (.xlsx)."
            )
        ) from exc
    finally:
        stream.detach()


def _line_too_long(line: int) -> str:
    return _(
        "La ligne %(line)d du fichier est beaucoup trop longue (une cellule immense, ou un "
        "guillemet jamais fermé) : vérifiez le fichier dans votre tableur, puis réessayez."
    ) % {"line": line}


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


def _xlsx_rows(content: bytes, *, max_rows: int):
    content_check(content, "xlsx", max_rows=max_rows)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise SpreadsheetError(damaged_xlsx_message()) from exc
    try:
        worksheets = workbook.worksheets
        if not worksheets:
            raise SpreadsheetError(_("Le fichier est vide."))
        sheet = worksheets[0]
        # openpyxl pads every row to `max_col` cells: MAX_COLUMNS + 1 (to see a row too
        # wide), whatever the sheet declares (a declared "A1:XFD1048576" would pad each
        # row to 16,384 cells; a declared width too small would cut data). Cells further
        # right are not read: no header can name them. The physical lines read are bounded
        # too (data lines + empty lines + the header).
        width = MAX_COLUMNS + 1
        last = max_rows + BLANK_ROWS_MAX + 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = sheet.iter_rows(max_col=width, max_row=last, values_only=True)
            for number, values in enumerate(rows, start=1):
                end = len(values)
                while end and values[end - 1] is None:
                    end -= 1
                texts = [cell_text(values[index]) for index in range(end)]
                yield number, _trimmed(texts, number)
    except XLSX_ERRORS as exc:
        raise SpreadsheetError(damaged_xlsx_message()) from exc
    finally:
        workbook.close()


def spreadsheet_read(content: bytes, format: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """The table of a CSV or XLSX file (see `format_sniff` to choose `format`), read as a
    stream within the limits of `RowReader`."""
    reader = RowReader(content, format, max_rows=max_rows)
    try:
        rows = list(reader.rows())
    finally:
        reader.close()
    return Table(header=reader.header, rows=rows)


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
