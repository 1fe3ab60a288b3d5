"""Reading spreadsheets as streams of rows within limits: CSV (separator and encoding
sniffed) and XLSX (the first sheet, cached values), every cell as stripped text."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.spreadsheets.errors import (
    XLSX_ERRORS,
    SpreadsheetError,
    damaged_xlsx_message,
    thousands,
    too_many_rows_message,
)
from common.spreadsheets.uploads import FORMATS, content_check
from common.spreadsheets.xlsx_container import SCAN_CHUNK

CSV_DELIMITERS = (";", ",", "\t")

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


@dataclass
class Table:
    """A read spreadsheet: the header (stripped) and the data rows with their line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


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
                % {"max": thousands(BLANK_ROWS_MAX)}
            )

    def rows(self) -> Iterator[tuple[int, list[str]]]:
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
                    % {"max": thousands(MAX_CELLS)}
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
        for start in range(0, len(content), SCAN_CHUNK):
            decoder.decode(view[start : start + SCAN_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_lines(stream: io.TextIOWrapper, first: list[str]) -> Iterator[str]:
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


def _csv_rows(content: bytes) -> Generator[tuple[int, list[str]], None, None]:
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


def cell_text(value: object) -> str:
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


def _xlsx_rows(content: bytes, *, max_rows: int) -> Generator[tuple[int, list[str]], None, None]:
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
