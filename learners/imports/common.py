"""What every import shares: reading the columns, the plan, errors, bulk look-ups.

A file becomes `Record`s (line number + {field key: text}) through the French headers of
the resources in `learners.resources` and a few synonyms (`Columns`). A planner (one per
kind) turns the records into an `ImportPlan`: what will be created, updated, left
unchanged or skipped, what is flagged, every error with its line and column. `apply`
writes a plan with bulk operations in the caller's transaction.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.spreadsheets import RowReader, SpreadsheetError, looks_like_formula
from common.text import fold
from learners.models import Structure

from .values import CellError

CHUNK = 2000  # ids per `__in` look-up: the number of queries does not grow per row
BATCH = 2000  # objects per bulk_create / bulk_update
PROGRESS_EVERY = 1000  # rows between two progress reports
SAMPLE_PER_ACTION = 100  # lines kept per (entity, action) for the preview
MAX_ERRORS_KEPT = 1000
MAX_VALUE_SHOWN = 60  # characters of a cell quoted in the preview (a huge cell is cut)
# "+33 6 12 34 56 78", "-5", "-": a sign before digits or nothing is a number, not a formula.
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s.,()/]*$")
_INTERNAL_KEY = re.compile(r"^[a-z0-9_]+$")  # a field key ("kind"), not a header

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
ACTIONS = (CREATE, UPDATE, UNCHANGED, SKIP)

ProgressCallback = Callable[[int], None]


def _noop(_processed: int) -> None:
    return None


@dataclass(frozen=True)
class Columns:
    """The columns of one import kind.

    `fields`: {field key: canonical French header} (the resource's column names);
    `synonyms`: {field key: other accepted headers}; `ignored`: headers read but not
    imported (read-only columns of our own exports); `required`: groups of field keys, at
    least one key of each group must be a column.
    """

    fields: dict[str, str]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    required: tuple[tuple[str, ...], ...] = ()

    def lookup(self) -> dict[str, str]:
        mapping = {}
        for key, header in self.fields.items():
            mapping[fold(header)] = key
        for key, names in self.synonyms.items():
            for name in names:
                mapping.setdefault(fold(name), key)
        for name in self.ignored:
            mapping.setdefault(fold(name), "")
        return mapping


@dataclass
class Record:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Issue:
    line: int | None
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("ligne %(line)d") % {"line": self.line})
        if self.column:
            where.append(_("colonne « %(column)s »") % {"column": self.column})
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]} : {self.message}" if prefix else self.message

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


def shown_value(text: str) -> str:
    """A cell as the preview quotes it: at most MAX_VALUE_SHOWN characters."""
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if len(text) <= MAX_VALUE_SHOWN:
        return text
    return text[: MAX_VALUE_SHOWN - 1] + "…"


def formula_suspect(text: str) -> bool:
    """A cell a spreadsheet would run as a formula (OWASP "CSV injection"): `=`, `@`, or a
    sign followed by more than a number (`+33 6…`, `-5` and a lone `-` are numbers)."""
    return looks_like_formula(text) and not _SIGNED_NUMBER.match(text)


@dataclass
class PlanLine:
    line: int
    entity: str
    action: str
    label: str
    changes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "entity": self.entity,
            "action": self.action,
            "label": self.label,
            "changes": self.changes,
            "flags": self.flags,
        }


class ReadResult:
    """The records of a file and the headers as they were written."""

    def __init__(
        self,
        records: list[Record],
        headers: dict[str, str],
        notices: list[str],
        unknown: list[str] | None = None,
    ):
        self.records = records
        self.headers = headers  # field key → the header as written in the file
        self.notices = notices
        self.unknown = unknown or []  # headers no column of this import reads

    @property
    def keys(self) -> set[str]:
        return set(self.headers)


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, missing columns): French message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def records_read(*, content: bytes, format: str, columns: Columns, max_rows: int) -> ReadResult:
    """Read (as a stream, within the reader's limits) and map the columns; ImportFileError
    when the file cannot be used at all."""
    try:
        reader = RowReader(content, format, max_rows=max_rows)
    except SpreadsheetError as exc:
        raise ImportFileError(exc.message) from exc
    try:
        return records_map(reader, columns)
    except SpreadsheetError as exc:
        raise ImportFileError(exc.message) from exc
    finally:
        reader.close()


def records_map(reader: RowReader, columns: Columns) -> ReadResult:
    positions, headers, unknown = _header_positions(reader, columns)
    records = _records_of(reader, positions)
    notices = []
    if unknown:
        notices.append(
            ngettext(
                "Colonne non reconnue, ignorée : %(columns)s.",
                "Colonnes non reconnues, ignorées : %(columns)s.",
                len(unknown),
            )
            % {"columns": ", ".join(f"« {c} »" for c in unknown)}
        )
    return ReadResult(records, headers, notices, unknown)


def _header_positions(reader: RowReader, columns: Columns):
    """([(cell index, key)], {key: header}, [unknown headers]); a duplicated or missing
    column stops the import."""
    lookup = columns.lookup()
    positions: list[tuple[int, str]] = []
    headers: dict[str, str] = {}
    unknown, duplicated = [], []
    for index, header in enumerate(reader.header):
        key = lookup.get(fold(header)) if header else ""
        if key is None:
            unknown.append(header)
        elif key and key in headers:
            duplicated.append(header)
        elif key:
            headers[key] = header
            positions.append((index, key))
    if duplicated:
        raise ImportFileError(
            ngettext(
                "Colonne en double : %(columns)s.",
                "Colonnes en double : %(columns)s.",
                len(duplicated),
            )
            % {"columns": ", ".join(f"« {c} »" for c in duplicated)}
        )
    missing = [group for group in columns.required if not any(k in headers for k in group)]
    if missing:
        names = [" ou ".join(f"« {columns.fields[k]} »" for k in group) for group in missing]
        raise ImportFileError(
            ngettext(
                "Colonne manquante : %(columns)s. La première ligne du fichier doit "
                "contenir les titres des colonnes.",
                "Colonnes manquantes : %(columns)s. La première ligne du fichier doit "
                "contenir les titres des colonnes.",
                len(missing),
            )
            % {"columns": ", ".join(names)}
        )
    return positions, headers, unknown


def _records_of(reader: RowReader, positions: list[tuple[int, str]]) -> list[Record]:
    records = []
    width = len(reader.header)
    for line, values in reader.rows():
        if len(values) > width:  # rows come without their trailing empty cells
            raise ImportFileError(
                _("Ligne %(line)d : plus de valeurs que de colonnes (séparateur mal choisi ?).")
                % {"line": line}
            )
        records.append(
            Record(
                line=line,
                values={
                    key: values[index] if index < len(values) else "" for index, key in positions
                },
            )
        )
    if not records:
        raise ImportFileError(_("Le fichier ne contient aucune ligne à importer."))
    return records


class ImportPlan:
    """What an import will do. Counts are complete; lines are a sample for the preview."""

    def __init__(
        self,
        kind: str,
        headers: dict[str, str],
        total_rows: int,
        *,
        labels: dict[str, str] | None = None,
        records: list[Record] | None = None,
    ):
        self.kind = kind
        self.headers = headers
        # French names of the columns the file lacks: an error about a missing column
        # ("indiquez le type de séance") names it as our exports do, never by its key.
        self.labels = labels or {}
        self.cells = {record.line: record.values for record in records or ()}
        self.total_rows = total_rows
        self.warnings: list[Issue] = []
        self.warning_count = 0
        self._error_lines: set[int | None] = set()
        self._warning_lines: set[int] = set()
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.lines: list[PlanLine] = []
        self.flagged: list[PlanLine] = []
        self.flag_count = 0
        self.errors: list[Issue] = []
        self.error_count = 0
        self.notices: list[str] = []
        self.result: dict = {}
        self._kept: Counter = Counter()

    # --- recording --------------------------------------------------------------------

    def column_name(self, key_or_column: str) -> str:
        """The column as the file writes it, else its French name; a key never shows."""
        name = self.headers.get(key_or_column) or self.labels.get(key_or_column)
        if name:
            return name
        return "" if _INTERNAL_KEY.match(key_or_column) else key_or_column

    def issue(self, line: int | None, key_or_column: str, message: str) -> Issue:
        value = self.cells.get(line, {}).get(key_or_column, "") if line is not None else ""
        return Issue(line, self.column_name(key_or_column), message, shown_value(value))

    def error(self, line: int | None, key_or_column: str, message: str) -> None:
        self.error_count += 1
        self._error_lines.add(line)
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(self.issue(line, key_or_column, message))

    def warning(self, line: int, key_or_column: str, message: str) -> None:
        """Something to check before confirming; it does not stop the import."""
        self.warning_count += 1
        self._warning_lines.add(line)
        if len(self.warnings) < MAX_ERRORS_KEPT:
            self.warnings.append(self.issue(line, key_or_column, message))

    def formulas_flag(self, records: list[Record]) -> None:
        """Warn about every cell a spreadsheet would run as a formula. The text is stored
        as typed: it is data here (pages escape it, every export neutralises it again,
        `common.spreadsheets.writer`), and changing it would damage "- CCAS" or our own
        exported "=x" read back; the counsellor sees each one before confirming."""
        for record in records:
            for key, text in record.values.items():
                if text and formula_suspect(text):
                    self.warning(
                        record.line,
                        key,
                        _(
                            "cette cellule commence par « %(sign)s » comme une formule de "
                            "tableur : elle sera enregistrée comme du texte, jamais calculée. "
                            "Vérifiez qu'il ne s'agit pas d'une formule collée par erreur."
                        )
                        % {"sign": text[0]},
                    )

    def cell_error(self, line: int, key: str, exc: CellError) -> None:
        self.error(line, key, exc.message)

    def wants(self, entity: str, action: str) -> bool:
        """Whether a line of this kind would still be kept as a preview sample."""
        return action != UNCHANGED and self._kept[(entity, action)] < SAMPLE_PER_ACTION

    def tally(self, entity: str, action: str) -> None:
        """Count a line without keeping it (no flag, not sampled)."""
        self.counts[entity][action] += 1

    def add(self, plan_line: PlanLine) -> None:
        self.counts[plan_line.entity][plan_line.action] += 1
        if plan_line.flags:
            self.flag_count += 1
            if len(self.flagged) < MAX_ERRORS_KEPT:
                self.flagged.append(plan_line)
        key = (plan_line.entity, plan_line.action)
        if plan_line.action in (CREATE, UPDATE, SKIP) and self._kept[key] < SAMPLE_PER_ACTION:
            self._kept[key] += 1
            self.lines.append(plan_line)

    # --- reading ----------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def count(self, entity: str, action: str) -> int:
        return self.counts[entity][action]

    @property
    def has_changes(self) -> bool:
        return any(c[CREATE] or c[UPDATE] for c in self.counts.values())

    def summary(self) -> dict:
        return {
            "entities": {
                entity: {action: counts[action] for action in ACTIONS}
                for entity, counts in self.counts.items()
            },
            "flagged": self.flag_count,
            "errors": self.error_count,
            "error_lines": len(self._error_lines),
            "warnings": self.warning_count,
            "warning_lines": len(self._warning_lines),
            "notices": list(self.notices),
            "rows": self.total_rows,
        }

    def preview(self) -> dict:
        self.lines.sort(key=lambda pl: (pl.line, pl.entity))
        return {
            "lines": [pl.as_dict() for pl in self.lines],
            "flagged": [pl.as_dict() for pl in self.flagged],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def resource_columns(resource_class, *, synonyms, required, extra=None, ignored=()) -> Columns:
    """The columns of a resource (its non read-only fields), plus `extra` fields."""
    resource = resource_class()
    order = [*resource.get_export_order(), *resource.fields]
    fields = {
        k: str(resource.fields[k].column_name)
        for k in dict.fromkeys(order)
        if k in resource.fields and not resource.fields[k].readonly
    }
    fields.update(extra or {})
    read_only = tuple(str(f.column_name) for f in resource.fields.values() if f.readonly)
    return Columns(
        fields=fields, synonyms=synonyms, ignored=read_only + tuple(ignored), required=required
    )


def chunked(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def fetch_in(queryset, field_name: str, values: Iterable) -> list:
    """`queryset.filter(<field>__in=values)` in chunks (a constant number of queries for
    any file up to CHUNK distinct values; one more per CHUNK beyond)."""
    values = list(dict.fromkeys(v for v in values if v not in (None, "")))
    found = []
    for chunk in chunked(values):
        found.extend(queryset.filter(**{f"{field_name}__in": chunk}))
    return found


def change_text(column: str, old, new) -> str:
    def show(value):
        if value in (None, ""):
            return "—"
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        return str(value)

    return _("%(column)s : « %(old)s » → « %(new)s »") % {
        "column": column,
        "old": show(old),
        "new": show(new),
    }


class StructureResolver:
    """Which structure a row belongs to: the "Structure" column (coordinators), else the
    default chosen at upload (coordinators) or the counsellor's own structure."""

    def __init__(self, *, scope, default: Structure | None):
        self.scope = scope  # True (coordinator) or a structure id (counsellor)
        self.by_name = {fold(s.name): s for s in Structure.objects.all()}
        self.by_id = {s.pk: s for s in self.by_name.values()}
        if scope is not True:
            default = self.by_id.get(scope)
        self.default = default

    def resolve(self, value: str) -> Structure:
        """The row's structure, or CellError (unknown name, or not the counsellor's)."""
        if value.strip():
            structure = self.by_name.get(fold(value))
            if structure is None:
                raise CellError(_("structure inconnue (écrivez son nom exact)."))
            if self.scope is not True and structure.pk != self.scope:
                raise CellError(_("vous ne pouvez importer que pour votre structure."))
            return structure
        if self.default is None:
            raise CellError(
                _("indiquez la structure (colonne « Structure » ou structure par défaut).")
            )
        return self.default
