"""Spreadsheet imports of the tracking app: people, sessions with attendance, venues.

Flow (admin views in `learners.admin_views.imports`):

1. upload: the file (CSV with `;` or `,`, UTF-8 with or without BOM or Windows-1252, or
   XLSX; at most MAX_IMPORT_BYTES and MAX_ROWS) is checked by size, extension AND content
   in one place (`common.spreadsheets.upload_check`, called by `import_job_create`; the
   form only reads the file) and kept in an `ImportJob` row, never on disk; it is read as
   a stream that stops at the first limit passed (`common.spreadsheets.RowReader`);
2. preview (`import_job_create` → `import_analyse`): every row is parsed and checked,
   nothing is written; the job stores the counts (created, updated, unchanged, skipped,
   per entity), a sample of the lines, the flagged people (matched with an existing
   record, possible duplicates elsewhere) and every error with its line and column;
3. confirm (`import_job_confirm`): the file is analysed again (the database may have
   changed) and written in ONE transaction: one bad row and nothing is written. Up to
   ASYNC_THRESHOLD rows this runs in the request; beyond, as the Celery task
   `learners.import_job_run` with progress and a result page ("Mes imports").
   `import_job_run` is idempotent: a finished job is never run again.

Natural keys make a second import of the same file change nothing: a person's network
id or external id (within a structure), a session's external id (or structure + start +
kind + title), a venue's external id (or structure + name + commune), INSEE codes.

Why not django-import-export's `import_data` here: even in its bulk mode it looks each
instance up with one query per row (plus one per foreign-key widget), which is what the
benchmark `bench/import_attendance.py` compares against. The resources of
`learners.resources` still define the columns; these services read, check and write in
bulk. Every write a person sees is audited (one AuditLog row per person created or
changed).
"""

from .common import ImportFileError, ImportPlan, Issue, PlanLine
from .jobs import (
    ASYNC_THRESHOLD,
    MAX_IMPORT_BYTES,
    MAX_ROWS,
    can_import,
    import_analyse,
    import_columns,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_fail,
    import_job_progress,
    import_job_run,
    import_jobs_expire,
    import_run,
)

__all__ = [
    "ASYNC_THRESHOLD",
    "MAX_IMPORT_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportPlan",
    "Issue",
    "PlanLine",
    "can_import",
    "import_analyse",
    "import_columns",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
    "import_job_fail",
    "import_job_progress",
    "import_job_run",
    "import_jobs_expire",
    "import_run",
]
