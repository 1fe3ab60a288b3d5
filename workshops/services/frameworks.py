"""Importing and exporting competence frameworks (competences with their domains, levels).

A file is read (CSV with `;`, `,` or tab, UTF-8 with or without BOM or Windows-1252; or
XLSX), checked row by row with French messages naming the line and the column, then
imported through the django-import-export resources of `workshops.resources`, all in one
transaction: with any error, or in a dry run (the preview), nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.results import Result, RowResult

from common.spreadsheets import (
    SpreadsheetError,
    csv_write,
    formula_unescape,
    spreadsheet_read,
    upload_check,
    xlsx_write,
)
from common.types import AnyUser
from workshops.models import Competence, Domain, Framework, Level
from workshops.resources import (
    CAN_DO,
    COMPETENCE_CODE,
    COMPETENCE_COLUMNS,
    COMPETENCE_NAME,
    DOMAIN_CODE,
    DOMAIN_NAME,
    FRAMEWORK,
    LEVEL_COLUMNS,
    LEVEL_GROUP,
    LEVEL_NAME,
    RANK,
    CompetenceResource,
    LevelResource,
)

FORMATS = ("csv", "xlsx")
KINDS = ("competences", "levels")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

REQUIRED = {
    "competences": (FRAMEWORK, DOMAIN_CODE, DOMAIN_NAME, COMPETENCE_CODE, COMPETENCE_NAME),
    "levels": (FRAMEWORK, RANK, LEVEL_NAME),
}
COLUMNS = {"competences": COMPETENCE_COLUMNS, "levels": LEVEL_COLUMNS}
MAX_LENGTHS = {
    DOMAIN_CODE: 20,
    DOMAIN_NAME: 200,
    COMPETENCE_CODE: 20,
    COMPETENCE_NAME: 200,
    CAN_DO: 300,
    LEVEL_NAME: 100,
    LEVEL_GROUP: 100,
}
# Model field → column, to name the column of a model validation error.
FIELD_COLUMNS = {
    "competences": {
        "framework": FRAMEWORK,
        "domain": DOMAIN_CODE,
        "code": COMPETENCE_CODE,
        "name": COMPETENCE_NAME,
        "can_do": CAN_DO,
    },
    "levels": {"framework": FRAMEWORK, "rank": RANK, "name": LEVEL_NAME, "group": LEVEL_GROUP},
}
PERMISSIONS = {
    "competences": (
        "workshops.add_competence",
        "workshops.change_competence",
        "workshops.add_domain",
        "workshops.change_domain",
    ),
    "levels": ("workshops.add_level", "workshops.change_level"),
}


# The shared reader's error: a French message saying why the file cannot be read.
FrameworkFileError = SpreadsheetError


@dataclass(frozen=True)
class ImportIssue:
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("ligne %(line)d") % {"line": self.line})
        if self.column:
            where.append(_("colonne « %(column)s »") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]} : {self.message}" if prefix else self.message


@dataclass(frozen=True)
class ImportedRow:
    line: int
    action: str  # "new", "update" or "skip"
    label: str
    changes: tuple[str, ...] = ()


@dataclass
class FrameworkImportResult:
    framework: Framework
    kind: str = ""
    dry_run: bool = True
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    domains_created: list[str] = field(default_factory=list)
    domains_renamed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count(RowResult.IMPORT_TYPE_NEW)

    @property
    def updated(self) -> int:
        return self._count(RowResult.IMPORT_TYPE_UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(RowResult.IMPORT_TYPE_SKIP)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.domains_created or self.domains_renamed)


# --- Reading ---------------------------------------------------------------------------


def _canonical_headers(header: list[str]) -> list[str]:
    known = {name.casefold(): name for name in (*COMPETENCE_COLUMNS, *LEVEL_COLUMNS)}
    return [known.get(h.casefold(), h) for h in header]


def _detect_kind(header: list[str]) -> str:
    if COMPETENCE_CODE in header:
        return "competences"
    if RANK in header:
        return "levels"
    raise FrameworkFileError(
        _(
            "Colonnes non reconnues. Un fichier de compétences a les colonnes %(competences)s ; "
            "un fichier de niveaux a les colonnes %(levels)s."
        )
        % {
            "competences": ", ".join(f"« {c} »" for c in COMPETENCE_COLUMNS),
            "levels": ", ".join(f"« {c} »" for c in LEVEL_COLUMNS),
        }
    )


def framework_upload_check(*, content: bytes, filename: str) -> str:
    """THE check of an uploaded framework file, run once when it arrives: its size, then its
    extension and content (`upload_check`). Returns "csv" or "xlsx"; a FrameworkFileError
    (French) otherwise. `framework_import` then trusts the file: the reader still refuses
    an unknown format and a hostile workbook itself."""
    return upload_check(content, filename=filename, max_bytes=MAX_IMPORT_BYTES)


def framework_file_read(*, content: bytes, format: str) -> tuple[str, list[str], list]:
    """(kind, header, [(line, {column: value})]) or FrameworkFileError. The content has
    passed `framework_upload_check`."""
    if format not in FORMATS:
        raise FrameworkFileError(
            _("Format non pris en charge : choisissez un fichier .csv ou .xlsx.")
        )
    table = spreadsheet_read(content, format, max_rows=MAX_ROWS)
    header, rows = table.header, table.rows
    header = _canonical_headers(header)
    kind = _detect_kind(header)
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise FrameworkFileError(
            ngettext(
                "Colonne manquante : %(columns)s.",
                "Colonnes manquantes : %(columns)s.",
                len(missing),
            )
            % {"columns": ", ".join(f"« {c} »" for c in missing)}
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise FrameworkFileError(
            ngettext(
                "Colonne en double : %(columns)s.",
                "Colonnes en double : %(columns)s.",
                len(duplicated),
            )
            % {"columns": ", ".join(f"« {c} »" for c in duplicated)}
        )
    records = []
    for line, values in rows:
        if len(values) > len(header) and any(values[len(header) :]):
            raise FrameworkFileError(
                _("Ligne %(line)d : plus de valeurs que de colonnes (séparateur mal choisi ?).")
                % {"line": line}
            )
        values = values + [""] * (len(header) - len(values))
        if format == "csv":  # our CSV export neutralises formula-looking text with a "'"
            values = [formula_unescape(v) for v in values]
        records.append((line, {h: v for h, v in zip(header, values, strict=False) if h}))
    columns = [c for c in COLUMNS[kind] if c in header]
    return kind, columns, records


# --- Checking --------------------------------------------------------------------------


def _check_rows(kind: str, framework: Framework, records: list) -> list[ImportIssue]:
    errors: list[ImportIssue] = []
    seen_keys: dict[str, int] = {}
    domain_names: dict[str, tuple[str, int]] = {}
    for line, row in records:
        errors.extend(_check_cells(kind, framework, line, row))
        if kind == "levels":
            key, key_column = row.get(RANK, ""), RANK
            if key and not (key.isdigit() and int(key) <= 1000):
                errors.append(
                    ImportIssue(_("le rang doit être un nombre entier (0, 1, 2…)."), line, RANK)
                )
        else:
            key, key_column = row.get(COMPETENCE_CODE, ""), COMPETENCE_CODE
            errors.extend(_check_domain(line, row, domain_names))
        if key:
            if key in seen_keys:
                errors.append(
                    ImportIssue(
                        _("« %(key)s » apparaît déjà ligne %(other)d.")
                        % {"key": key, "other": seen_keys[key]},
                        line,
                        key_column,
                    )
                )
            seen_keys.setdefault(key, line)
    return errors


def _check_cells(kind: str, framework: Framework, line: int, row: dict) -> list[ImportIssue]:
    """The row's framework (blank: the one imported into), required and too long cells."""
    errors = []
    if not row.get(FRAMEWORK):
        row[FRAMEWORK] = framework.slug
    elif row[FRAMEWORK] != framework.slug:
        errors.append(
            ImportIssue(
                _("cette ligne concerne le référentiel « %(other)s », pas « %(slug)s ».")
                % {"other": row[FRAMEWORK], "slug": framework.slug},
                line,
                FRAMEWORK,
            )
        )
    for column in REQUIRED[kind]:
        if not row.get(column):
            errors.append(ImportIssue(_("valeur manquante."), line, column))
    for column, max_length in MAX_LENGTHS.items():
        if len(row.get(column, "")) > max_length:
            errors.append(
                ImportIssue(
                    _("%(length)d caractères, %(max)d au maximum.")
                    % {"length": len(row[column]), "max": max_length},
                    line,
                    column,
                )
            )
    return errors


def _check_domain(line: int, row: dict, domain_names: dict) -> list[ImportIssue]:
    """A domain code keeps the name its first row gives it."""
    code, name = row.get(DOMAIN_CODE, ""), row.get(DOMAIN_NAME, "")
    if not (code and name):
        return []
    errors = []
    if code in domain_names and domain_names[code][0] != name:
        errors.append(
            ImportIssue(
                _("le domaine « %(code)s » s'appelle « %(name)s » ligne %(other)d.")
                % {"code": code, "name": domain_names[code][0], "other": domain_names[code][1]},
                line,
                DOMAIN_NAME,
            )
        )
    domain_names.setdefault(code, (name, line))
    return errors


# --- Importing -------------------------------------------------------------------------


def _snapshot(kind: str, framework: Framework) -> dict[str, dict[str, str]]:
    if kind == "levels":
        return {
            str(level.rank): {LEVEL_NAME: level.name, LEVEL_GROUP: level.group}
            for level in Level.objects.filter(framework=framework)
        }
    return {
        c.code: {DOMAIN_CODE: c.domain.code, COMPETENCE_NAME: c.name, CAN_DO: c.can_do}
        for c in Competence.objects.filter(framework=framework).select_related("domain")
    }


def _domains_upsert(framework: Framework, records: list, result: FrameworkImportResult) -> None:
    existing = {d.code: d for d in Domain.objects.filter(framework=framework)}
    next_order = max((d.sort_order for d in existing.values()), default=0) + 1
    for _line, row in records:
        code, name = row[DOMAIN_CODE], row[DOMAIN_NAME]
        domain = existing.get(code)
        if domain is None:
            domain = Domain(framework=framework, code=code, name=name, sort_order=next_order)
            domain.full_clean()
            domain.save()
            existing[code] = domain
            next_order += 1
            result.domains_created.append(str(domain))
        elif domain.name != name:
            domain.name = name
            domain.full_clean()
            domain.save(update_fields=["name"])
            result.domains_renamed.append(str(domain))


def _validation_issues(kind: str, line: int, error: ValidationError) -> list[ImportIssue]:
    issues = []
    for field_name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        column = FIELD_COLUMNS[kind].get(field_name)
        for message in messages:
            issues.append(ImportIssue(str(message), line, column))
    return issues


def framework_import(
    *,
    user: AnyUser,
    framework: Framework,
    content: bytes,
    format: str,
    dry_run: bool = True,
) -> FrameworkImportResult:
    """Imports a competences or levels file into `framework`; all or nothing.

    With `dry_run` (the preview) or any error, the transaction is rolled back: the result
    says what would be created or updated, and every error with its line and column.
    """
    result = FrameworkImportResult(framework=framework, dry_run=dry_run)
    try:
        kind, columns, records = framework_file_read(content=content, format=format)
    except FrameworkFileError as exc:
        result.errors.append(ImportIssue(exc.message))
        return result
    result.kind = kind
    if not user.has_perms(PERMISSIONS[kind]):
        raise PermissionDenied
    if not records:
        result.errors.append(ImportIssue(_("Le fichier ne contient aucune ligne à importer.")))
        return result
    result.errors.extend(_check_rows(kind, framework, records))
    if result.errors:
        return result

    lines = [line for line, _row in records]
    dataset = tablib.Dataset(headers=columns)
    for _line, row in records:
        dataset.append([row.get(column, "") for column in columns])

    with transaction.atomic():
        before = _snapshot(kind, framework)
        if kind == "competences":
            _domains_upsert(framework, records, result)
            resource = CompetenceResource()
        else:
            resource = LevelResource()
        outcome = resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        _outcome_rows(kind, outcome, records, before, result)
        _outcome_errors(kind, outcome, lines, result)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    return result


def _outcome_rows(
    kind: str,
    outcome: Result,
    records: list,
    before: dict[str, dict[str, str]],
    result: FrameworkImportResult,
) -> None:
    """What each imported row created or changed (column: old → new), for the preview."""
    shown = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
    for number, row_result in enumerate(outcome.rows, start=1):
        if row_result.import_type not in shown:
            continue
        line, record = records[number - 1]
        key = record[RANK] if kind == "levels" else record[COMPETENCE_CODE]
        changes = tuple(
            _("%(column)s : « %(old)s » → « %(new)s »")
            % {"column": column, "old": old, "new": record.get(column, old)}
            for column, old in before.get(key, {}).items()
            if column in record and record[column] != old
        )
        label = (
            f"{key}. {record[LEVEL_NAME]}"
            if kind == "levels"
            else f"{key} {record[COMPETENCE_NAME]}"
        )
        result.rows.append(ImportedRow(line, row_result.import_type, label, changes))


def _outcome_errors(
    kind: str, outcome: Result, lines: list[int], result: FrameworkImportResult
) -> None:
    for invalid in outcome.invalid_rows:
        result.errors.extend(_validation_issues(kind, lines[invalid.number - 1], invalid.error))
    for number, errors in outcome.row_errors():
        for error in errors:
            result.errors.append(
                ImportIssue(
                    _("ligne impossible à importer (%(error)s).") % {"error": error.error},
                    lines[number - 1],
                )
            )
    for error in outcome.base_errors:
        result.errors.append(ImportIssue(str(error.error)))


# --- Exporting -------------------------------------------------------------------------


def framework_export(*, framework: Framework, kind: str, format: str) -> tuple[bytes, str]:
    """(file content, content type). CSV: `;`-separated UTF-8 with BOM, as French
    spreadsheet software expects."""
    if kind == "levels":
        dataset = LevelResource().export(
            Level.objects.filter(framework=framework).select_related("framework").order_by("rank")
        )
    else:
        dataset = CompetenceResource().export(
            Competence.objects.filter(framework=framework)
            .select_related("framework", "domain")
            .order_by("domain__sort_order", "domain__code", "sort_order", "code")
        )
    rows = list(dataset)
    if format == "xlsx":
        title = _("Niveaux") if kind == "levels" else _("Compétences")
        return (
            xlsx_write(dataset.headers, rows, title=title),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return csv_write(dataset.headers, rows), "text/csv"
