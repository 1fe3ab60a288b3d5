"""The checks of an .xlsx container before openpyxl opens it: damaged workbooks, zip bombs
and XML bombs are refused at once, within bounded memory and time (see the limits below)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from common.spreadsheets.errors import (
    XLSX_ERRORS,
    SpreadsheetError,
    bomb_message,
    damaged_xlsx_message,
    thousands,
)

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
SCAN_CHUNK = 1024 * 1024
_NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".docx", ".jar", ".gz", ".7z", ".rar")
_SHEET_MARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]|</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


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
                    raise SpreadsheetError(bomb_message())
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
            raise SpreadsheetError(bomb_message())
        if size > XLSX_RATIO_MIN_BYTES and size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise SpreadsheetError(bomb_message())


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with archive.open(name) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            yield chunk


def _dtd_check(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A DTD can only come before the root element: the first 64 KB are enough."""
    with archive.open(member) as stream:
        head = stream.read(64 * 1024)
    if _DTD.search(head):
        raise SpreadsheetError(damaged_xlsx_message())


def _part_size_check(archive: zipfile.ZipFile, name: str) -> None:
    if archive.getinfo(name).file_size > XLSX_MAX_PART_BYTES:
        raise SpreadsheetError(bomb_message())


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
        raise SpreadsheetError(bomb_message())


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
                raise SpreadsheetError(bomb_message())
            if match.group().startswith(b"</"):
                row_start, ended = None, position
                continue
            row_start = position
            count += 1
            if max_elements is not None and count > max_elements:
                assert max_rows is not None  # max_elements is set from it
                raise SpreadsheetError(
                    _(
                        "Le classeur a plus de %(max)s lignes (en comptant les lignes vides "
                        "mises en forme) : découpez-le en plusieurs fichiers de %(max)s lignes "
                        "au plus, puis importez-les l'un après l'autre. Rien n'a été importé."
                    )
                    % {"max": thousands(max_rows)}
                )
        offset += len(chunk)
        outside = (offset if before is None else before) + (
            offset - ended if ended is not None else 0
        )
        if outside > XLSX_MAX_OUTSIDE_BYTES:
            raise SpreadsheetError(bomb_message())
        if row_start is not None and offset - row_start > XLSX_MAX_ROW_BYTES + len(tail):
            raise SpreadsheetError(bomb_message())
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
            raise SpreadsheetError(bomb_message())
        tail = data[-4:]
