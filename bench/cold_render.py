"""Benchmark of the cold render of a guide, and of a worker's first pages (issue 17).

« Cold » is what a reader gets right after a publication: every publication bumps the
publication version (caching/versions.py), so in every worker the page cache, the render
cache of fragments, the memos (navigation, breadcrumbs, footer, remembered routing) all
miss at once. What a publication does not reset stays warm, as it would in a real worker:
imported code, compiled templates, the database connection, renditions already generated.
The benchmark reproduces exactly that by bumping the publication version before every
request (gunicorn's `pre_request` hook, bench/cold_gunicorn.py), with the page cache off.

One run, on 127.0.0.1 only (PostgreSQL database `pasapas_bench_cold`, Redis db 11, port
8231, so it runs beside the other benchmarks):
1. recreates and migrates the database (production settings), loads the demo,
   collectstatic (bench/public_pages.py's helpers); `--reuse` skips this step;
2. measures with wrk (2 threads, 8 connections, `--duration` s) the 8-step guide served by
   `gunicorn -w 2` (production settings, Redis cache), with the server's CPU time per
   request (gunicorn workers + PostgreSQL backends, bench/agenda.py's ServerCpu):
   - cold: page cache off, publication bumped before every request;
   - render caches off: page cache off, RENDER_CACHE_SECONDS=0 (memos and routing warm);
   - warm: page cache off, render caches warm (the issue's 640 req/s row);
3. profiles in-process (Django's test client, production settings, same database,
   process CPU time) the SQL queries (count and each statement's shape) and cProfile's
   top functions over 20 renders: cold, then with the render caches off (memos warm);
4. measures the first pages of workers (deploy/gunicorn.conf.py, 2 workers): started
   fresh, the first guide request once a worker answers (a static file polled until it
   does, so nothing of the site is warmed before); then, on running workers, a real
   publication of another guide and the guide's next request, at once and after 3 s
   (each 5 times, median);
5. prints the table and writes bench/results/cold_render.txt and .json (`--label` names
   other files, e.g. `--label before` for cold_render_before.txt).

Usage: `.venv/bin/python bench/cold_render.py [--duration 15] [--keep] [--reuse]
[--label before] [--only rates profile workers] [--db pasapas_bench_cold] [--port 8231]
[--redis-db 11]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# bench/statistics.py would shadow the standard library's module of that name.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module  # not `agenda`: the app of that name
    spec.loader.exec_module(module)
    return module


ag = _load("agenda")
pp = ag.pp  # agenda.py's copy of public_pages: one set of globals (port, database, Redis)

ROOT = pp.ROOT
RESULTS = ROOT / "bench" / "results"
DB_NAME = "pasapas_bench_cold"
PORT = 8231
REDIS_DB = 11
GUIDE = "/fiches-pratiques/creer-une-adresse-e-mail/"
COLD_HOOKS = BENCH_DIR / "cold_gunicorn.py"
PROFILE_RENDERS = 20
FIRST_PAGE_ROUNDS = 5
log = pp.log


def isolate(args: argparse.Namespace) -> None:
    """Our own database, port and Redis database (the helpers read these globals)."""
    global DB_NAME, PORT, REDIS_DB
    DB_NAME, PORT, REDIS_DB = args.db, args.port, args.redis_db
    pp.DB_NAME = ag.DB_NAME = DB_NAME
    pp.PORT = PORT
    pp.BASE_URL = f"http://{pp.HOST}:{PORT}"
    pp.REDIS_URL = f"redis://{pp.HOST}:6379/{REDIS_DB}"


def prepare(env: dict[str, str]) -> None:
    log(f"database {DB_NAME}: drop, create, migrate (production settings)")
    pp.recreate_database()
    pp.flush_redis()
    pp.manage(env, "migrate", "--no-input", "-v0")
    log("demo content (dev settings: the demo app; renditions pre-generated in-process)")
    pp.manage(pp.demo_env(env), "load_demo")
    log("collectstatic")
    pp.manage(env, "collectstatic", "--no-input", "-v0")


class PatientGunicorn(pp.Gunicorn):
    """public_pages' gunicorn, given up to 180 s to answer: on this shared machine, under
    a load of 10 and more, workers have taken more than the helper's 30 s to boot."""

    def __enter__(self):
        deadline = time.monotonic() + 180
        while True:
            try:
                return super().__enter__()
            except SystemExit:
                if time.monotonic() > deadline or (self.process and self.process.poll()):
                    raise
                log("gunicorn slow to answer: waiting longer")
                self._wait_healthz(deadline)
                return self

    def _wait_healthz(self, deadline: float) -> None:
        # The helper stopped the server when giving up: start it again and wait.
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log_file = self.log_path.open("a")
        self.process = subprocess.Popen(
            [str(gunicorn), *self.arguments, "--error-logfile", "-"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{pp.BASE_URL}/healthz", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        self.__exit__(None, None, None)
        sys.exit(f"gunicorn did not answer on {pp.BASE_URL}; see {self.log_path}")


def _gunicorn(env, log_path: Path, extra: list[str], **settings: str) -> pp.Gunicorn:
    server = PatientGunicorn({**env, **settings}, 0, log_path)
    server.arguments = [*server.arguments, *extra]
    return server


def rates(env, args, log_path: Path) -> dict:
    cases = {
        "cold": (["-c", str(COLD_HOOKS)], {}),
        "render_off": ([], {"RENDER_CACHE_SECONDS": "0"}),
        "warm": ([], {}),
    }
    results = {}
    for name, (extra, settings) in cases.items():
        with _gunicorn(env, log_path, extra, **settings) as server:
            pp.check_pages([GUIDE], cache_on=False)
            log(f"wrk {GUIDE} ({name})")
            results[name] = ag.wrk_with_cpu(server, GUIDE, args.duration)
    return results


# Profile --------------------------------------------------------------------------------


def _shape(sql: str) -> str:
    """A statement without its values, to group the queries of one render."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"\(\?(?:, \?)+\)", "(?...)", sql)
    return sql[:160]


def _profiled(client, before_each) -> dict:
    """The queries of one render and cProfile over PROFILE_RENDERS renders, `before_each()`
    called before each (outside the profile)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before_each()
    with CaptureQueriesContext(connection) as captured:
        client.get(GUIDE)
    queries = len(captured.captured_queries)  # before the next request clears the log
    shapes: dict[str, int] = {}
    for query in captured.captured_queries:
        shapes[_shape(query["sql"])] = shapes.get(_shape(query["sql"]), 0) + 1
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    for _ in range(PROFILE_RENDERS):
        before_each()
        profiler.enable()
        client.get(GUIDE)
        profiler.disable()
    cpu_ms = 1000 * (time.process_time() - started) / PROFILE_RENDERS
    text = {}
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
        text[order] = out.getvalue()
    return {
        "queries": queries,
        "query_shapes": sorted(shapes.items(), key=lambda item: -item[1]),
        "cpu_ms_per_render_profiled": round(cpu_ms, 2),
        "profile": text,
    }


def profile(env) -> dict:
    """The cold render (publication bumped before each), then the render caches off
    (RENDER_CACHE_SECONDS=0, memos warm: the `render_off` case of the rates)."""
    ag.django_setup(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from caching import versions

    client = Client(HTTP_HOST=pp.HOST)
    for _ in range(3):  # imports, compiled templates, the connection: warm as in a worker
        if client.get(GUIDE).status_code != 200:
            sys.exit(f"{GUIDE} does not answer 200 in-process")
    result = _profiled(client, lambda: versions.bump(versions.PUBLICATION))
    with override_settings(RENDER_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0):
        for _ in range(3):  # the memos of this publication filled
            client.get(GUIDE)
        result["render_off"] = _profiled(client, lambda: None)
    connection.close()
    return result


# First pages of workers -----------------------------------------------------------------


def _timed_get(path: str) -> float:
    started = time.perf_counter()
    status = pp.fetch(path)[0]
    if status != 200:
        sys.exit(f"{path} answered {status}")
    return round(1000 * (time.perf_counter() - started), 1)


def _wait_static(static_path: str, deadline_s: float = 240) -> float:
    """Seconds until a worker answers a static file (whitenoise: no template, URL or
    database is touched), i.e. until a worker accepts requests."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        try:
            with urllib.request.urlopen(pp.BASE_URL + static_path, timeout=deadline_s):  # noqa: S310
                return round(time.monotonic() - started, 2)
        except OSError:
            time.sleep(0.05)
    sys.exit(f"no worker answered {static_path}")


def _production_server(env, log_path: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "-w",
            "2",
            "-b",
            f"{pp.HOST}:{PORT}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env={**env, "PAGE_CACHE_SECONDS": "0"},
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _static_path() -> str:
    manifest = json.loads((pp.STATIC_ROOT / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/print.css"]


def _publish_other_guide() -> None:
    """A real publication (the editor's path: a new revision published), of a guide other
    than the one measured: every page goes cold, this guide's own state does not change."""
    from workshops.models import GuidePage

    other = GuidePage.objects.live().exclude(url_path__endswith="/creer-une-adresse-e-mail/")
    page = other.order_by("pk").first().specific
    page.save_revision().publish()


def first_pages(env, log_path: Path) -> dict:
    ag.django_setup(env)
    from django.db import connection

    static_path = _static_path()
    boot = []
    for _ in range(FIRST_PAGE_ROUNDS):
        process = _production_server(env, log_path)
        try:
            ready = _wait_static(static_path)
            first = _timed_get(GUIDE)
            second = _timed_get(GUIDE)
        finally:
            _stop(process)
        boot.append({"ready_s": ready, "first_ms": first, "second_ms": second})
        log(f"boot: ready after {ready} s, first guide {first} ms, then {second} ms")
    published = []
    process = _production_server(env, log_path)
    try:
        _wait_static(static_path)
        for _ in range(20):  # both workers warm
            _timed_get(GUIDE)
        for _ in range(FIRST_PAGE_ROUNDS):
            row = {"warm_ms": _timed_get(GUIDE)}
            _publish_other_guide()
            row["at_once_ms"] = _timed_get(GUIDE)
            row["at_once_next_ms"] = _timed_get(GUIDE)
            _publish_other_guide()
            time.sleep(3)
            row["after_3s_ms"] = _timed_get(GUIDE)
            row["after_3s_next_ms"] = _timed_get(GUIDE)
            published.append(row)
            log(f"publication: {row}")
    finally:
        _stop(process)
        connection.close()

    def median(rows, key):
        return round(statistics.median(row[key] for row in rows), 1)

    return {
        "boot": boot,
        "publication": published,
        "medians": {
            "boot_ready_s": median(boot, "ready_s"),
            "boot_first_ms": median(boot, "first_ms"),
            "boot_second_ms": median(boot, "second_ms"),
            **{f"publication_{key}": median(published, key) for key in published[0]},
        },
    }


# Report ---------------------------------------------------------------------------------


def report(data: dict) -> str:
    lines = [
        "Pas à pas – cold render of the 8-step guide and first pages of workers (issue 17)",
        f"date {data['date']}  commit {data['commit']}  {data['machine']['cpus']} CPU "
        f"({data['machine']['cpu_model']})  label {data['label']}",
        f"gunicorn 2 workers, production settings, PostgreSQL {DB_NAME}, Redis cache "
        f"{pp.REDIS_URL}, page cache off; wrk -t2 -c8 -d{data['duration_s']}s on {GUIDE}",
        "cold = publication version bumped before every request (bench/cold_gunicorn.py): "
        "what every reader gets right after a publication",
    ]
    if "rates" in data:
        lines += [
            "",
            f"{'case':<18}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'cpu ms/req':>11}"
            f"{'gunicorn':>9}{'pg':>7}{'2-core max/s':>13}{'load':>6}",
        ]
        for name, row in data["rates"].items():
            lines.append(
                f"{name:<18}{row['requests_per_second']:>8.0f}{row['p50_ms']:>8.1f}"
                f"{row['p99_ms']:>8.1f}{row['cpu_ms']:>11.2f}{row['cpu_ms_gunicorn']:>9.2f}"
                f"{row['cpu_ms_postgres']:>7.2f}{row['two_core_projection_per_s'] or 0:>13.0f}"
                f"{row['load_before']:>6.1f}"
                + (f"  NON-2XX {row['non_2xx']}" if row["non_2xx"] else "")
            )
        lines.append(
            "cpu ms/req = server CPU (gunicorn workers + PostgreSQL backends) per request; "
            "2-core max/s = 2000 / cpu ms; load = 1-min load average before the run"
        )
    if "profile" in data:
        prof = data["profile"]
        lines += [
            "",
            f"One cold render in-process: {prof['queries']} SQL queries; "
            f"{prof['cpu_ms_per_render_profiled']} ms CPU per render under cProfile "
            f"({PROFILE_RENDERS} renders)",
            "Queries by shape:",
        ]
        lines += [f"  {count:>3} × {shape}" for shape, count in prof["query_shapes"]]
        lines += ["", "cProfile, by cumulative time:", prof["profile"]["cumulative"]]
        lines += ["cProfile, by own time:", prof["profile"]["tottime"]]
        off = prof.get("render_off")
        if off:
            lines += [
                f"Render caches off in-process (RENDER_CACHE_SECONDS=0, memos warm): "
                f"{off['queries']} SQL queries; {off['cpu_ms_per_render_profiled']} ms CPU per "
                f"render under cProfile ({PROFILE_RENDERS} renders)",
            ]
            lines += [f"  {count:>3} × {shape}" for shape, count in off["query_shapes"]]
            lines += ["", "cProfile, by cumulative time:", off["profile"]["cumulative"]]
            lines += ["cProfile, by own time:", off["profile"]["tottime"]]
    if "first_pages" in data:
        m = data["first_pages"]["medians"]
        lines += [
            "",
            f"First pages (deploy/gunicorn.conf.py, 2 workers, medians of {FIRST_PAGE_ROUNDS}):",
            f"  fresh start: a worker answers after {m['boot_ready_s']} s; first guide "
            f"{m['boot_first_ms']} ms, the next {m['boot_second_ms']} ms",
            f"  running workers, guide before a publication: {m['publication_warm_ms']} ms",
            f"  right after a publication: {m['publication_at_once_ms']} ms, the next "
            f"{m['publication_at_once_next_ms']} ms",
            f"  3 s after a publication: {m['publication_after_3s_ms']} ms, the next "
            f"{m['publication_after_3s_next_ms']} ms",
        ]
    return "\n".join(lines) + "\n"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--keep", action="store_true", help="keep the database and media")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database and media")
    parser.add_argument("--label", default="", help="results file suffix (e.g. before)")
    parser.add_argument("--only", nargs="+", choices=["rates", "profile", "workers"])
    parser.add_argument("--db", default=DB_NAME, help="PostgreSQL database (recreated)")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="Redis database")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    isolate(args)
    started = time.monotonic()
    kept_media = Path(tempfile.gettempdir()) / f"{DB_NAME}-media"
    work = Path(tempfile.mkdtemp(prefix="pasapas-bench-cold-"))
    media_root = kept_media if (args.keep or args.reuse) else work / "media"
    env = pp.base_env(media_root)
    env["DATABASE_URL"] = f"{pp.DB_SERVER}/{DB_NAME}"
    log_path = work / "gunicorn.log"
    try:
        if not args.reuse:
            shutil.rmtree(kept_media, ignore_errors=True)
            prepare(env)
        data = {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": pp.git_commit(),
            "machine": pp.machine(),
            "label": args.label or "-",
            "duration_s": args.duration,
        }
        if args.only is None or "rates" in args.only:
            data["rates"] = rates(env, args, log_path)
        if args.only is None or "profile" in args.only:
            log("profile of cold renders (in-process)")
            data["profile"] = profile(env)
        if args.only is None or "workers" in args.only:
            log("first pages of workers")
            data["first_pages"] = first_pages(env, log_path)
        text = report(data)
        name = "cold_render" + (f"_{args.label}" if args.label else "")
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.txt").write_text(text)
        (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print()
        print(text)
        log(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS}/{name}.txt")
    finally:
        if args.keep or args.reuse:
            log(f"kept database {DB_NAME} and {media_root}; gunicorn log {log_path}")
        else:
            if "django.db" in sys.modules:
                from django.db import connections

                connections.close_all()
            pp.drop_database()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
