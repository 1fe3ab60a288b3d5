"""The public agenda's search at national scale: 6,000 venues and 100,000 upcoming sessions.

One run (everything on 127.0.0.1, PostgreSQL user `postgres`, trust authentication):
1. drops and recreates the database `pasapas_agenda_scale` (`--db`), migrates it and loads
   the real commune list;
2. generates with a seeded random: 1,500 structures; 6,000 active venues in communes
   drawn by population (a third without coordinates of their own: they stand at their
   commune's centre, the others within 2 km of it); 100,000 sessions over the next year
   (45 % permanences, 30 % ateliers, 10 % temps d'échange, 15 % individual appointments;
   the collective ones published, 2 % cancelled, a few unpublished), national themes on
   the ateliers, and 60,000 registrations (attendances « inscrit ») of 5,000 people so the
   places count real rows; then VACUUM ANALYZE;
3. measures in-process, for several communes (dense cities, a mid-sized town, rural
   areas) and filters, the server time of a commune search as the agenda page runs it:
   `commune_lookup` of the text typed + `agenda_search` (venues in the radius, counts,
   the page's sessions and their places), 5 warm-up runs then 40 timed runs each;
   prints and writes the median, p95 and query count to `bench/results/agenda_scale.txt`,
   with the PostgreSQL plans (EXPLAIN ANALYZE) of every query of one search.

Usage: `.venv/bin/python bench/agenda_scale.py [--db NAME] [--keep] [--reuse]` (`--reuse`
skips steps 1-2 when the database already holds the data). Target: under 50 ms median and
p95 for a commune search at the default radius (20 km).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT / "site"), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

HOST = "127.0.0.1"
DB_SERVER = f"postgres://postgres@{HOST}:5432"
DEFAULT_DB = "pasapas_agenda_scale"
RESULTS = ROOT / "bench" / "results" / "agenda_scale.txt"
SEED = 14
VENUES = 6_000
STRUCTURES = 1_500
SESSIONS = 100_000
PEOPLE = 5_000
REGISTRATIONS = 60_000
WARM_UP, RUNS = 5, 40
KINDS = (("permanence", 0.45), ("atelier", 0.30), ("echange", 0.10), ("individuel", 0.15))
# (label, text typed, radius km, filters)
CASES = (
    ("La Roche-sur-Yon, 20 km", "la roche sur yon", 20, {}),
    ("85000 → La Roche-sur-Yon (choisie), 20 km", "85000", 20, {"insee": "85191"}),
    ("Paris 15e, 20 km", "75015", 20, {}),
    ("Paris 15e, 50 km", "75015", 50, {}),
    ("Lyon 3e, 20 km", "69003", 20, {}),
    ("Nantes, 20 km", "nantes", 20, {"insee": "44109"}),
    ("Toulouse, 20 km, page 3", "31000", 20, {"page": 3}),
    ("Lille, 10 km, thématique e-mail", "59000", 10, {"theme": "e-mail"}),
    ("Strasbourg, 20 km, cette semaine", "67000", 20, {"week": True}),
    ("Guéret (rural), 50 km", "gueret", 50, {}),
    ("Brest, 5 km, ateliers", "29200", 5, {"kind": "atelier"}),
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def django_setup(db: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-agenda",
            "DATABASE_URL": f"{DB_SERVER}/{db}",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "CELERY_BROKER_URL": "",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "0",
        }
    )
    import django

    django.setup()


def recreate_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def drop_database(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _pick_kind(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for kind, share in KINDS:
        total += share
        if roll < total:
            return kind
    return KINDS[-1][0]


def _venues_generate(rng: random.Random, structures: list) -> list:
    from learners.models import Commune, Venue

    communes = list(
        Commune.objects.filter(latitude__isnull=False, population__gt=0).values_list(
            "insee_code", "latitude", "longitude", "population", "postal_codes"
        )
    )
    weights = [row[3] for row in communes]
    chosen = rng.choices(communes, weights=weights, k=VENUES)
    venues = []
    for n, (code, lat, lng, _pop, postal) in enumerate(chosen):
        own = rng.random() > 1 / 3
        venues.append(
            Venue(
                structure=structures[n % len(structures)],
                name=f"Lieu {n}",
                address=f"{n} rue de la Mairie",
                postal_code=(postal.split() or ["00000"])[0],
                commune_id=code,
                latitude=lat + rng.uniform(-0.018, 0.018) if own else None,
                longitude=lng + rng.uniform(-0.025, 0.025) if own else None,
                opening_hours="Mo-Fr 09:00-12:00,14:00-17:00",
            )
        )
    return Venue.objects.bulk_create(venues, batch_size=2000)


def _sessions_generate(rng: random.Random, venues: list, now: datetime.datetime) -> None:
    from learners.models import Session
    from workshops.models import Theme

    themes = list(Theme.objects.filter(is_national=True).values_list("pk", flat=True))
    batch, through = [], []
    made = 0
    for n in range(SESSIONS):
        venue = venues[rng.randrange(len(venues))]
        kind = _pick_kind(rng)
        day = now + datetime.timedelta(days=rng.uniform(0.01, 365))
        start = day.replace(hour=rng.choice((9, 10, 14, 15)), minute=0, second=0, microsecond=0)
        collective = kind != "individuel"
        batch.append(
            Session(
                kind=kind,
                title=f"Séance {n}" if kind != "atelier" else f"Atelier {n % 40}",
                structure_id=venue.structure_id,
                venue=venue,
                start=start,
                duration_minutes=120 if collective else 45,
                capacity=rng.choice((6, 8, 10, 12)) if kind == "atelier" else None,
                level="debutant" if kind == "atelier" else "",
                is_published=collective and rng.random() > 0.03,
                cancelled_at=now if collective and rng.random() < 0.02 else None,
            )
        )
        if len(batch) == 5000 or n == SESSIONS - 1:
            created = Session.objects.bulk_create(batch)
            for session in created:
                if session.kind == "atelier" and themes:
                    through.append(
                        Session.themes.through(session_id=session.pk, theme_id=rng.choice(themes))
                    )
            Session.themes.through.objects.bulk_create(through, batch_size=5000)
            made += len(batch)
            batch, through = [], []
    log(f"{made} sessions")


def _registrations_generate(rng: random.Random, structures: list) -> None:
    from common.text import fold
    from learners.models import Attendance, Learner, Session

    people = Learner.objects.bulk_create(
        [
            Learner(
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                normalized_first_name=fold(f"Prénom{n}"),
                normalized_last_name=fold(f"Nom{n}"),
                normalized_name=fold(f"Prénom{n}Nom{n}"),
                structure=structures[n % len(structures)],
                network_id=f"bench{n:08d}",
            )
            for n in range(PEOPLE)
        ],
        batch_size=2000,
    )
    ateliers = list(
        Session.objects.filter(kind="atelier", is_published=True).values_list("pk", flat=True)
    )
    pairs = set()
    while len(pairs) < min(REGISTRATIONS, len(ateliers) * 3):
        pairs.add((rng.choice(ateliers), people[rng.randrange(PEOPLE)].pk))
    Attendance.objects.bulk_create(
        [Attendance(session_id=s, learner_id=p, status="inscrit") for s, p in pairs],
        batch_size=5000,
    )
    log(f"{len(pairs)} registrations")


def generate(db: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from learners.models import Structure

    started = time.monotonic()
    recreate_database(db)
    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    log(f"migrated, communes loaded ({time.monotonic() - started:.0f} s)")
    rng = random.Random(SEED)
    now = datetime.datetime.now(datetime.UTC)
    structures = Structure.objects.bulk_create(
        [Structure(name=f"Structure {n}", kind="association") for n in range(STRUCTURES)]
    )
    venues = _venues_generate(rng, structures)
    log(f"{len(venues)} venues")
    _sessions_generate(rng, venues, now)
    _registrations_generate(rng, structures)
    with connection.cursor() as cursor:
        # As autovacuum leaves a settled table: statistics and the visibility map (the
        # per-venue counts are then answered from the index alone).
        cursor.execute("VACUUM ANALYZE")
    log(f"generated in {time.monotonic() - started:.0f} s")


def _search(text: str, radius: int, options: dict):
    from django.utils import timezone

    from agenda.communes import commune_lookup
    from agenda.forms.search import _period
    from agenda.selectors import AgendaFilters, agenda_search
    from workshops.models import Theme

    lookup = commune_lookup(text=text, insee_code=options.get("insee", ""))
    commune = lookup.commune or (lookup.choices[0] if lookup.choices else None)
    kwargs: dict = {}
    if options.get("theme"):
        kwargs["theme_id"] = Theme.objects.get(slug=options["theme"]).pk
    if options.get("week"):
        kwargs["start_from"], kwargs["start_before"] = _period("semaine", None, timezone.now())
    if options.get("kind"):
        kwargs["kinds"] = (options["kind"],)
    results = agenda_search(
        commune=commune,
        radius_km=radius,
        filters=AgendaFilters(**kwargs),
        page=options.get("page", 1),
    )
    items = list(results.page.object_list)
    return commune, results.page.paginator.count, items


def measure() -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caching import memo

    rows = []
    for label, text, radius, options in CASES:
        for _ in range(WARM_UP):
            _search(text, radius, options)
        timings, cpu = [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            _search(text, radius, options)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        memo.forget()
        _search(text, radius, options)  # the old names of merged communes, once per process
        with CaptureQueriesContext(connection) as queries:
            commune, total, items = _search(text, radius, options)
        timings.sort()
        rows.append(
            {
                "label": label,
                "commune": commune.name if commune else "—",
                "total": total,
                "shown": len(items),
                "queries": len(queries),
                "median": _median(timings),
                "p95": timings[int(len(timings) * 0.95) - 1],
                "cpu": _median(cpu),
                "db": _db_time([q["sql"] for q in queries.captured_queries]),
                "sql": [q["sql"] for q in queries.captured_queries],
            }
        )
        log(f"{label}: median {rows[-1]['median']:.1f} ms, p95 {rows[-1]['p95']:.1f} ms")
    return rows


def _median(values: list[float]) -> float:
    # Not `statistics.median`: bench/statistics.py shadows the standard module here.
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _db_time(sql_list: list[str]) -> float:
    """PostgreSQL's own execution + planning time of the queries (best of 5), in ms."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for sql in sql_list:
            best = float("inf")
            for _ in range(5):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                best = min(best, plan["Execution Time"] + plan["Planning Time"])
            total += best
    return total


def plans(sql_list: list[str]) -> list[str]:
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        for sql in sql_list:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            out.append(sql[:400] + ("…" if len(sql) > 400 else ""))
            out.extend("    " + row[0] for row in cursor.fetchall())
            out.append("")
    return out


def counts() -> str:
    from django.utils import timezone

    from learners.models import Attendance, Session, Venue

    upcoming = Session.objects.filter(start__gt=timezone.now())
    return (
        f"{Venue.objects.count()} venues, {upcoming.count()} upcoming sessions "
        f"({upcoming.filter(is_published=True, cancelled_at__isnull=True).count()} published, "
        f"not cancelled), {Attendance.objects.count()} registrations"
    )


def report(rows: list[dict], data: str) -> str:
    lines = [
        "Agenda search at national scale (bench/agenda_scale.py)",
        f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"CPUs: {os.cpu_count()}, load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"data: {data}",
        f"server time of one search = commune_lookup + agenda_search + the page's 20 items "
        f"(in-process, PostgreSQL on 127.0.0.1), {RUNS} runs after {WARM_UP} warm-up",
        "",
        "wall: median and p95 of the whole search; cpu: median Python CPU time of this "
        "process; db: PostgreSQL's planning + execution time of its queries (best of 5). On "
        "a machine shared with other runs, cpu + db is what the search itself costs.",
        "",
        f"{'case':<44} {'results':>8} {'queries':>7} {'wall median':>12} {'wall p95':>9} "
        f"{'cpu':>8} {'db':>8} {'cpu+db':>8}",
    ]
    for row in rows:
        lines.append(
            f"{row['label']:<44} {row['total']:>8} {row['queries']:>7} "
            f"{row['median']:>9.1f} ms {row['p95']:>6.1f} ms {row['cpu']:>5.1f} ms "
            f"{row['db']:>5.1f} ms {row['cpu'] + row['db']:>5.1f} ms"
        )
    worst = max(rows, key=lambda r: r["p95"])
    lines += [
        "",
        f"worst wall p95: {worst['p95']:.1f} ms ({worst['label']}); worst cpu+db: "
        f"{max(r['cpu'] + r['db'] for r in rows):.1f} ms; target: under 50 ms",
        "",
        f"Plans of one search ({rows[0]['label']}):",
        "",
        *plans(rows[0]["sql"]),
        f"Plans of one search ({worst['label']}):",
        "",
        *plans(worst["sql"]),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse the database if present")
    args = parser.parse_args()
    reuse = args.reuse and _database_has_data(args.db)
    django_setup(args.db)
    if not reuse:
        generate(args.db)
    data = counts()
    log(data)
    text = report(measure(), data)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    log(f"written to {RESULTS.relative_to(ROOT)}")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.db)


def _database_has_data(db: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{DB_SERVER}/{db}") as conn:
            return bool(conn.execute("SELECT count(*) FROM learners_venue").fetchone()[0])
    except psycopg.Error:
        return False


if __name__ == "__main__":
    main()
