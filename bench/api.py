"""Benchmark of the read API's activity records and statistics at national scale.

Targets (issue 15): a page of 100 activity records in under 50 ms server time whatever the
cursor position; a full incremental sync streaming at least 20,000 records per second
with flat memory.

One run, on 127.0.0.1 only:
1. reuses the database made by `bench/generate_national.py` at the requested scale (or runs
   it), then applies this branch's migrations to it (`migrate`: the sync indexes of
   `learners/migrations/0013_activity_sync_indexes.py`, built CONCURRENTLY) and VACUUMs
   the big tables when they were just loaded (as `bench/tracking.py` does);
2. configures Django with the production settings (as `bench/tracking.py`: bench-only
   SECRET_KEY, Redis cache when it answers) and creates two API clients with the scopes
   `activites` and `statistiques` and a rate limit high enough for the sync: one for the
   network, one bound to the structure with the most sessions;
3. measures through Django's test `Client` (the whole middleware stack, the key check,
   the rate limit and the audit row of every call), after one warm-up, `--runs` runs
   (default 20) of each case, with the CPU time of this process and of its PostgreSQL
   backend, then one more run with the SQL queries captured:
   - `first`: the first page of 100 records (network key);
   - `middle`, `near_end`: the page of 100 after the record at 50 % and at 99 % of the
     (modification, id) order, through the opaque cursor the API hands out;
   - `since_yesterday`: the first page of 100 with `filter[modification][depuis]` one day
     before the latest modification (the generator stamps each session with its start);
   - `structure_first`: the first page of 100 for the structure-bound key;
   - `statistics_structure`: /api/v1/statistiques for the bound key, current year (live);
   - `statistics_network`: the same for the network key; a selection too large to
     compute live is read from its stored snapshot, as the dashboard does (computed once
     before the runs when there is none, and that time noted);
4. a full sync: every record from the start, pages of 1,000 following `links.next`, as
   a warehouse does (`--sync-limit N` stops after N records for small runs); records per
   second over the whole walk, and the resident memory (RSS) of the process at the start,
   every 100 pages and at the end (flat memory: the end is within a few MB of the start);
5. removes the API clients, prints a table and writes bench/results/api.txt and api.json.

Usage: `.venv/bin/python bench/api.py [--scale 1] [--db pasapas_national] [--runs 20]
[--sync-limit N] [--output api]`. PostgreSQL on 127.0.0.1:5432 (user postgres, trust).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a `statistics.py`: take this folder off the path (as bench/tracking.py).
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load("generate_national")
tracking = _load("tracking")

RESULTS = gen.ROOT / "bench" / "results"
PAGE_TARGET_MS = 50.0
SYNC_TARGET_ROWS_PER_SECOND = 20_000
SYNC_PAGE = 1000
PAGE = 100
STATISTICS_TARGET_MS = 1000.0
CLIENT_PREFIX = "bench-api"
URL = "/api/v1/activites"
STREAM_URL = "/api/v1/activites/flux"
log = gen.log


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default=gen.DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--stream-only", action="store_true", help="only the NDJSON stream")
    parser.add_argument("--stream-seconds", type=float, default=900.0, help="stream time cap")
    parser.add_argument("--sync-limit", type=int, default=None, help="stop the sync after N")
    parser.add_argument("--output", default="api", help="results file name (no suffix)")
    return parser.parse_args()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    seconds = round(time.perf_counter() - started, 1)
    log(f"migrate ({seconds} s)")
    return seconds


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def clients_create() -> tuple[dict, dict, int]:
    """(network headers, structure headers, structure id): two fresh keys."""
    from django.db.models import Count

    from api.models import ApiClient
    from api.scopes import Scope
    from api.services.clients import api_client_create
    from learners.models import Session, Structure

    ApiClient.objects.filter(name__startswith=CLIENT_PREFIX).delete()
    structure_id = (
        Session.objects.values("structure_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("structure_id", flat=True)[:1]
        .get()
    )
    headers = []
    for suffix, structure in (
        ("network", None),
        ("structure", Structure.objects.get(pk=structure_id)),
    ):
        client, secret = api_client_create(
            name=f"{CLIENT_PREFIX}-{suffix}",
            scopes=[Scope.ACTIVITIES, Scope.STATISTICS],
            created_by=None,
            structure=structure,
            requests_per_minute=1_000_000,
        )
        headers.append({"HTTP_AUTHORIZATION": f"Bearer {client.client_id}:{secret}"})
    return headers[0], headers[1], structure_id


def clients_remove() -> None:
    from api.models import ApiClient

    ApiClient.objects.filter(name__startswith=CLIENT_PREFIX).delete()


def cursor_at(fraction: float) -> tuple[str, int]:
    """The API's cursor after the record at `fraction` of the (modification, id) order, and
    that position (found once with OFFSET, outside the timed runs)."""
    from django.db import connection

    from api.pagination import Cursor, cursor_encode

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM learners_session")
        total = cursor.fetchone()[0]
        position = min(total - 1, int(total * fraction))
        cursor.execute(
            "SELECT updated_at, id FROM learners_session ORDER BY updated_at, id OFFSET %s LIMIT 1",
            [position],
        )
        modified, pk = cursor.fetchone()
    return cursor_encode(Cursor(modified, pk)), position


def last_day() -> tuple[str, int]:
    """`filter[modification][depuis]` one day before the latest modification (the data set
    stamps each session with its start, so this is a day's activity, as a nightly sync
    reads it), and how many records that is."""
    from django.db.models import Max

    from learners.models import Session

    latest = Session.objects.aggregate(latest=Max("updated_at"))["latest"]
    since = latest - datetime.timedelta(days=1)
    return since.isoformat(), Session.objects.filter(updated_at__gte=since).count()


def measure(key: str, label: str, request, *, runs: int, target_ms: float) -> dict:
    """`tracking.measure`'s method (warm-up, timed runs with CPU of both processes, one
    captured run) with this benchmark's target; also the number of records per page."""
    result = tracking.measure(key, label, request, runs=runs)
    result.pop("_queries", None)
    result["target_ms"] = target_ms
    result["met"] = result["median_ms"] < target_ms
    response = request(0)
    body = json.loads(response.content)
    result["records"] = len(body["data"]) if isinstance(body.get("data"), list) else None
    return result


def page_cases(client, network: dict, bound: dict, *, runs: int) -> list[dict]:
    middle, middle_at = cursor_at(0.5)
    near_end, near_end_at = cursor_at(0.99)
    since, since_records = last_day()
    cases = [
        ("first", "first page", {}, network),
        ("middle", f"page after record {middle_at} (50 %)", {"page[after]": middle}, network),
        (
            "near_end",
            f"page after record {near_end_at} (99 %)",
            {"page[after]": near_end},
            network,
        ),
        (
            "since_yesterday",
            f"first page since the last day ({since_records} records)",
            {"filter[modification][depuis]": since},
            network,
        ),
        ("structure_first", "first page, structure-bound key", {}, bound),
    ]
    results = []
    for key, label, params, headers in cases:
        params = {"page[size]": PAGE, **params}

        def request(i, params=params, headers=headers):
            return client.get(URL, params, secure=True, **headers)

        results.append(measure(key, label, request, runs=runs, target_ms=PAGE_TARGET_MS))
    return results


def snapshot_ensure(scope, year: int) -> float | None:
    """When this selection is too large to compute live, its snapshot (as the nightly job
    or a worker makes it), computed here once before the runs; seconds if computed."""
    from learners.selectors.statistics import StatisticsFilters
    from learners.statistics import snapshots

    filters = StatisticsFilters.year(year)
    if not snapshots.live_is_heavy(scope=scope, filters=filters):
        return None
    if snapshots.snapshot_find(scope=scope, filters=filters) is not None:
        return None
    log(f"computing the snapshot {scope} {year} (the nightly job's or a worker's work)")
    started = time.perf_counter()
    snapshots.snapshot_compute(scope=scope, filters=filters)
    return round(time.perf_counter() - started, 1)


def statistics_cases(
    client, network: dict, bound: dict, *, structure_id: int, runs: int
) -> tuple[list, dict]:
    from learners.selectors.statistics import SCOPE_NETWORK, SCOPE_STRUCTURE, StatisticsScope

    year = datetime.date.today().year
    results, computed = [], {}
    for key, label, headers, scope in (
        (
            "statistics_structure",
            f"statistics {year}, structure-bound key",
            bound,
            StatisticsScope(level=SCOPE_STRUCTURE, structure_id=structure_id),
        ),
        (
            "statistics_network",
            f"statistics {year}, network",
            network,
            StatisticsScope(level=SCOPE_NETWORK),
        ),
    ):
        computed[key] = snapshot_ensure(scope, year)

        def request(i, headers=headers):
            return client.get("/api/v1/statistiques", secure=True, **headers)

        results.append(
            measure(key, label, request, runs=max(3, runs // 4), target_ms=STATISTICS_TARGET_MS)
        )
    return results, {"snapshot_computed_seconds": computed}


def full_sync(client, headers: dict, *, limit: int | None) -> dict:
    """Every record from the start in pages of 1,000, following links.next."""
    from django.db import reset_queries

    rss = [rss_mb()]
    pid = tracking.backend_pid()
    db_cpu_before = tracking.cpu_ns(pid)
    load_before = gen.load_average()
    log(f"full sync: pages of {SYNC_PAGE}, RSS at start {rss[0]} MB")
    url, params = URL, {"page[size]": SYNC_PAGE}
    rows = pages = 0
    started = time.perf_counter()
    cpu_before = time.process_time()
    while url:
        response = client.get(url, params, secure=True, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"sync page {pages}: HTTP {response.status_code}")
        body = json.loads(response.content)
        rows += len(body["data"])
        pages += 1
        next_link = body["links"].get("next")
        url, params = (
            (next_link.replace("https://testserver", ""), None)
            if next_link
            else (
                None,
                None,
            )
        )
        reset_queries()
        if pages % 100 == 0:
            rss.append(rss_mb())
            rate = rows / (time.perf_counter() - started)
            log(f"  {rows} records, {rate:,.0f}/s, RSS {rss[-1]} MB")
        if limit is not None and rows >= limit:
            break
    seconds = time.perf_counter() - started
    cpu_python = time.process_time() - cpu_before
    cpu_db = (tracking.cpu_ns(pid) - db_cpu_before) / 1e9
    rss.append(rss_mb())
    rate = rows / seconds if seconds else 0.0
    result = {
        "key": "full_sync",
        "records": rows,
        "pages": pages,
        "page_size": SYNC_PAGE,
        "seconds": round(seconds, 1),
        "records_per_second": round(rate),
        "cpu_python_seconds": round(cpu_python, 1),
        "cpu_db_seconds": round(cpu_db, 1),
        # What the sync costs in CPU (this process + its PostgreSQL backend): the rate it
        # would reach if it did not wait for a CPU on this shared machine.
        "records_per_cpu_second": round(rows / (cpu_python + cpu_db)) if rows else 0,
        "load_before": load_before,
        "load_after": gen.load_average(),
        "rss_mb_start": rss[0],
        "rss_mb_end": rss[-1],
        "rss_mb_peak_sampled": max(rss),
        "rss_mb_samples": rss,
        "complete": limit is None or rows < limit,
        "target_records_per_second": SYNC_TARGET_ROWS_PER_SECOND,
        "met": rate >= SYNC_TARGET_ROWS_PER_SECOND,
    }
    log(
        f"  {rows} records in {seconds:.1f} s: {rate:,.0f} records/s, RSS {rss[0]} → "
        f"{rss[-1]} MB (peak sampled {max(rss)} MB)"
    )
    return result


def stream_sync(client, headers: dict, *, since: str | None, max_seconds: float) -> dict:
    """/activites/flux read to its end (or for `max_seconds`), line by line, as a warehouse
    does: what is measured is Django's whole WSGI answer (middleware, key check, audit, the
    generator's bytes) consumed by the test Client in this process, not a socket. Records
    per second from the request to the last line; time to the first byte apart (PostgreSQL
    builds the hash aggregates of the whole selection before its first row)."""
    rss = [rss_mb()]
    pid = tracking.backend_pid()
    db_cpu_before = tracking.cpu_ns(pid)
    load_before = gen.load_average()
    params = {"filter[modification][depuis]": since} if since else {}
    started = time.perf_counter()
    cpu_before = time.process_time()
    response = client.get(STREAM_URL, params, secure=True, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"stream: HTTP {response.status_code}")
    rows = size = 0
    first = None
    complete = False
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        rows += chunk.count(b"\n")
        if rows % 200_000 < chunk.count(b"\n"):
            rss.append(rss_mb())
            log(f"  stream: {rows} lines, RSS {rss[-1]} MB")
        if chunk.startswith(b'{"meta"') or b'\n{"meta"' in chunk:
            complete = True
        if time.perf_counter() - started > max_seconds:
            break
    response.close()
    seconds = time.perf_counter() - started
    cpu_python = time.process_time() - cpu_before
    cpu_db = (tracking.cpu_ns(pid) - db_cpu_before) / 1e9
    rss.append(rss_mb())
    records = rows - 1 if complete else rows
    rate = records / seconds if seconds else 0.0
    return {
        "key": "stream_since_yesterday" if since else "stream_full",
        "records": records,
        "bytes": size,
        "seconds": round(seconds, 1),
        "first_byte_seconds": round(first or 0.0, 1),
        "records_per_second": round(rate),
        "records_per_second_after_first_byte": round(records / (seconds - (first or 0.0)))
        if records and seconds > (first or 0.0)
        else 0,
        "cpu_python_seconds": round(cpu_python, 1),
        "cpu_db_seconds": round(cpu_db, 1),
        "load_before": load_before,
        "load_after": gen.load_average(),
        "rss_mb_start": rss[0],
        "rss_mb_end": rss[-1],
        "rss_mb_peak_sampled": max(rss),
        "complete": complete,
        "target_records_per_second": SYNC_TARGET_ROWS_PER_SECOND,
        "met": complete and rate >= SYNC_TARGET_ROWS_PER_SECOND,
    }


def render_stream(results: list[dict]) -> str:
    lines = ["/api/v1/activites/flux (NDJSON stream), national scale, through Django's test Client"]
    for r in results:
        lines.append(
            f"{r['key']}: {r['records']:,} records ({r['bytes']:,} bytes) in {r['seconds']} s "
            f"(first byte after {r['first_byte_seconds']} s) = {r['records_per_second']:,} "
            f"records/s, {r['records_per_second_after_first_byte']:,}/s after the first byte; "
            f"{'complete' if r['complete'] else 'STOPPED at the time cap'}; target "
            f"{r['target_records_per_second']:,}: {'met' if r['met'] else 'MISSED'}"
        )
        lines.append(
            f"  CPU {r['cpu_python_seconds']} s app + {r['cpu_db_seconds']} s PostgreSQL; RSS "
            f"{r['rss_mb_start']} → {r['rss_mb_end']} MB (peak sampled {r['rss_mb_peak_sampled']}"
            f" MB); load average {r['load_before']} before, {r['load_after']} after"
        )
    return "\n".join(lines) + "\n"


def stream_main(args) -> None:
    """`--stream-only`: the stream cases alone, written to bench/results/api_stream.*."""
    tracking.database_ready(args)
    tracking.django_setup(args.db)
    from django.test import Client

    network, _bound, _structure = clients_create()
    client = Client()
    try:
        since, _ = last_day()
        results = [stream_sync(client, network, since=since, max_seconds=args.stream_seconds)]
        results.append(stream_sync(client, network, since=None, max_seconds=args.stream_seconds))
    finally:
        clients_remove()
    text = render_stream(results)
    (RESULTS / "api_stream.txt").write_text(text)
    (RESULTS / "api_stream.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(text)


def render_text(data: dict) -> str:
    lines = [
        "Read API at national scale (bench/api.py)",
        f"{data['date']} · {data['machine']}",
        f"database {data['database_name']}: {data['database'].get('counts')}",
        f"sessions (activity records): {data['records_total']:,}",
        "",
        f"{'case':<48} {'median':>8} {'p90':>8} {'CPU':>8} {'SQL':>4} {'rows':>5} target",
    ]
    for case in data["cases"]:
        lines.append(
            f"{case['label']:<48} {case['median_ms']:>6.1f}ms {case['p90_ms']:>6.1f}ms "
            f"{case['cpu_median_ms']:>6.1f}ms {case['queries']:>4} "
            f"{case['records'] if case['records'] is not None else '-':>5} "
            f"< {case['target_ms']:.0f} ms {'met' if case['met'] else 'MISSED'}"
        )
    sync = data["full_sync"]
    lines += [
        "",
        f"full sync: {sync['records']:,} records in {sync['pages']:,} pages of "
        f"{sync['page_size']} in {sync['seconds']} s = {sync['records_per_second']:,} "
        f"records/s (target ≥ {sync['target_records_per_second']:,}: "
        f"{'met' if sync['met'] else 'MISSED'}){'' if sync['complete'] else ' (limited run)'}",
        f"CPU: {sync['cpu_python_seconds']} s Python + {sync['cpu_db_seconds']} s PostgreSQL = "
        f"{sync['records_per_cpu_second']:,} records per CPU second; load average "
        f"{sync['load_before']} before, {sync['load_after']} after",
        f"memory (RSS of the process): start {sync['rss_mb_start']} MB, end "
        f"{sync['rss_mb_end']} MB, peak sampled every 100 pages {sync['rss_mb_peak_sampled']} MB",
        "",
        "Times: Django test Client in this process (middleware, key check, rate limit, audit",
        "row, view, JSON), production settings; CPU = this process + its PostgreSQL backend.",
        f"Load average before/after each case is in {data['output']}.json.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = arguments()
    if args.stream_only:
        stream_main(args)
        return
    meta = tracking.database_ready(args)
    cache = tracking.django_setup(args.db)
    migrated = migrate()
    vacuumed = tracking.vacuum_if_needed()
    from django.test import Client

    from learners.models import Session

    network, bound, structure_id = clients_create()
    client = Client()
    try:
        records_total = Session.objects.count()
        cases = page_cases(client, network, bound, runs=args.runs)
        stats, stats_meta = statistics_cases(
            client, network, bound, structure_id=structure_id, runs=args.runs
        )
        sync = full_sync(client, network, limit=args.sync_limit)
    finally:
        clients_remove()
    data = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()}",
        "database_name": args.db,
        "database": meta,
        "cache": cache,
        "migrate_seconds": migrated,
        "vacuumed": vacuumed,
        "runs": args.runs,
        "records_total": records_total,
        "structure_id": structure_id,
        "cases": cases + stats,
        "statistics": stats_meta,
        "full_sync": sync,
        "output": args.output,
        "median_of_times": statistics.median([c["median_ms"] for c in cases]),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = render_text(data)
    (RESULTS / f"{args.output}.txt").write_text(text)
    (RESULTS / f"{args.output}.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    print(text)


if __name__ == "__main__":
    main()
