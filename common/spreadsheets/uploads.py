"""The check of every uploaded spreadsheet, in one place: its size, then its format from
the file name's extension AND from its content (a PNG renamed `.csv`, a text file renamed
`.xlsx`, a truncated workbook, a zip or XML bomb get a French message)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from common.spreadsheets.errors import SpreadsheetError, damaged_xlsx_message, not_csv_message
from common.spreadsheets.xlsx_container import xlsx_container_check

FORMATS = ("csv", "xlsx")

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


def upload_read(upload: UploadedFile, *, max_bytes: int) -> bytes:
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
