"""Benchmark of the attendance import: ours (preview + confirm) against django-import-export's
default row-by-row import of the same file, side by side in the same run.

Target: our preview + confirm of a 100,000-row attendance file at least 5 times faster than
django-import-export's default import of that file.

One run, on 127.0.0.1 only:
1. drops and recreates the PostgreSQL database `pasapas_bench_import`, migrates it
   (production settings: DEBUG off, so Django keeps no query log);
2. creates one structure, its counsellor, a venue, `--people` people (5,000) and
   `--sessions` sessions (2,000), each with an external id, in bulk;
3. writes the attendance CSV as a counsellor would get it from our "Présences" export
   (`;`, UTF-8 with BOM, dates dd/mm/yyyy, the session's and the person's columns repeated
   on each row): every session with `rows / sessions` people (people × sessions), 100,000
   rows by default;
4. (a) ours: `import_job_create` (read, check, preview stored in the ImportJob) then
   `import_job_confirm` (over 5,000 rows it goes through the Celery task, run in-process
   here since no broker is configured: the same code a worker runs), all in ONE transaction;
   checks that exactly the file's rows were written;
5. empties the attendance table, then (b) django-import-export's default path: the same file
   read by tablib and imported by a plain `ModelResource` on `Attendance` (session and person
   through `ForeignKeyWidget(field="external_id")`, `import_id_fields` session + person, no
   bulk mode), `import_data(dry_run=False, use_transactions=True)`: one pass only (the admin
   would also run a dry-run pass first, so this favours the default path). When the first
   10,000-row slice shows the full file would take more than `--max-default-seconds`, the
   default path is timed on that slice only and extrapolated linearly (said in the output);
6. prints a table (seconds, rows/s, SQL queries, ratio) and writes
   bench/results/import_attendance.txt and .json.

With `--levels K` (K competence columns of the beginner framework, a level in each cell:
300,000 observations for 100,000 rows and K = 3), step 4 runs twice, without and with the
level columns, and the figures go to bench/results/import_attendance_levels.txt and .json
(CPU seconds of this process too: the PostgreSQL server's are not counted); `--no-default`
skips step 5.

Usage: `.venv/bin/python bench/import_attendance.py [--rows 100000] [--levels 3]
[--no-default] [--keep]`.
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DB_NAME = "pasapas_imports_bench"
DB_SERVER = "postgres://postgres@127.0.0.1:5432"
TARGET_RATIO = 5.0
SLICE_ROWS = 10_000

for path in (str(ROOT / "site"), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def setup_environment() -> None:
    for key in [k for k in os.environ if k.startswith(("DJANGO_", "CELERY_", "REDIS_"))]:
        del os.environ[key]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-import",
            "DATABASE_URL": f"{DB_SERVER}/{DB_NAME}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(function):
    from django.db import connection

    counter = QueryCounter()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = function()
    measure.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    return time.perf_counter() - started, counter.count, result


HEADER = [
    "Identifiant séance",
    "Date",
    "Heure",
    "Type de séance",
    "Intitulé",
    "Durée (minutes)",
    "Identifiant lieu",
    "Thématiques",
    "Identifiant personne",
    "Prénom",
    "Nom",
    "Année de naissance",
    "Code INSEE",
    "Présence",
    "Matériel",
]


def build_data(*, people: int, sessions: int):
    """Structure, counsellor, venue, people and sessions (bulk), all with external ids."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from learners.choices import PlaceType, SessionKind
    from learners.models import Commune, Learner, LearnerStructure, Session, Venue
    from learners.services import counsellor_create, structure_create

    commune, _created = Commune.objects.get_or_create(
        insee_code="85191",
        defaults={"name": "La Roche-sur-Yon", "department_code": "85", "latitude": 46.67},
    )
    structure = structure_create(name="Structure du banc d'essai", commune=commune)
    user = get_user_model().objects.create_user("conseillere.banc", password="x")  # noqa: S106
    counsellor_create(user=user, structure=structure)
    venue = Venue.objects.create(
        structure=structure, name="Médiathèque du banc", commune=commune, external_id="lieu-banc"
    )
    learners = []
    for n in range(people):
        learner = Learner(
            structure=structure,
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            birth_year=1940 + n % 70,
            commune=commune,
            external_id=f"P{n:06d}",
        )
        learner.normalize_names()
        learners.append(learner)
    Learner.objects.bulk_create(learners, batch_size=2000)
    LearnerStructure.objects.bulk_create(
        [LearnerStructure(learner=lr, structure=structure) for lr in learners], batch_size=2000
    )
    first_day = datetime.date(2023, 1, 2)
    rows = []
    for n in range(sessions):
        day = first_day + datetime.timedelta(days=n // 4)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + 2 * (n % 4))))
        rows.append(
            Session(
                structure=structure,
                kind=SessionKind.WORKSHOP,
                title=f"Atelier {n}",
                start=start,
                duration_minutes=90,
                place_type=PlaceType.VENUE,
                venue=venue,
                external_id=f"S{n:05d}",
            )
        )
    Session.objects.bulk_create(rows, batch_size=2000)
    return user, learners, rows


LEVEL_CODES = ("S1.1", "S2.2", "S3.1", "S3.3", "S4.1")
LEVEL_WORDS = ("non acquis", "en cours", "acquis", "autonome")


def write_csv(*, rows: int, learners, sessions, levels: int = 0) -> bytes:
    """The attendance file: session × people, with the export's headers (and `levels`
    competence columns, a level in every cell)."""
    import csv

    from django.utils import timezone

    per_session = max(1, rows // len(sessions))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*HEADER, *LEVEL_CODES[:levels]])
    written = 0
    for index, session in enumerate(sessions):
        start = timezone.localtime(session.start)
        for k in range(per_session):
            if written >= rows:
                break
            learner = learners[(index * per_session + k) % len(learners)]
            writer.writerow(
                [
                    session.external_id,
                    start.strftime("%d/%m/%Y"),
                    start.strftime("%H:%M"),
                    "atelier",
                    session.title,
                    session.duration_minutes,
                    "lieu-banc",
                    "",
                    learner.external_id,
                    learner.first_name,
                    learner.last_name,
                    learner.birth_year,
                    "85191",
                    "present",
                    "ordinateur",
                    *(LEVEL_WORDS[(written + c) % 4] for c in range(levels)),
                ]
            )
            written += 1
    assert written == rows, (written, rows)
    return buffer.getvalue().encode("utf-8")


def ours(user, content: bytes) -> dict:
    from learners.imports import import_job_confirm, import_job_create
    from learners.models import Attendance, ImportStatus

    preview_s, preview_q, job = measure(
        lambda: import_job_create(
            user=user, kind="attendance", filename="presences.csv", content=content
        )
    )
    preview_cpu = measure.cpu  # type: ignore[attr-defined]
    assert job.status == ImportStatus.READY, job.errors[:5]
    confirm_s, confirm_q, job = measure(lambda: import_job_confirm(user=user, job=job))
    confirm_cpu = measure.cpu  # type: ignore[attr-defined]
    assert job.status == ImportStatus.DONE, job.errors[:5]
    written = Attendance.objects.count()
    return {
        "preview_seconds": preview_s,
        "confirm_seconds": confirm_s,
        "preview_cpu_seconds": preview_cpu,
        "confirm_cpu_seconds": confirm_cpu,
        "seconds": preview_s + confirm_s,
        "queries": preview_q + confirm_q,
        "attendance_written": written,
        "summary": job.summary.get("result", {}),
    }


def default_resource_class():
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from learners.models import Attendance, Learner, Session

    class AttendanceDefaultResource(resources.ModelResource):
        """django-import-export out of the box: columns mapped, nothing else."""

        session = fields.Field(
            attribute="session",
            column_name="Identifiant séance",
            widget=ForeignKeyWidget(Session, field="external_id"),
        )
        learner = fields.Field(
            attribute="learner",
            column_name="Identifiant personne",
            widget=ForeignKeyWidget(Learner, field="external_id"),
        )
        status = fields.Field(attribute="status", column_name="Présence")
        equipment = fields.Field(attribute="equipment", column_name="Matériel")

        class Meta:
            model = Attendance
            fields = ("session", "learner", "status", "equipment")
            import_id_fields = ("session", "learner")

    return AttendanceDefaultResource


def default_path(content: bytes, *, rows: int) -> tuple[float, int, int]:
    """(seconds, queries, rows imported) of import_data on the first `rows` rows."""
    import tablib

    from learners.models import Attendance

    text = content.decode("utf-8-sig")
    if rows:
        text = "\r\n".join(text.split("\r\n")[: rows + 1]) + "\r\n"
    resource = default_resource_class()()

    def run():
        dataset = tablib.Dataset().load(text, format="csv", delimiter=";")
        return resource.import_data(dataset, dry_run=False, use_transactions=True)

    seconds, queries, result = measure(run)
    assert not result.has_errors() and not result.has_validation_errors(), result.base_errors
    return seconds, queries, Attendance.objects.count()


def empty_attendance() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE learners_attendance CASCADE")
        cursor.execute("TRUNCATE learners_observation, learners_competencesummary CASCADE")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument(
        "--max-default-seconds",
        type=float,
        default=240.0,
        help="run the default path on the whole file only if its projection is below this",
    )
    parser.add_argument("--levels", type=int, default=0, choices=range(len(LEVEL_CODES) + 1))
    parser.add_argument("--no-default", action="store_true", help="skip (b)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def database_prepare(args: argparse.Namespace):
    """A fresh migrated database with the people and sessions; returns the counsellor and
    the attendance file."""
    setup_environment()
    log(f"recreating database {DB_NAME}")
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    log("migrating")
    call_command("migrate", verbosity=0)
    log(f"creating {args.people} people and {args.sessions} sessions")
    user, learners, sessions = build_data(people=args.people, sessions=args.sessions)
    content = write_csv(rows=args.rows, learners=learners, sessions=sessions)
    log(f"attendance file: {args.rows} rows, {len(content) / 1e6:.1f} MB")
    if args.levels:
        args.with_levels = write_csv(
            rows=args.rows, learners=learners, sessions=sessions, levels=args.levels
        )
    return user, content


def default_measure(args: argparse.Namespace, content: bytes) -> tuple[dict, dict]:
    """(b) on a first slice, then on the whole file when its projection allows; returns the
    figures kept for (b) and those of the slice."""
    slice_rows = min(SLICE_ROWS, args.rows)
    log(f"(b) django-import-export default, first {slice_rows} rows")
    slice_s, slice_q, slice_written = default_path(content, rows=slice_rows)
    assert slice_written == slice_rows, (slice_written, slice_rows)
    projected = slice_s * args.rows / slice_rows
    log(
        f"    {slice_s:.1f} s for {slice_rows} rows ({slice_q} queries),"
        f" {projected:.0f} s projected"
    )
    first_slice = {"rows": slice_rows, "seconds": slice_s, "queries": slice_q}
    if args.rows > slice_rows and projected <= args.max_default_seconds:
        empty_attendance()
        log(f"(b) django-import-export default, all {args.rows} rows")
        default_s, default_q, written = default_path(content, rows=0)
        assert written == args.rows
        default = {
            "seconds": default_s,
            "queries": default_q,
            "rows": args.rows,
            "extrapolated": False,
        }
    else:
        default = {
            "seconds": projected,
            "queries": round(slice_q * args.rows / slice_rows),
            "rows": slice_rows,
            "extrapolated": args.rows > slice_rows,
        }
    return default, first_slice


def report_text(
    args: argparse.Namespace, *, mine: dict, default: dict, first_slice: dict, loads: dict
) -> str:
    ratio = default["seconds"] / mine["seconds"]
    lines = [
        f"Attendance import, {args.rows} rows ({args.sessions} sessions × "
        f"{args.rows // args.sessions} people, {args.people} people), PostgreSQL, "
        f"{datetime.date.today():%Y-%m-%d}",
        f"Machine: {os.cpu_count()} CPU, {platform.python_implementation()} "
        f"{platform.python_version()}, load average before (a): {loads['before_ours']}, "
        f"before (b): {loads['before_default']}",
        "",
        f"{'path':<58}{'seconds':>10}{'rows/s':>10}{'queries':>10}",
        f"{'(a) ours: preview (read, check, store the preview)':<58}"
        f"{mine['preview_seconds']:>10.1f}{'':>10}{'':>10}",
        f"{'(a) ours: confirm (check again, write in one transaction)':<58}"
        f"{mine['confirm_seconds']:>10.1f}{'':>10}{'':>10}",
        f"{'(a) ours: preview + confirm':<58}{mine['seconds']:>10.1f}"
        f"{args.rows / mine['seconds']:>10.0f}{mine['queries']:>10}",
        f"{'(b) django-import-export default (one pass, no preview)':<58}"
        f"{default['seconds']:>10.1f}{args.rows / default['seconds']:>10.0f}"
        f"{default['queries']:>10}",
        "",
        f"Speed ratio (b) / (a): {ratio:.1f}× (target ≥ {TARGET_RATIO:.0f}×): "
        + ("met" if ratio >= TARGET_RATIO else "NOT met"),
    ]
    if default["extrapolated"]:
        lines.append(
            f"(b) was timed on the first {default['rows']} rows ({first_slice['seconds']:.1f} s, "
            f"{first_slice['queries']} queries) and extrapolated linearly to {args.rows} rows: "
            f"the whole file would have taken more than {args.max_default_seconds:.0f} s."
        )
    return "\n".join(lines) + "\n"


def results_write(
    args: argparse.Namespace,
    *,
    text: str,
    file_bytes: int,
    mine: dict,
    default: dict,
    first_slice: dict,
    loads: dict,
) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import_attendance.txt").write_text(text, encoding="utf-8")
    (RESULTS / "import_attendance.json").write_text(
        json.dumps(
            {
                "rows": args.rows,
                "people": args.people,
                "sessions": args.sessions,
                "file_bytes": file_bytes,
                "ours": mine,
                "default": default,
                "default_slice": first_slice,
                "ratio": default["seconds"] / mine["seconds"],
                "target_ratio": TARGET_RATIO,
                "cpu_count": os.cpu_count(),
                "load_average": loads,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


def database_drop() -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def levels_main(args: argparse.Namespace, user, content: bytes) -> int:
    """Ours without and with `args.levels` level columns, side by side."""
    from learners.models import Observation

    figures = {}
    for name, data in (("without levels", content), ("with levels", args.with_levels)):
        log(f"(a) ours {name}: preview + confirm")
        load = load_average()
        figures[name] = ours(user, data)
        figures[name]["observations_written"] = Observation.objects.count()
        figures[name]["load_average_before"] = load
        empty_attendance()
    lines = [
        f"Attendance import with competence levels, {args.rows} rows ({args.sessions} sessions"
        f" × {args.rows // args.sessions} people), {args.levels} level columns "
        f"({', '.join(LEVEL_CODES[: args.levels])}), PostgreSQL, {datetime.date.today():%Y-%m-%d}",
        f"Machine: {os.cpu_count()} CPU shared with other work, {platform.python_implementation()}"
        f" {platform.python_version()}; CPU = this process's CPU seconds (not PostgreSQL's)",
        "",
        f"{'file':<16}{'preview s':>11}{'CPU':>7}{'confirm s':>11}{'CPU':>7}{'queries':>9}"
        f"{'observations':>14}{'load before':>18}",
    ]
    for name, mine in figures.items():
        lines.append(
            f"{name:<16}{mine['preview_seconds']:>11.1f}{mine['preview_cpu_seconds']:>7.1f}"
            f"{mine['confirm_seconds']:>11.1f}{mine['confirm_cpu_seconds']:>7.1f}"
            f"{mine['queries']:>9}{mine['observations_written']:>14}"
            f"{mine['load_average_before']:>18}"
        )
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import_attendance_levels.txt").write_text(text, encoding="utf-8")
    (RESULTS / "import_attendance_levels.json").write_text(
        json.dumps({"rows": args.rows, "levels": args.levels, "ours": figures}, indent=2) + "\n",
        encoding="utf-8",
    )
    if not args.keep:
        database_drop()
    return 0


def main() -> int:
    args = arguments()
    user, content = database_prepare(args)
    if args.levels:
        return levels_main(args, user, content)

    loads = {"before_ours": load_average()}
    log("(a) ours: preview + confirm")
    mine = ours(user, content)
    assert mine["attendance_written"] == args.rows, mine
    log(
        f"    preview {mine['preview_seconds']:.1f} s + confirm {mine['confirm_seconds']:.1f} s"
        f" = {mine['seconds']:.1f} s, {mine['queries']} queries"
    )
    empty_attendance()

    loads["before_default"] = load_average()
    default, first_slice = default_measure(args, content)
    figures = {"mine": mine, "default": default, "first_slice": first_slice, "loads": loads}
    text = report_text(args, **figures)
    print()
    print(text)
    results_write(args, text=text, file_bytes=len(content), **figures)
    if not args.keep:
        database_drop()
    ratio = default["seconds"] / mine["seconds"]
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
