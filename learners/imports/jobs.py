"""Import services: analyse (preview), run, and the ImportJob lifecycle.

Statuses: READY (preview shown, waiting for the user) or INVALID (errors: nothing can be
confirmed) → QUEUED → RUNNING → DONE or FAILED; READY → CANCELLED. The file and the sample
lines (personal data) are erased when a job ends, and from any job older than a day
(`learners.services.import_jobs.import_jobs_expire`, run at each upload).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.background import background_task
from common.spreadsheets import SpreadsheetError, upload_check
from learners.models import ImportJob, ImportKind, ImportStatus, Structure
from learners.models.imports import ACTIVE_STATUSES
from learners.roles import is_coordinator
from learners.scoping import scope_structure_id
from learners.services.import_jobs import import_jobs_expire

from . import attendance, coop, people, venues
from .common import Columns, ImportFileError, ImportPlan, Issue, StructureResolver, records_read

logger = logging.getLogger(__name__)

# Limits of an uploaded file (see the README, "Upload limits"): 30 MB holds a 200,000-line
# export; 100,000 data lines is what the benchmark imports in about half a minute and what
# the streaming reader keeps within ~200 MB (bench/hostile_uploads.py).
MAX_IMPORT_BYTES = 30 * 1024 * 1024
MAX_ROWS = 100_000
ASYNC_THRESHOLD = 5000  # rows: larger files are imported by a Celery job
PROGRESS_KEY = "learners:import-job:{}:progress"


class _Kind:
    def __init__(self, columns: Columns, planner, apply, conflicts=None, reader=records_read):
        self.columns = columns
        self.planner = planner
        self.apply = apply
        self.conflicts = conflicts
        self.reader = reader


KINDS = {
    ImportKind.PEOPLE: _Kind(
        people.COLUMNS, people.plan_people, people.apply_people, people.external_conflicts
    ),
    ImportKind.ATTENDANCE: _Kind(
        attendance.COLUMNS,
        attendance.plan_attendance,
        attendance.apply_attendance,
        reader=attendance.attendance_records_read,
    ),
    ImportKind.VENUES: _Kind(
        venues.COLUMNS, venues.plan_venues, venues.apply_venues, venues.external_conflicts
    ),
    ImportKind.COOP_ACTIVITY: _Kind(
        coop.COLUMNS, coop.plan_coop, coop.apply_coop, reader=coop.coop_records_read
    ),
}
# Kinds whose planner reports its progress (long files).
WITH_PROGRESS = (ImportKind.ATTENDANCE, ImportKind.COOP_ACTIVITY)


def can_import(user, kind: str) -> bool:
    """Coordinators import everything (for any structure); counsellors people, sessions
    with attendance and venues for their own structure; nobody else anything."""
    return kind in KINDS and scope_structure_id(user) is not None


def import_columns(kind: str) -> list[str]:
    """The French headers an import of `kind` understands (as our exports write them)."""
    return list(KINDS[kind].columns.fields.values())


def import_analyse(
    *,
    user,
    kind: str,
    content: bytes,
    format: str,
    structure: Structure | None = None,
    progress=None,
):
    """(plan, ops): what the import would do. Reads only."""
    if not can_import(user, kind):
        raise PermissionDenied(_("Vous ne pouvez pas importer ce fichier."))
    definition = KINDS[kind]
    try:
        read = definition.reader(
            content=content, format=format, columns=definition.columns, max_rows=MAX_ROWS
        )
    except ImportFileError as exc:
        plan = ImportPlan(kind, {}, 0)
        plan.error(None, "", exc.message)
        return plan, None
    plan = ImportPlan(
        kind,
        read.headers,
        len(read.records),
        labels=definition.columns.fields,
        records=read.records,
    )
    plan.notices.extend(read.notices)
    plan.formulas_flag(read.records)
    scope = scope_structure_id(user)
    if scope is not True:
        structure = None  # a counsellor always imports for their own structure
    resolver = StructureResolver(scope=scope, default=structure)
    kwargs = {"progress": progress} if kind in WITH_PROGRESS else {}
    ops = definition.planner(
        user=user, records=read.records, plan=plan, scope=scope, structures=resolver, **kwargs
    )
    if definition.conflicts is not None:
        definition.conflicts(ops, plan)
    plan.errors.sort(key=lambda issue: issue.line or 0)  # stable: columns keep their order
    if plan.ok and progress is not None:
        progress(plan.total_rows)
    return plan, ops


def import_run(
    *,
    user,
    kind: str,
    content: bytes,
    format: str,
    structure: Structure | None = None,
    dry_run: bool = True,
    progress=None,
) -> ImportPlan:
    """Analyse, then (unless `dry_run` or any error) write everything in one transaction."""
    plan, ops = import_analyse(
        user=user, kind=kind, content=content, format=format, structure=structure, progress=progress
    )
    if dry_run or not plan.ok:
        return plan
    with transaction.atomic():
        plan.result = KINDS[kind].apply(user=user, ops=ops, progress=progress)
    return plan


def _store_plan(job: ImportJob, plan: ImportPlan) -> None:
    job.total_rows = plan.total_rows
    job.summary = plan.summary()
    job.preview = plan.preview()
    job.errors = [issue.as_dict() for issue in plan.errors]
    job.error_count = plan.error_count


def import_job_create(
    *, user, kind: str, filename: str, content: bytes, structure: Structure | None = None
) -> ImportJob:
    """Keep the uploaded file and analyse it (the preview). A file that cannot be read at
    all raises ValidationError (French) and creates nothing."""
    if not can_import(user, kind):
        raise PermissionDenied(_("Vous ne pouvez pas importer ce fichier."))
    try:
        file_format = upload_check(
            content, filename=filename, max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_ROWS
        )
    except SpreadsheetError as exc:
        raise ValidationError(exc.message) from exc
    if not is_coordinator(user):
        structure = None
    import_jobs_expire()
    job = ImportJob(
        kind=kind,
        created_by=user,
        structure=structure,
        original_name=filename[-255:],
        file_format=file_format,
        content=content,
    )
    plan, _ops = import_analyse(
        user=user, kind=kind, content=content, format=file_format, structure=structure
    )
    _store_plan(job, plan)
    if not plan.ok:
        job.status = ImportStatus.INVALID
        job.content = b""
    elif not plan.has_changes:
        # Nothing to write (e.g. the same file imported again): done, nothing to confirm.
        job.status = ImportStatus.DONE
        job.content = b""
        job.finished_at = timezone.now()
    else:
        job.status = ImportStatus.READY
    job.save()
    return job


def import_job_confirm(*, user, job: ImportJob) -> ImportJob:
    """The user confirms the preview: run now, or queue the Celery job for large files."""
    if job.created_by_id != user.pk:
        raise PermissionDenied(_("Seule la personne qui a déposé le fichier peut confirmer."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.QUEUED, processed_rows=0
    )
    if not claimed:
        raise ValidationError(_("Cet import n'attend plus de confirmation."))
    if job.total_rows > ASYNC_THRESHOLD:
        background_task("learners.import_job_run").delay_on_commit(str(job.pk))
    else:
        try:
            import_job_run(job_id=job.pk)
        except Exception:  # noqa: BLE001 - the job records the failure, the page shows it
            logger.exception("Import job %s failed", job.pk)
            import_job_fail(
                job_id=job.pk,
                message=_("L'import a échoué sans rien enregistrer : réessayez plus tard."),
            )
    job.refresh_from_db()
    return job


def import_job_cancel(*, user, job: ImportJob) -> ImportJob:
    if job.created_by_id != user.pk and not is_coordinator(user):
        raise PermissionDenied(_("Vous ne pouvez pas annuler cet import."))
    ImportJob.objects.filter(
        pk=job.pk, status__in=(ImportStatus.READY, ImportStatus.INVALID)
    ).update(status=ImportStatus.CANCELLED, content=b"", preview={}, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _progress_writer(job: ImportJob):
    """Reports `processed` rows: in the cache (visible at once to every process, even
    from inside the import's transaction) and in the row when no transaction is open."""
    key = PROGRESS_KEY.format(job.pk)

    def report(processed: int) -> None:
        processed = max(0, min(int(processed), job.total_rows))
        cache.set(key, processed, 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)

    return report


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far (from the cache while the job runs)."""
    if job.status == ImportStatus.DONE:
        return job.total_rows
    if job.status in ACTIVE_STATUSES:
        cached = cache.get(PROGRESS_KEY.format(job.pk))
        if cached is not None:
            return max(job.processed_rows, int(cached))
    return job.processed_rows


def import_job_fail(*, job_id, message: str) -> None:
    """Mark a job failed (nothing was written) unless it already ended."""
    ImportJob.objects.filter(pk=job_id, status__in=(*ACTIVE_STATUSES, ImportStatus.READY)).update(
        status=ImportStatus.FAILED,
        content=b"",
        preview={},
        errors=[Issue(None, "", message).as_dict()],
        error_count=1,
        finished_at=timezone.now(),
    )


def import_job_run(*, job_id) -> ImportJob | None:
    """Run a confirmed job; idempotent: a job that is not queued or running is left as it
    is (running it again after it finished does nothing). Transient database errors
    (OperationalError, InterfaceError) propagate so the Celery task retries; the job then
    stays RUNNING with nothing written, and the retry starts over."""
    claimed = ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    job = ImportJob.objects.select_related("created_by", "structure").filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    user = job.created_by
    if user is None or not can_import(user, job.kind):
        import_job_fail(
            job_id=job.pk,
            message=_("La personne qui a déposé le fichier n'a plus accès au suivi."),
        )
        job.refresh_from_db()
        return job
    progress = _progress_writer(job)
    plan, ops = import_analyse(
        user=user,
        kind=job.kind,
        content=bytes(job.content),
        format=job.file_format,
        structure=job.structure,
        progress=progress,
    )
    if not plan.ok:
        _store_plan(job, plan)
        job.status = ImportStatus.FAILED
        job.content = b""
        job.preview = {}
        job.finished_at = timezone.now()
        job.save()
        return job
    return _job_write(job=job, user=user, plan=plan, ops=ops, progress=progress)


def _job_write(*, job: ImportJob, user, plan: ImportPlan, ops, progress) -> ImportJob:
    """Write an analysed job in one transaction, under a lock on its row (a job cancelled
    or finished meanwhile is left as it is)."""
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != ImportStatus.RUNNING:
                return locked
            result = KINDS[job.kind].apply(user=user, ops=ops, progress=progress)
            _job_done(locked, plan=plan, result=result)
    except IntegrityError:
        logger.warning("Import job %s: data changed during the import", job.pk, exc_info=True)
        import_job_fail(
            job_id=job.pk,
            message=_(
                "Des données ont changé pendant l'import (une fiche créée en même temps ?) : "
                "rien n'a été importé. Déposez à nouveau le fichier."
            ),
        )
        job.refresh_from_db()
        return job
    cache.delete(PROGRESS_KEY.format(job.pk))
    return locked


def _job_done(locked: ImportJob, *, plan: ImportPlan, result: dict) -> None:
    summary = plan.summary()
    summary["result"] = result
    locked.summary = summary
    locked.status = ImportStatus.DONE
    locked.processed_rows = plan.total_rows
    locked.total_rows = plan.total_rows
    locked.content = b""
    locked.preview = {"flagged": plan.preview()["flagged"]}
    locked.errors = []
    locked.error_count = 0
    locked.finished_at = timezone.now()
    locked.save()
