"""Benchmark of the tracking app's everyday views at national scale.

Target: each view under 100 ms server time (median of 20 runs) on 1,000,000 people,
about 10,000,000 attendance records and 5,000,000 observations, on this 2-core machine.

One run, on 127.0.0.1 only:
1. reuses the database made by `bench/generate_national.py` when it has the requested
   scale (table `bench_national_meta`), else runs the generator (its own process, about
   15 minutes at scale 1) and notes the generation time and counts it recorded;
2. configures Django with the production settings (`config.settings.production`, bench-only
   SECRET_KEY, `ALLOWED_HOSTS=testserver,127.0.0.1`, `SECURE_SSL_REDIRECT=0`, Redis cache
   on `redis://127.0.0.1:6379/4`, or the local-memory cache when Redis does not answer)
   and runs `collectstatic` (whitenoise's manifest, as a deployment does);
3. VACUUMs (ANALYZE) the big tables when their visibility map is still empty (a database
   just loaded with COPY: no index-only scans yet, and the first reads write every page to
   set hint bits), as autovacuum would soon do in production; then picks the structure
   with the most people and its first counsellor, the person of that structure with the
   most attendance records, and the one with the most observations;
   adds 30 published guides linked to competences when the database has none (so the
   carnet suggests guides, as on a real site); creates bench sessions (yesterday 14:00, an
   atelier with three "socle" competences, capacity 14) each with 12 different people of
   the structure registered through the services;
4. measures through Django's test `Client` (the full middleware stack, views and
   templates, in this process; `force_login` for the counsellor), after one warm-up, `--runs`
   runs (20) of:
   - the counsellor's dashboard (`learners_dashboard`), and again for information with
     PostgreSQL's parallel query off for the connection (`max_parallel_workers_per_gather=0`);
   - the attendance sheet of a session with 12 registered people (`learners_attendance_sheet`);
   - the save of a sheet for 12 people: POST of the real form (`AttendanceSheetForm` field
     names) marking everyone present with equipment, autonomy and a level on each of the 3
     competences: 12 attendance updates, 36 observations, 36 summaries, 12 audit rows,
     committed for real; every run saves a different session (same work each time);
   - the person's page (`learners_person_detail`) of the person with the most sessions;
   - the public carnet: a code is issued with `carnet_issue` for the person with the most
     observations, typed into /carnet/ (POST, not timed), then the carnet GET is timed;
   each timed run also records the CPU time of this process and of its PostgreSQL backend
   (/proc/<pid>/schedstat; parallel query workers are not counted), what the request costs
   when it does not wait for a CPU on a machine shared with other work; then one more run
   of each under `CaptureQueriesContext` for the number of SQL queries and their times (not
   part of the timings), and with `--profile CASE` one more under cProfile;
5. for a case whose median misses the target (or for every case with `--explain`), runs
   EXPLAIN (ANALYZE, BUFFERS) on each of its SELECTs and puts the three slowest plans (by
   measured execution time) in the output;
6. removes what it made (the bench sessions, their attendance and observations; the
   summaries and last-attendance dates of those people are recomputed from what is left, and
   their last-activity time stamps restored); the audit rows and carnet codes stay, as they
   would in production;
7. prints a table and writes bench/results/tracking.txt and tracking.json.

Usage: `.venv/bin/python bench/tracking.py [--scale 1] [--db pasapas_national] [--runs 20]
[--regenerate] [--explain] [--profile CASE] [--output NAME]`. PostgreSQL on 127.0.0.1:5432
(user postgres, trust auth); Redis on 127.0.0.1:6379 if available.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a `statistics.py`: take this folder off the path (Python put it first) so
# `import statistics` anywhere means the standard library; load the generator from its file.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

if "generate_national" in sys.modules:
    gen = sys.modules["generate_national"]
else:
    _spec = importlib.util.spec_from_file_location(
        "generate_national", BENCH_DIR / "generate_national.py"
    )
    gen = importlib.util.module_from_spec(_spec)
    sys.modules["generate_national"] = gen
    _spec.loader.exec_module(gen)

ROOT = gen.ROOT
RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100.0
PEOPLE_PER_SHEET = 12
BENCH_TAG = "bench-tracking"
REDIS_URL = "redis://127.0.0.1:6379/4"
EXPLAIN_TOP = 3
SQL_CHARS = 1500  # of each query kept in the results
# Query plans are printed only when the database takes this share of the median or more.
PLANS_FROM_SHARE = 0.2


# Shared with the generator (and the other benchmarks).
log = gen.log
load_average = gen.load_average


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def django_setup(db: str) -> str:
    """Production settings on database `db`; returns the cache used."""
    cache = REDIS_URL if redis_answers() else ""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-pasapas",
            "DATABASE_URL": gen.database_url(db),
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "REDIS_URL": cache,
            "CELERY_BROKER_URL": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    return cache or "locmem"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- Fixtures --------------------------------------------------------------------------------

BIG_TABLES = (
    "learners_learner",
    "learners_learnerstructure",
    "learners_session",
    "learners_attendance",
    "learners_observation",
    "learners_competencesummary",
)


def vacuum_if_needed() -> dict | None:
    """A database just loaded with COPY has an empty visibility map (no index-only scans)
    and no hint bits (the first reads write every page): VACUUM (ANALYZE) it, as autovacuum
    soon would in production. Returns what was done, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class WHERE relname = ANY(%s)",
            [list(BIG_TABLES)],
        )
        rows = cursor.fetchall()
    pages = sum(r[1] for r in rows)
    visible = sum(r[2] for r in rows)
    if pages == 0 or visible / pages > 0.9:
        return None
    log(f"VACUUM (ANALYZE): {visible} of {pages} pages all-visible")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    seconds = round(time.perf_counter() - started, 1)
    log(f"  done in {seconds} s")
    return {"all_visible_before": round(visible / pages, 3), "seconds": seconds}


def pick_subjects() -> dict:
    """The largest structure (by people linked), its first counsellor, its person with the
    most attendance records and its person with the most observations."""
    from django.db import connection

    from learners.models import Counsellor

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT structure_id, COUNT(*) FROM learners_learnerstructure "
            "GROUP BY structure_id ORDER BY 2 DESC, 1 LIMIT 1"
        )
        structure_id, people = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM learners_session WHERE structure_id = %s", [structure_id]
        )
        sessions = cursor.fetchone()[0]
        cursor.execute(
            "SELECT a.learner_id, COUNT(*) FROM learners_attendance a "
            "JOIN learners_learnerstructure ls ON ls.learner_id = a.learner_id "
            "JOIN learners_learner l ON l.id = a.learner_id "
            "WHERE ls.structure_id = %s AND l.anonymized_at IS NULL "
            "GROUP BY a.learner_id ORDER BY 2 DESC, 1 LIMIT 1",
            [structure_id],
        )
        person_id, person_attendances = cursor.fetchone()
        cursor.execute(
            "SELECT o.learner_id, COUNT(*), COUNT(DISTINCT o.competence_id) "
            "FROM learners_observation o "
            "JOIN learners_learnerstructure ls ON ls.learner_id = o.learner_id "
            "JOIN learners_learner l ON l.id = o.learner_id "
            "WHERE ls.structure_id = %s AND l.anonymized_at IS NULL "
            "GROUP BY o.learner_id ORDER BY 2 DESC, 3 DESC, 1 LIMIT 1",
            [structure_id],
        )
        carnet_id, carnet_observations, carnet_competences = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM learners_attendance WHERE learner_id = %s", [carnet_id]
        )
        carnet_attendances = cursor.fetchone()[0]
    counsellor = (
        Counsellor.objects.select_related("user").filter(structure_id=structure_id).order_by("id")
    ).first()
    return {
        "structure_id": structure_id,
        "structure_people": people,
        "structure_sessions": sessions,
        "counsellor": counsellor,
        "person_id": person_id,
        "person_attendances": person_attendances,
        "carnet_learner_id": carnet_id,
        "carnet_observations": carnet_observations,
        "carnet_competences": carnet_competences,
        "carnet_attendances": carnet_attendances,
    }


def ensure_guides(count: int = 30) -> int:
    """Published guides linked to competences, as a real site has (idempotent)."""
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from workshops.models import Competence, GuideIndexPage, GuidePage

    existing = GuidePage.objects.live().filter(competences__isnull=False).distinct().count()
    if existing >= count:
        return existing
    index = GuideIndexPage.objects.filter(slug="fiches-bench").first()
    if index is None:
        home = Page.objects.filter(depth=2).first()
        index = home.add_child(
            instance=GuideIndexPage(title="Fiches pratiques", slug="fiches-bench")
        )
        index.save_revision().publish()
    competences = list(Competence.objects.order_by("framework_id", "sort_order", "id"))
    for n in range(existing, count):
        guide = GuidePage(
            title=f"Fiche de référence {n + 1}",
            slug=f"fiche-bench-{n + 1}",
            summary="Fiche générée pour le banc d'essai national.",
            steps=[
                (
                    "step",
                    {
                        "title": f"Étape {step}",
                        "text": RichText(f"<p>Faites l'action {step}.</p>"),
                        "image": None,
                        "alt_text": "",
                        "tip": "",
                        "warning": "",
                    },
                )
                for step in (1, 2, 3)
            ],
        )
        guide.competences = [competences[(2 * n + k) % len(competences)] for k in range(2)]
        index.add_child(instance=guide)
        guide.save_revision().publish()
    return count


def bench_sessions_remove() -> dict:
    """Remove the bench sessions (and their attendance and observations) and recompute
    what depended on them; returns counts."""
    from django.db import transaction

    from learners.models import Attendance, Observation, Session
    from learners.services.people import learners_attendance_refresh
    from learners.services.progress import summaries_refresh

    sessions = Session.objects.filter(external_id__startswith=BENCH_TAG)
    session_ids = list(sessions.values_list("id", flat=True))
    if not session_ids:
        return {"sessions": 0}
    with transaction.atomic():
        learner_ids = set(
            Attendance.objects.filter(session_id__in=session_ids).values_list(
                "learner_id", flat=True
            )
        )
        observations = Observation.objects.filter(session_id__in=session_ids)
        pairs = set(observations.values_list("learner_id", "competence_id"))
        removed = observations.delete()[0]
        Session.objects.filter(id__in=session_ids).delete()
        summaries_refresh(pairs=pairs)
        learners_attendance_refresh(learner_ids=learner_ids)
    return {"sessions": len(session_ids), "people": len(learner_ids), "observations": removed}


def bench_sessions_create(*, subjects: dict, count: int) -> tuple[list, list[int], dict]:
    """`count` sessions of the structure, yesterday 14:00, each with 12 different people
    registered; returns (sessions, learner ids, their original last_activity_at)."""
    from django.utils import timezone

    from learners.models import Learner, Session, Venue
    from learners.services import attendance_register, session_create
    from workshops.models import Competence

    user = subjects["counsellor"].user
    structure_id = subjects["structure_id"]
    competences = list(
        Competence.objects.filter(framework__slug="socle").order_by("sort_order", "id")[:3]
    )
    venue = Venue.objects.filter(structure_id=structure_id).order_by("id").first()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(14, 0)))
    people = list(
        Learner.objects.filter(
            structure_links__structure_id=structure_id,
            anonymized_at__isnull=True,
        )
        .exclude(pk__in=[subjects["person_id"], subjects["carnet_learner_id"]])
        .order_by("-last_attended_on", "id")[: count * PEOPLE_PER_SHEET]
    )
    if len(people) < count * PEOPLE_PER_SHEET:
        raise SystemExit(
            f"The structure has {len(people)} people; {count * PEOPLE_PER_SHEET} are needed."
        )
    original_activity = {p.pk: p.last_activity_at for p in people}
    sessions = []
    for n in range(count):
        session = session_create(
            user=user,
            start=start,
            kind="atelier",
            title=f"Atelier du banc d'essai {n + 1}",
            duration_minutes=120,
            place_type="lieu" if venue else "distance",
            venue=venue,
            competences=competences,
            capacity=PEOPLE_PER_SHEET + 2,
        )
        Session.objects.filter(pk=session.pk).update(external_id=f"{BENCH_TAG}-{n + 1}")
        for learner in people[n * PEOPLE_PER_SHEET : (n + 1) * PEOPLE_PER_SHEET]:
            attendance_register(user=user, session=session, learner=learner)
        sessions.append(session)
    return sessions, [p.pk for p in people], original_activity


def sheet_post_data(*, user, session_id: int, variant: int) -> dict:
    """The sheet's POST as the browser sends it (field names from `AttendanceSheetForm`):
    everyone present, equipment, autonomy and a level on every competence."""
    from learners.choices import Autonomy, Equipment
    from learners.forms.sessions import AttendanceSheetForm, line_prefix
    from learners.selectors import session_attendance_sheet

    sheet = session_attendance_sheet(user=user, session_id=session_id)
    form = AttendanceSheetForm(sheet=sheet)
    equipment = [Equipment.PHONE, Equipment.COMPUTER, Equipment.TABLET]
    autonomy = [Autonomy.ACCOMPANIED, Autonomy.PARTLY, Autonomy.AUTONOMOUS]
    data: dict = {"line": [], "action": "save"}
    for i, line in enumerate(sheet.lines):
        learner_id = line.attendance.learner_id
        p = line_prefix(learner_id)
        data["line"].append(str(learner_id))
        data[f"{p}-status"] = "present"
        data[f"{p}-equipment"] = equipment[(i + variant) % 3].value
        data[f"{p}-autonomy"] = autonomy[(i + variant) % 3].value
        data[f"{p}-referred_to"] = ""
        for c, competence in enumerate(sheet.competences):
            levels = sheet.levels_by_framework[competence.framework_id]
            data[f"{p}-c{competence.pk}"] = str(levels[(i + c + variant) % len(levels)].pk)
    missing = set(form.fields) - set(data)
    if missing:
        raise RuntimeError(f"POST data misses form fields: {sorted(missing)[:5]}")
    return data


# --- Measuring -------------------------------------------------------------------------------


def backend_pid() -> int:
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cpu_ns(pid: int) -> int:
    """CPU time of a process (ns), from /proc/<pid>/schedstat (the PostgreSQL backend serving
    this process runs on the same machine)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def measure(
    key: str, label: str, request, *, runs: int, expect: int = 200, profile: bool = False
) -> dict:
    """`request(i)` makes the i-th request (0: warm-up, 1..runs: timed, runs + 1: queries
    captured, runs + 2: profiled with cProfile when `profile`) and returns the response.

    Besides the wall-clock time, each timed run records the CPU time of this process and of
    its PostgreSQL backend: on a machine shared with other work, their sum is what the
    request costs, whatever the waiting for a CPU added to the wall-clock time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(response, i):
        if response.status_code != expect:
            body = response.content.decode(errors="replace")[-1500:]
            raise RuntimeError(f"{key} run {i}: HTTP {response.status_code}\n{body}")

    check(request(0), 0)
    pid = backend_pid()
    load_before = load_average()
    times, cpu_python, cpu_db = [], [], []
    for i in range(1, runs + 1):
        db_before = cpu_ns(pid)
        cpu_before = time.process_time_ns()
        started = time.perf_counter()
        response = request(i)
        times.append((time.perf_counter() - started) * 1000)
        cpu_python.append((time.process_time_ns() - cpu_before) / 1e6)
        cpu_db.append((cpu_ns(pid) - db_before) / 1e6)
        check(response, i)
    load_after = load_average()
    if backend_pid() != pid:
        raise RuntimeError(f"{key}: the database connection changed during the runs")
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        check(request(runs + 1), runs + 1)
        captured_ms = (time.perf_counter() - started) * 1000
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    median = statistics.median(times)
    cpu_total = [a + b for a, b in zip(cpu_python, cpu_db, strict=True)]
    result = {
        "key": key,
        "label": label,
        "median_ms": round(median, 1),
        "p90_ms": round(percentile(times, 0.9), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "cpu_median_ms": round(statistics.median(cpu_total), 1),
        "cpu_python_median_ms": round(statistics.median(cpu_python), 1),
        "cpu_db_median_ms": round(statistics.median(cpu_db), 1),
        "runs": runs,
        "times_ms": [round(t, 1) for t in times],
        "queries": len(queries),
        "queries_ms": round(sum(t for t, _sql in queries), 1),
        "captured_run_ms": round(captured_ms, 1),
        "slowest_queries": [
            {"ms": round(t, 2), "sql": sql[:SQL_CHARS]}
            for t, sql in sorted(queries, reverse=True)[:5]
        ],
        "_queries": queries,
        "target_ms": TARGET_MS,
        "met": median < TARGET_MS,
        "load_before": load_before,
        "load_after": load_after,
    }
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        check(request(runs + 2), runs + 2)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            int(os.environ.get("BENCH_PROFILE_LINES", "40"))
        )
        result["profile"] = out.getvalue()
    log(
        f"  {label}: median {median:.1f} ms, p90 {result['p90_ms']:.1f} ms, CPU "
        f"{result['cpu_python_median_ms']:.1f} + {result['cpu_db_median_ms']:.1f} ms "
        f"(Python + PostgreSQL), {len(queries)} queries ({result['queries_ms']:.1f} ms in SQL)"
    )
    return result


def explain(result: dict, queries: list[tuple[float, str]]) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) every SELECT of the captured run (writes and locking reads
    are left out) and keep the `EXPLAIN_TOP` slowest plans by their measured execution
    time: on a loaded machine the captured times also count the waiting for a CPU."""
    import re

    from django.db import connection

    plans, seen = [], set()
    for captured_ms, sql in queries:
        head = sql.lstrip().upper()
        if not head.startswith("SELECT") or "FOR UPDATE" in head or sql in seen:
            continue
        seen.add(sql)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        match = re.search(r"Execution Time: ([0-9.]+) ms", plan)
        planning = re.search(r"Planning Time: ([0-9.]+) ms", plan)
        plans.append(
            {
                "execution_ms": float(match.group(1)) if match else 0.0,
                "planning_ms": float(planning.group(1)) if planning else 0.0,
                "captured_ms": round(captured_ms, 2),
                "sql": sql[:SQL_CHARS],
                "plan": plan,
            }
        )
    plans.sort(key=lambda p: p["execution_ms"], reverse=True)
    total = sum(p["execution_ms"] for p in plans)
    significant = total >= PLANS_FROM_SHARE * result["median_ms"]
    return {
        "selects": len(plans),
        "execution_ms_total": round(total, 2),
        "planning_ms_total": round(sum(p["planning_ms"] for p in plans), 2),
        # Only the three slowest, with their plans when the database matters for this case.
        "top": [
            p if significant else {k: v for k, v in p.items() if k != "plan"}
            for p in plans[:EXPLAIN_TOP]
        ],
        "plans_shown": significant,
    }


# --- Report ----------------------------------------------------------------------------------


def python_reference_ms() -> float:
    """CPU time of a fixed pure-Python loop (best of 5): how fast this machine ran Python
    during the benchmark. Shared machines vary (by two to three times here from one day to
    the next): compare runs with this figure beside them."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return round(best * 1000, 1)


def report_text(data: dict) -> str:
    meta = data["database"]
    subjects = data["subjects"]
    lines = [
        "Tracking views benchmark",
        f"Date: {data['date']}",
        f"Machine: {data['machine']}",
        f"Python reference (2,000,000 integer additions, CPU, best of 5): before the cases "
        f"{data['python_reference_ms'][0]} ms, after {data['python_reference_ms'][1]} ms",
        f"Database: {meta['db']}, scale {meta['scale']} (generated in {meta['seconds']} s, "
        f"{meta.get('seconds_streaming', '?')} s streaming): {meta['counts']}",
        f"Settings: config.settings.production, cache {data['cache']}, "
        f"Django test Client in-process (middleware, views, templates; no HTTP server)",
        f"Structure {subjects['structure_id']}: {subjects['structure_people']} people, "
        f"{subjects['structure_sessions']} sessions; counsellor {subjects['counsellor']}",
        f"Person's page: learner {subjects['person_id']} "
        f"({subjects['person_attendances']} attendance records); carnet: learner "
        f"{subjects['carnet_learner_id']} ({subjects['carnet_observations']} observations on "
        f"{subjects['carnet_competences']} competences, {subjects['carnet_attendances']} "
        f"attendance records); {data['guides']} published guides linked to competences",
        "Vacuumed first (fresh COPY load, empty visibility map): "
        + (f"yes, {data['vacuumed']['seconds']} s" if data.get("vacuumed") else "no need"),
        f"Target: median < {TARGET_MS:.0f} ms server time; {data['runs']} runs after one warm-up",
        "",
        f"{'case':<46}{'median ms':>10}{'p90 ms':>8}{'CPU ms':>8}{'queries':>8}"
        f"{'SQL ms':>8}{'target':>7}  result",
    ]
    for case in data["cases"]:
        lines.append(
            f"{case['label']:<46}{case['median_ms']:>10.1f}{case['p90_ms']:>8.1f}"
            f"{case['cpu_median_ms']:>8.1f}{case['queries']:>8}{case['queries_ms']:>8.1f}"
            f"{TARGET_MS:>7.0f}  {'met' if case['met'] else 'MISSED'}"
            + ("  (for information)" if case.get("informative") else "")
        )
    lines.append("")
    lines.append(
        "median/p90: wall-clock server time of the request in the Django test Client (the "
        "target applies to the median)."
    )
    lines.append(
        "CPU ms: median CPU time of this process plus its PostgreSQL backend per request "
        "(what the request costs when it does not wait for a CPU)."
    )
    lines.append(
        "queries, SQL ms: one extra run under CaptureQueriesContext (times with ms precision)."
    )
    for case in data["cases"]:
        lines.append("")
        lines.append(f"Slowest queries, {case['label']} (load {case['load_before']}):")
        for query in case["slowest_queries"]:
            lines.append(f"  {query['ms']:>8.2f} ms  {query['sql'][:150]}")
        if case.get("profile"):
            lines.append("")
            lines.append("  cProfile (one request, cumulative):")
            lines.extend(f"    {row}" for row in case["profile"].splitlines() if row.strip())
        if case.get("explain"):
            ex = case["explain"]
            lines.append("")
            lines.append(
                f"  EXPLAIN ANALYZE of its {ex['selects']} distinct SELECTs: execution "
                f"{ex['execution_ms_total']:.1f} ms, planning {ex['planning_ms_total']:.1f} ms "
                f"in all; the {len(ex['top'])} slowest"
                + (
                    ":"
                    if ex["plans_shown"]
                    else f" (plans left out: the database takes under "
                    f"{PLANS_FROM_SHARE:.0%} of this case's time):"
                )
            )
            for plan in ex["top"]:
                lines.append("")
                lines.append(
                    f"  {plan['execution_ms']:.2f} ms (captured {plan['captured_ms']:.2f} ms): "
                    + (plan["sql"] if ex["plans_shown"] else plan["sql"][:150])
                )
                lines.extend(f"    {row}" for row in plan.get("plan", "").splitlines())
    return "\n".join(lines) + "\n"


# --- Main ------------------------------------------------------------------------------------


def otp_verified_login(client, user) -> None:
    """Coordinators must sign in with a second factor (production settings): give the bench
    coordinator a confirmed authenticator app (before the login, which records in the
    session whether the user has one), log in and mark the session as verified, as a real
    sign-in with a code does, so the dashboard is measured, not the redirect."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default=gen.DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every case")
    parser.add_argument("--output", default="tracking", help="results file name (no suffix)")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="CASE",
        help="cProfile one more request of this case (dashboard, sheet_load, sheet_save, "
        "sheet_load_saved, person, carnet); repeatable",
    )
    return parser.parse_args()


def database_ready(args: argparse.Namespace) -> dict:
    """The generator's database at the requested scale (reused when it has it, else made by
    generate_national.py); returns what the generator recorded."""
    meta = None if args.regenerate else gen.meta_read(args.db)
    if meta is None or abs(float(meta["scale"]) - args.scale) > 1e-9:
        log(f"generating database {args.db} at scale {args.scale} (generate_national.py)")
        subprocess.run(
            [
                sys.executable,
                str(BENCH_DIR / "generate_national.py"),
                "--scale",
                str(args.scale),
                "--db",
                args.db,
            ],
            check=True,
        )
        meta = gen.meta_read(args.db)
    else:
        log(f"reusing database {args.db} (scale {meta['scale']}: {meta['counts']})")
    log(f"generation had taken {meta['seconds']} s")
    return meta


def static_collect() -> None:
    """The production settings serve static files through whitenoise's manifest: collect
    them (the deployment step) so every admin page finds its stylesheets' hashed names."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"collectstatic ({time.perf_counter() - started:.0f} s)")


def subjects_picked() -> dict:
    log("picking the structure, counsellor and people")
    subjects = pick_subjects()
    user = subjects["counsellor"].user
    log(
        f"  structure {subjects['structure_id']} ({subjects['structure_people']} people), "
        f"counsellor {user.username}, person {subjects['person_id']} "
        f"({subjects['person_attendances']} attendances), carnet person "
        f"{subjects['carnet_learner_id']} ({subjects['carnet_observations']} observations)"
    )
    return subjects


def getter(client, url: str):
    """The request `measure` makes: GET `url` with `client`."""
    return lambda i: client.get(url, secure=True)


def dashboard_cases(client, *, runs: int, profiled) -> list[dict]:
    """The counsellor's dashboard; for information, the same without parallel query and a
    coordinator's."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    cases = [
        measure(
            "dashboard",
            "Tableau de bord du conseiller",
            getter(client, reverse("learners_dashboard")),
            runs=runs,
            profile=profiled("dashboard"),
        )
    ]
    # For information: the same without PostgreSQL's parallel query (on a loaded 2-core
    # machine, starting and waiting for parallel workers costs more than they save).
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    try:
        no_parallel = measure(
            "dashboard_no_parallel",
            "  idem, max_parallel_workers_per_gather=0",
            getter(client, reverse("learners_dashboard")),
            runs=runs,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
    no_parallel["informative"] = True
    cases.append(no_parallel)
    # For information: a coordinator's dashboard covers the whole network.
    network = Client()
    coordinator = get_user_model().objects.get(username="coordination-bench")
    otp_verified_login(network, coordinator)
    coordination = measure(
        "dashboard_coordinator",
        "  idem, coordination (tout le réseau)",
        lambda i: network.get(reverse("learners_dashboard"), secure=True),
        runs=runs,
    )
    coordination["informative"] = True
    cases.append(coordination)
    return cases


def sheet_cases(client, *, user, sessions: list, runs: int, profiled) -> list[dict]:
    """The attendance sheet shown, saved (one bench session per save), shown once saved."""
    from django.urls import reverse

    load_session = sessions[0]
    cases = [
        measure(
            "sheet_load",
            f"Feuille de présence ({PEOPLE_PER_SHEET} inscrits), affichage",
            getter(client, reverse("learners_attendance_sheet", args=[load_session.pk])),
            runs=runs,
            profile=profiled("sheet_load"),
        )
    ]
    save_targets = sessions[1:]
    posts = [
        (
            reverse("learners_attendance_sheet", args=[s.pk]),
            sheet_post_data(user=user, session_id=s.pk, variant=n),
        )
        for n, s in enumerate(save_targets)
    ]
    cases.append(
        measure(
            "sheet_save",
            f"Feuille de présence, enregistrement ({PEOPLE_PER_SHEET} pers.)",
            lambda i: client.post(posts[i][0], posts[i][1], secure=True),
            runs=runs,
            profile=profiled("sheet_save"),
            expect=302,
        )
    )
    cases.append(
        measure(
            "sheet_load_saved",
            "Feuille de présence enregistrée, affichage",
            getter(client, posts[0][0]),
            runs=runs,
            profile=profiled("sheet_load_saved"),
        )
    )
    return cases


def carnet_case(*, user, subjects: dict, runs: int, profiled) -> dict:
    """The public carnet, opened with a code issued by the counsellor; checks that it shows
    the person."""
    from django.test import Client
    from django.urls import reverse

    from learners.codes import code_format
    from learners.models import Learner
    from learners.services import carnet_issue

    learner = Learner.objects.get(pk=subjects["carnet_learner_id"])
    code = carnet_issue(user=user, learner=learner)
    public = Client()
    opened = public.post(reverse("carnet"), {"code": code_format(code).lower()}, secure=True)
    if opened.status_code != 303:
        raise RuntimeError(f"carnet code POST: HTTP {opened.status_code}")
    carnet_url = reverse("carnet")
    case = measure(
        "carnet",
        "Carnet de progression (public)",
        lambda i: public.get(carnet_url, secure=True),
        runs=runs,
        profile=profiled("carnet"),
    )
    html = public.get(carnet_url, secure=True).content.decode()
    if learner.first_name not in html:
        raise RuntimeError("the carnet page does not show the person's first name")
    return case


def explain_slowest(cases: list[dict], *, always: bool) -> None:
    """EXPLAIN ANALYZE the slowest queries of each case that missed its target (of every
    case with `always`), then drop the captured queries."""
    for case in cases:
        if case.get("informative"):
            continue
        if always or not case["met"]:
            log(f"  EXPLAIN ANALYZE of the slowest queries of {case['key']}")
            case["explain"] = explain(case, case["_queries"])
    for case in cases:
        case.pop("_queries", None)


def cases_measure(args: argparse.Namespace, *, user, subjects: dict, sessions: list):
    """Every case, in the report's order; returns them and the Python reference taken
    before them."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)

    def profiled(key):
        return key in args.profile

    runs = args.runs
    reference_before = python_reference_ms()
    log(f"measuring (Python reference: {reference_before} ms)")
    cases = dashboard_cases(client, runs=runs, profiled=profiled)
    cases += sheet_cases(client, user=user, sessions=sessions, runs=runs, profiled=profiled)
    cases.append(
        measure(
            "person",
            "Page d'une personne",
            getter(client, reverse("learners_person_detail", args=[subjects["person_id"]])),
            runs=runs,
            profile=profiled("person"),
        )
    )
    cases.append(carnet_case(user=user, subjects=subjects, runs=runs, profiled=profiled))
    explain_slowest(cases, always=args.explain)
    return cases, reference_before


def bench_cleanup(activity: dict) -> None:
    """Remove the bench sessions and give the people back their last activity."""
    from learners.models import Learner

    removed = bench_sessions_remove()
    Learner.objects.bulk_update(
        [Learner(pk=pk, last_activity_at=at) for pk, at in activity.items()],
        ["last_activity_at"],
    )
    log(f"cleaned up: {removed}")


def results_write(data: dict, *, output: str) -> None:
    text = report_text(data)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{output}.txt").write_text(text)
    (RESULTS / f"{output}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    log(f"wrote {RESULTS / output}.txt and .json")


def main() -> None:
    args = arguments()
    meta = database_ready(args)
    cache = django_setup(args.db)
    static_collect()
    vacuumed = vacuum_if_needed()
    left = bench_sessions_remove()
    if left["sessions"]:
        log(f"removed {left} left by an interrupted run")
    subjects = subjects_picked()
    user = subjects["counsellor"].user
    guides = ensure_guides()
    save_sessions = args.runs + 3  # warm-up, timed runs, captured, profiled
    log(f"creating {save_sessions + 1} bench sessions of {PEOPLE_PER_SHEET} people")
    sessions, _sheet_people, activity = bench_sessions_create(
        subjects=subjects, count=save_sessions + 1
    )
    try:
        cases, reference_before = cases_measure(
            args, user=user, subjects=subjects, sessions=sessions
        )
    finally:
        bench_cleanup(activity)

    data = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()}",
        "python_reference_ms": [reference_before, python_reference_ms()],
        "database": meta,
        "cache": cache,
        "vacuumed": vacuumed,
        "runs": args.runs,
        "guides": guides,
        "subjects": {
            **{k: v for k, v in subjects.items() if k != "counsellor"},
            "counsellor": user.username,
            "load_session_id": sessions[0].pk,
        },
        "cases": cases,
    }
    results_write(data, output=args.output)


if __name__ == "__main__":
    main()
