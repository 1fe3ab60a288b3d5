"""What an unreadable spreadsheet raises: one error with a plain French message, the
messages several checks share, and the exceptions a damaged workbook can cause."""

from __future__ import annotations

import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _


class SpreadsheetError(Exception):
    """The file cannot be read at all (format, encoding, structure): a French message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def thousands(number: int) -> str:
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
    ) % {"max": thousands(max_rows)}


def bomb_message() -> str:
    return _(
        "Ce classeur Excel est anormal : une fois décompressé, il serait bien trop "
        "volumineux pour un tableau. Enregistrez-le de nouveau depuis votre tableur (ou en "
        "CSV), puis réessayez."
    )
