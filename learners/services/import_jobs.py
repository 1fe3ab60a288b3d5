"""Import jobs when people are erased (anonymised on request or by the retention job), and
when they are a day old.

The stored jobs are cleaned up here, below the import pipeline (`learners.imports`, which
calls the services): the privacy service erases people and runs the retention job, and
needs both clean-ups without importing the pipeline.

An `ImportJob` can mention a person in four places: the uploaded file (`content`, kept
until the job ends), the preview lines and the flagged lines (`preview`), the error
messages (`errors`, which may quote a matching record), and the file name counsellors
chose (`original_name`, e.g. « inscriptions Dupont.xlsx »). Each is handled:

- when the person is erased, `import_jobs_scrub` looks through every job still holding
  any of these (a day's worth at most, see `import_jobs_expire`) for the person's names,
  e-mail, phone or external id, and for each job that mentions them: a job waiting for
  confirmation or queued is cancelled with its file and preview erased (confirming it
  later would write the person back), a finished job loses its preview, the errors that
  mention the person, and its file name, replaced by a neutral « import-<id>.<format> »;
- independently of any erasure, `import_jobs_expire` (at each upload and in the nightly
  retention run) erases files, previews and errors and neutralises the file names of
  every job older than a day, so nothing of an import outlives that day in any case.

Matching is deliberately broad (a file row with the person's first and last names, or
their e-mail, phone or external id; a file name with their last name): erasing too much of
an import's preview costs a counsellor one more upload, too little keeps a name the person
asked to have erased. A job already RUNNING keeps its file until it ends (its transaction
is under way); its name and preview are scrubbed like the others.

Uploaded spreadsheets are kept in the database (never in MEDIA_ROOT), so there is no
file on disk to delete; Django writes large uploads to a temporary file that it deletes
at the end of the request.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat, Left
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import SpreadsheetError, spreadsheet_read
from common.text import fold
from learners.models import ImportJob, ImportStatus, Learner
from learners.models.imports import ACTIVE_STATUSES

logger = logging.getLogger(__name__)

# Past this age a job keeps only its counts (`import_jobs_expire`).
JOB_RETENTION = datetime.timedelta(hours=24)

PENDING_STATUSES = (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.QUEUED)
MIN_NAME_LENGTH = 3  # a shorter folded last name alone would match too many file names


def neutral_name_expression() -> Concat:
    """« import-<first 8 characters of the id>.<format> », computed in the database."""
    return Concat(
        Value("import-"),
        Left(Cast("id", output_field=CharField()), 8),
        Value("."),
        F("file_format"),
        output_field=CharField(),
    )


def neutral_name(job: ImportJob) -> str:
    return f"import-{job.pk.hex[:8]}.{job.file_format}"


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    exact: frozenset[str]  # folded e-mail, phone, external id

    @classmethod
    def of(cls, learner: Learner) -> _Person:
        exact = {fold(learner.email), fold(learner.phone), fold(learner.external_id)}
        exact.discard("")
        return cls(fold(learner.first_name), fold(learner.last_name), frozenset(exact))

    def in_cells(self, cells: set[str]) -> bool:
        if self.exact & cells:
            return True
        if not self.first or not self.last:
            return False
        if self.first in cells and self.last in cells:
            return True
        return bool({self.first + self.last, self.last + self.first} & cells)

    def in_text(self, text: str) -> bool:
        """`text` folded: both names, or an exact mark, anywhere in it."""
        if any(mark in text for mark in self.exact):
            return True
        return bool(self.first and self.last and self.first in text and self.last in text)

    def in_file_name(self, name: str) -> bool:
        folded = fold(name)
        if len(self.last) >= MIN_NAME_LENGTH and self.last in folded:
            return True
        return self.in_text(folded)


def _folded(value: object) -> str:
    return fold(json.dumps(value, ensure_ascii=False))


def _file_mentions(job: ImportJob, people: list[_Person]) -> bool:
    if not job.content:
        return False
    try:
        table = spreadsheet_read(bytes(job.content), job.file_format)
    except SpreadsheetError:
        return False  # unreadable: the job was refused, its content erased at the end
    for _line, row in table.rows:
        cells = {fold(cell) for cell in row}
        cells.discard("")
        if any(person.in_cells(cells) for person in people):
            return True
    return False


def _preview_mentions(preview: dict, people: list[_Person]) -> bool:
    lines = [*preview.get("lines", ()), *preview.get("flagged", ())]
    return any(person.in_text(_folded(line)) for line in lines for person in people)


def import_jobs_scrub(*, learners: Iterable) -> int:
    """Erase what import jobs hold about these people (call it before their names are
    erased); returns the number of jobs changed. See the module docstring."""
    people = [_Person.of(learner) for learner in learners]
    people = [p for p in people if p.exact or (p.first and p.last) or p.last]
    if not people:
        return 0
    candidates = ImportJob.objects.filter(
        ~Q(content=b"")
        | ~Q(preview={})
        | ~Q(errors=[])
        | Q(status__in=PENDING_STATUSES)
        | ~Q(original_name=neutral_name_expression())
    )
    changed = 0
    now = timezone.now()
    for job in candidates.iterator(chunk_size=20):
        errors_kept = [e for e in job.errors if not any(p.in_text(_folded(e)) for p in people)]
        named = any(p.in_file_name(job.original_name) for p in people)
        in_preview = _preview_mentions(job.preview or {}, people)
        in_file = job.status in PENDING_STATUSES and _file_mentions(job, people)
        if not (named or in_preview or in_file or len(errors_kept) != len(job.errors)):
            continue
        job.original_name = neutral_name(job)
        job.preview = {}
        job.errors = errors_kept
        fields = ["original_name", "preview", "errors", "updated_at"]
        if job.status in PENDING_STATUSES:
            job.status = ImportStatus.CANCELLED
            job.content = b""
            # A file-level issue, as `learners.imports.Issue.as_dict` stores one.
            message = _(
                "Import annulé : une personne de ce fichier a été effacée entre-temps "
                "(droit à l'effacement). Déposez à nouveau le fichier, sans elle."
            )
            job.errors = [{"line": None, "column": "", "message": message}]
            job.error_count = 1
            job.finished_at = now
            fields += ["status", "content", "error_count", "finished_at"]
        job.save(update_fields=fields)
        changed += 1
    if changed:
        logger.info("import jobs scrubbed after an erasure: %d", changed)
    return changed


def import_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Erase the files, sample lines and error messages of jobs older than JOB_RETENTION
    and replace their file names by a neutral « import-<id>.<format> » (a file name can
    name a person); previews nobody confirmed become CANCELLED. The counts stay. Returns
    the number of jobs touched. (Erasing a person scrubs younger jobs at once:
    `import_jobs_scrub`.)"""
    limit = (now or timezone.now()) - JOB_RETENTION
    old = ImportJob.objects.filter(created_at__lt=limit)
    neutral = neutral_name_expression()
    cancelled = old.filter(status__in=(ImportStatus.READY, ImportStatus.INVALID)).update(
        status=ImportStatus.CANCELLED,
        content=b"",
        preview={},
        errors=[],
        original_name=neutral,
        finished_at=timezone.now(),
    )
    erased = (
        old.exclude(status__in=ACTIVE_STATUSES)
        .filter(~Q(content=b"") | ~Q(preview={}) | ~Q(errors=[]) | ~Q(original_name=neutral))
        .update(content=b"", preview={}, errors=[], original_name=neutral)
    )
    return cancelled + erased
