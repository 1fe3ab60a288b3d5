"""Benchmark of the coordinator's statistics dashboard at national scale.

Target: the coordinator dashboard for one year, unfiltered and filtered by a commune,
under 1 s server time (median of 10 runs) on 1,000,000 people / 10,000,000 attendances.

One run, on 127.0.0.1 only:
1. reuses the database made by `bench/generate_national.py` when it has the requested
   scale (table `bench_national_meta`), else generates it (about 10 minutes at scale 1);
2. refreshes the pre-computed statistics as the nightly job does
   (`learners.statistics.snapshots.snapshots_refresh`) and times it;
3. for the last complete calendar year, measures (median, min, max of `--runs` runs after
   one warm-up) the dashboard as the view computes it (`statistics_dashboard`: snapshot
   or live figures, then suppression), unfiltered, filtered by the commune of residence
   with the most people, by the largest commune still computed live (the worst live case)
   and by a typical commune (the median of the communes with people); and, for
   information, the live computation alone (`statistics_compute_for_scope`, what the
   snapshots avoid): one run unfiltered, 3 runs for the largest commune, `--runs` for the
   others; the first live run of each case
   also records each SQL query's time;
4. prints a table and writes bench/results/statistics.txt and statistics.json.

Usage: `.venv/bin/python bench/statistics.py [--scale 1] [--db pasapas_national]
[--runs 10] [--regenerate] [--skip-refresh] [--render-only]`. PostgreSQL on
127.0.0.1:5432 (user postgres, trust auth).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `statistics`: take its folder off the path
# (Python put it first) so `import statistics` anywhere means the standard library, and
# load the generator from its file.
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

_spec = importlib.util.spec_from_file_location(
    "generate_national", BENCH_DIR / "generate_national.py"
)
gen = importlib.util.module_from_spec(_spec)
sys.modules["generate_national"] = gen
_spec.loader.exec_module(gen)

ROOT = gen.ROOT
RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 1.0


# Shared with the generator (and the other benchmarks).
log = gen.log
load_average = gen.load_average


class QueryTimer:
    """Records (seconds, sql) of every query run through the Django connection."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql))


def timed_runs(function, runs: int) -> dict:
    function()  # warm-up (caches, plans)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": runs,
        "load": load_average(),
    }


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default=gen.DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--skip-refresh",
        action="store_true",
        help="use the snapshots already stored (fresh) and the last refresh's timing",
    )
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite statistics.txt from the JSON"
    )
    return parser.parse_args()


def database_ready(args: argparse.Namespace) -> dict:
    """The generator's database at the requested scale (reused when it has it); returns
    what the generator recorded."""
    meta = None if args.regenerate else gen.meta_read(args.db)
    if meta is None or abs(float(meta["scale"]) - args.scale) > 1e-9:
        log(f"generating database {args.db} at scale {args.scale}")
        meta = gen.generate(scale=args.scale, db=args.db)
    else:
        log(f"reusing database {args.db} ({meta['counts']})")
        gen.django_setup(args.db)
    return meta


def communes_by_people() -> list[dict]:
    """The communes of residence with their number of people, most first."""
    from django.db.models import Count

    from learners.models import Learner

    return list(
        Learner.objects.filter(commune__isnull=False)
        .values("commune_id", "commune__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )


def live_boundary(communes: list[dict], *, year: int, scope) -> dict:
    """The largest commune still computed live (the worst live case): binary search over the
    communes sorted by people, most first (heavy ones first, then light ones)."""
    from learners.selectors.statistics import StatisticsFilters
    from learners.statistics import snapshots

    def heavy(commune) -> bool:
        filters = StatisticsFilters.year(year, commune_code=commune["commune_id"])
        return snapshots.live_is_heavy(scope=scope, filters=filters)

    low, high = 0, len(communes) - 1
    while low < high:
        middle = (low + high) // 2
        if heavy(communes[middle]):
            low = middle + 1
        else:
            high = middle
    return communes[low]


def snapshots_refreshed(args: argparse.Namespace) -> tuple[int, float]:
    """Refresh the pre-computed statistics as the nightly job does (or, with
    --skip-refresh, keep the last refresh's figures); returns their number and seconds."""
    from learners.statistics import snapshots

    previous = RESULTS / "statistics.json"
    if args.skip_refresh and previous.exists():
        last = json.loads(previous.read_text(encoding="utf-8"))["refresh"]
        refreshed, refresh_seconds = last["snapshots"], last["seconds"]
        log(f"keeping the snapshots of the last refresh ({refreshed} in {refresh_seconds} s)")
    else:
        log("refreshing the pre-computed statistics (nightly job)")
        started = time.perf_counter()
        refreshed = snapshots.snapshots_refresh()
        refresh_seconds = time.perf_counter() - started
        log(f"  {refreshed} snapshots in {refresh_seconds:.1f} s")
    return refreshed, refresh_seconds


def cases_build(year: int, *, largest: dict, boundary: dict, typical: dict) -> list[tuple]:
    """(key, label, filters) of the measured cases."""
    from learners.selectors.statistics import StatisticsFilters

    return [
        ("unfiltered", "Sans filtre", StatisticsFilters.year(year)),
        (
            "commune_largest",
            f"Commune de résidence la plus peuplée ({largest['commune__name']}, "
            f"{largest['n']} personnes)",
            StatisticsFilters.year(year, commune_code=largest["commune_id"]),
        ),
        (
            "commune_live_max",
            f"Plus grande commune calculée en direct ({boundary['commune__name']}, "
            f"{boundary['n']} personnes)",
            StatisticsFilters.year(year, commune_code=boundary["commune_id"]),
        ),
        (
            "commune_typical",
            f"Commune médiane ({typical['commune__name']}, {typical['n']} personnes)",
            StatisticsFilters.year(year, commune_code=typical["commune_id"]),
        ),
    ]


def case_measure(key: str, label: str, filters, *, coordinator, scope, runs: int) -> dict:
    """The dashboard, then the live computation (its first run with each query's time)."""
    from django.db import connection

    from learners.selectors.statistics import statistics_compute_for_scope
    from learners.statistics.dashboard import statistics_dashboard

    log(f"{label}: dashboard")
    dashboard = timed_runs(
        lambda f=filters: statistics_dashboard(user=coordinator, filters=f), runs
    )
    from_snapshot = statistics_dashboard(user=coordinator, filters=filters).from_snapshot
    log(f"{label}: live computation")
    timer = QueryTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        data = statistics_compute_for_scope(scope=scope, filters=filters)
    timer.seconds = time.perf_counter() - started
    if key == "unfiltered":
        # Only for information (the dashboard reads the snapshot): the run above.
        live = {
            "median": timer.seconds,
            "min": timer.seconds,
            "max": timer.seconds,
            "runs": 1,
            "load": load_average(),
        }
    else:
        live = timed_runs(
            lambda f=filters: statistics_compute_for_scope(scope=scope, filters=f),
            runs if key != "commune_largest" else max(1, min(runs, 3)),
        )
    slowest = sorted(timer.queries, reverse=True)[:6]
    log(
        f"  dashboard median {dashboard['median'] * 1000:.0f} ms "
        f"({'snapshot' if from_snapshot else 'live'}); live median "
        f"{live['median'] * 1000:.0f} ms in {len(timer.queries)} queries"
    )
    return {
        "key": key,
        "label": label,
        "filters": filters.as_dict(),
        "dashboard": dashboard,
        "dashboard_from_snapshot": from_snapshot,
        "live": live,
        "queries": len(timer.queries),
        "people": data["people"],
        "presences": data["presences"],
        "slowest_queries": [{"seconds": round(t, 3), "sql": sql[:300]} for t, sql in slowest],
    }


def results_write(payload: dict) -> None:
    text = render_text(payload)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "statistics.txt").write_text(text, encoding="utf-8")
    (RESULTS / "statistics.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8"
    )


def main() -> None:
    args = arguments()
    if args.render_only:
        payload = json.loads((RESULTS / "statistics.json").read_text(encoding="utf-8"))
        (RESULTS / "statistics.txt").write_text(render_text(payload), encoding="utf-8")
        return

    meta = database_ready(args)
    from django.contrib.auth import get_user_model

    from learners.selectors.statistics import SCOPE_NETWORK, StatisticsScope

    coordinator = get_user_model().objects.get(username="coordination-bench")
    year = datetime.date.fromisoformat(meta["last_day"]).year - 1
    communes = communes_by_people()
    largest = communes[0]
    typical = communes[len(communes) // 2]
    scope = StatisticsScope(level=SCOPE_NETWORK)
    boundary = live_boundary(communes, year=year, scope=scope)
    refreshed, refresh_seconds = snapshots_refreshed(args)
    cases = cases_build(year, largest=largest, boundary=boundary, typical=typical)
    results = [
        case_measure(key, label, filters, coordinator=coordinator, scope=scope, runs=args.runs)
        for key, label, filters in cases
    ]
    results_write(
        {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": (
                f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()}"
            ),
            "db": args.db,
            "runs": args.runs,
            "meta": meta,
            "year": year,
            "refresh": {"snapshots": refreshed, "seconds": round(refresh_seconds, 2)},
            "results": results,
            "cpu_count": os.cpu_count(),
        }
    )


def render_text(payload: dict) -> str:
    meta = payload["meta"]
    refresh = payload["refresh"]
    lines = [
        "Statistics dashboard benchmark",
        f"Date: {payload.get('date', '?')}",
        f"Machine: {payload.get('machine', '?')}",
        f"Database: {payload.get('db', '?')}, scale {meta['scale']}: {meta['counts']}",
        f"Generated by bench/generate_national.py in {meta['seconds']:.0f} s "
        f"(streaming {meta['seconds_streaming']:.0f} s, then indexes and VACUUM ANALYZE)",
        f"Data from {meta['first_day']} to {meta['last_day']}; measured year: {payload['year']}",
        f"Nightly refresh of the pre-computed statistics: {refresh['snapshots']} snapshots in "
        f"{refresh['seconds']:.1f} s",
        f"Target: dashboard median < {TARGET_SECONDS:.0f} s (median of {payload.get('runs', 10)} "
        "runs after a warm-up); 'live' is the computation without snapshots, for information",
        "",
        f"{'case':<62} {'dashboard':>12} {'source':>9} {'live':>10} {'queries':>8}  load",
    ]
    for r in payload["results"]:
        lines.append(
            f"{r['label'][:62]:<62} {r['dashboard']['median'] * 1000:>9.0f} ms "
            f"{'snapshot' if r['dashboard_from_snapshot'] else 'live':>9} "
            f"{r['live']['median'] * 1000:>7.0f} ms {r['queries']:>8}  {r['dashboard']['load']}"
        )
    lines.append("")
    for r in payload["results"]:
        lines.append(f"Slowest live queries, {r['label']}:")
        for q in r["slowest_queries"]:
            lines.append(f"  {q['seconds'] * 1000:8.0f} ms  {q['sql'][:110]}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
