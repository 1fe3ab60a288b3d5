"""Benchmark of the open venue files at national scale: /donnees/lieux-de-mediation-numerique
.csv and .json with 6,000 venues (the national generator's count) in 1,500 structures,
every standard field filled. Not a test: numbers, printed and written to bench/results/.

One run (a few minutes, most of it migrating), on 127.0.0.1 only:
1. drops and recreates the PostgreSQL database `pasapas_bench_venues`, migrates it with the
   production settings and loads the communes; writes the structures (with SIRETs) and the
   venues with the national generator's COPY streams (`generate_national.Stream`, so the
   venues' list columns take their model defaults as the generator writes them), then
   fills every standard field (seeded: typologies, services, publics, fees, programmes,
   labels, access and support modes, e-mails, phones, summaries with accents, commas,
   quotes and line breaks);
2. requests each file ROUNDS times in-process (Django's test client through the whole
   middleware stack, production settings), reading the streamed body to the end: wall
   time, CPU time of this process (Django; PostgreSQL runs in its own), statements sent to
   PostgreSQL (counted by an execute wrapper, which sees server-side cursors), bytes, rows;
   then once under tracemalloc for the peak of Python memory while streaming;
3. validates the CSV and the JSON against the vendored schema with frictionless.

Usage: `.venv/bin/python bench/venues_open_data.py [--venues 6000] [--rounds 5] [--keep]`.
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust). Results:
bench/results/venues_open_data.txt and .json.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a `statistics.py`: take this folder off the path so `import statistics`
# means the standard library; load the national generator from its file.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import csv  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "generate_national", BENCH_DIR / "generate_national.py"
)
gen = importlib.util.module_from_spec(_spec)
sys.modules["generate_national"] = gen
_spec.loader.exec_module(gen)

RESULTS = gen.ROOT / "bench" / "results"
DB = "pasapas_bench_venues"
URLS = {
    "csv": "/donnees/lieux-de-mediation-numerique.csv",
    "json": "/donnees/lieux-de-mediation-numerique.json",
}
log = gen.log


def _structures(n: int, communes: list[str]) -> list[int]:
    from learners.models import Structure

    rng = random.Random(7)
    rows = [
        Structure(
            name=f"Structure {i}",
            kind=rng.choice(["association", "commune", "france_services", "mediatheque"]),
            siret=f"{rng.randrange(10**13, 10**14)}",
            commune_id=rng.choice(communes),
        )
        for i in range(1, n + 1)
    ]
    return [s.pk for s in Structure.objects.bulk_create(rows, batch_size=2000)]


def _venues_copy(n: int, structures: list[int], communes: list[str]) -> None:
    """The venues' base columns through the generator's COPY stream, as it writes them."""
    from django.utils import timezone

    from learners.models import Venue

    rng, now = random.Random(11), timezone.now()
    stream = gen.Stream(
        Venue,
        ["structure_id", "name", "commune_id", "address", "is_active", "updated_at"],
        now=now,
    )
    for i in range(1, n + 1):
        stream.add(
            f"{rng.choice(structures)}\tLieu {i} – « Espace numérique »\t{rng.choice(communes)}"
            f"\t{rng.randrange(1, 200)} rue de l'Église\tt\t{now.isoformat()}"
        )
    stream.close()


def _sample(rng: random.Random, vocabulary, most: int) -> list[str]:
    values = [value for value, _label in vocabulary]
    return rng.sample(values, rng.randint(0, min(most, len(values))))


def _venues_enrich() -> None:
    """Every standard field filled, seeded, in one bulk update."""
    from learners import lieux_vocabularies as vocab
    from learners.models import Venue

    rng = random.Random(13)
    venues = list(Venue.objects.order_by("pk"))
    for venue in venues:
        venue.pivot = rng.choice(["", "", f"W{rng.randrange(10**8, 10**9)}"])
        venue.typology = _sample(rng, vocab.TYPOLOGY, 2)
        venue.summary = "Accueil, ateliers « premiers pas », aide aux démarches ; café."
        venue.description = 'Un lieu "ouvert à tous",\nsur rendez-vous le mardi.'
        venue.address_complement = rng.choice(["", "Rez-de-chaussée", "Bâtiment B, 2e étage"])
        venue.postal_code = ""
        venue.latitude = 43 + rng.random() * 6
        venue.longitude = -1 + rng.random() * 7
        venue.mobility = rng.choice([["Fixe"], ["Itinérant"], []])
        venue.services = _sample(rng, vocab.SERVICES, 5) or ["Aide aux démarches administratives"]
        venue.audiences = _sample(rng, vocab.AUDIENCES, 3)
        venue.specific_support = _sample(rng, vocab.SPECIFIC_SUPPORT, 3)
        venue.fees = _sample(rng, vocab.FEES, 2)
        venue.national_programmes = _sample(rng, vocab.NATIONAL_PROGRAMMES, 3)
        venue.training_labels = _sample(rng, vocab.TRAINING_LABELS, 2)
        venue.access_modes = _sample(rng, vocab.ACCESS_MODES, 3)
        venue.support_modes = _sample(rng, vocab.SUPPORT_MODES, 4)
        venue.phone = f"+332{rng.randrange(10**7, 10**8)}"
        venue.emails = [f"lieu{venue.pk}@example.org"]
        venue.website = f"https://lieu{venue.pk}.example.org/"
        venue.opening_hours = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"
        venue.booking_url = rng.choice(["", "https://rdv.example.org/lieu"])
    fields = [
        "pivot", "typology", "summary", "description", "address_complement", "postal_code",
        "latitude", "longitude", "mobility", "services", "audiences", "specific_support",
        "fees", "national_programmes", "training_labels", "access_modes", "support_modes",
        "phone", "emails", "website", "opening_hours", "booking_url",
    ]  # fmt: skip
    Venue.objects.bulk_update(venues, fields, batch_size=1000)


def prepare(n_venues: int) -> None:
    started = time.monotonic()
    gen.recreate_database(DB)
    gen.django_setup(DB)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    log(f"migrated and communes loaded ({time.monotonic() - started:.0f} s)")
    from learners.models import Commune

    communes = list(Commune.objects.filter(type="COM").values_list("pk", flat=True))
    structures = _structures(max(1, n_venues // 4), communes)
    _venues_copy(n_venues, structures, communes)
    _venues_enrich()
    log(f"{n_venues} venues in {len(structures)} structures ({time.monotonic() - started:.0f} s)")


def _get(client, url: str) -> tuple[bytes, object]:
    response = client.get(url, HTTP_HOST=gen.HOST)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content), response


class _Counter:
    """Counts the statements sent to PostgreSQL (server-side cursors included)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _rows(kind: str, body: bytes) -> int:
    if kind == "json":
        return len(json.loads(body))
    return sum(1 for _row in csv.reader(io.StringIO(body.decode("utf-8")))) - 1


def measure(kind: str, rounds: int) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client()
    _get(client, URLS[kind])  # warm-up
    walls, cpus, counts = [], [], []
    for _ in range(rounds):
        load = gen.load_average()
        counter = _Counter()
        with connection.execute_wrapper(counter):
            wall, cpu = time.perf_counter(), time.process_time()
            body, response = _get(client, URLS[kind])
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        walls.append(wall)
        cpus.append(cpu)
        counts.append(counter.count)
    rows = _rows(kind, body)
    tracemalloc.start()
    _get(client, URLS[kind])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "kind": kind,
        "rows": rows,
        "bytes": len(body),
        "queries": max(counts),
        "wall_s_median": statistics.median(walls),
        "wall_s_max": max(walls),
        "cpu_s_median": statistics.median(cpus),
        "rows_per_s": rows / statistics.median(walls),
        "python_peak_mib": peak / 2**20,
        "file_name": response["Content-Disposition"],
        "load_average_before_last": load,
        "body": body,
    }


def validate(csv_body: bytes, json_body: bytes) -> dict:
    from frictionless import Resource, Schema

    from learners.national.lieux import SCHEMA_PATH

    schema = Schema.from_descriptor(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "lieux.csv").write_bytes(csv_body)
        started = time.perf_counter()
        csv_report = Resource(path="lieux.csv", basepath=folder, schema=schema).validate()
        csv_seconds = time.perf_counter() - started
    started = time.perf_counter()
    json_report = Resource(data=json.loads(json_body), schema=schema).validate()
    json_seconds = time.perf_counter() - started
    return {
        "csv_valid": csv_report.valid,
        "csv_errors": len(csv_report.flatten(["type"])),
        "csv_validation_s": csv_seconds,
        "json_valid": json_report.valid,
        "json_errors": len(json_report.flatten(["type"])),
        "json_validation_s": json_seconds,
    }


def report(results: list[dict], validation: dict, n_venues: int) -> str:
    lines = [
        f"Open venue files at national scale ({n_venues} venues), "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, "
        "in-process Django test client, production settings, PostgreSQL on 127.0.0.1",
        "",
        f"{'file':<5} {'rows':>6} {'MiB':>6} {'queries':>7} {'wall med':>9} {'wall max':>9} "
        f"{'CPU med':>8} {'rows/s':>8} {'py peak MiB':>11}  load before",
    ]
    for r in results:
        lines.append(
            f"{r['kind']:<5} {r['rows']:>6} {r['bytes'] / 2**20:>6.2f} {r['queries']:>7} "
            f"{r['wall_s_median']:>8.3f}s {r['wall_s_max']:>8.3f}s {r['cpu_s_median']:>7.3f}s "
            f"{r['rows_per_s']:>8.0f} {r['python_peak_mib']:>11.2f}  "
            f"{r['load_average_before_last']}"
        )
    lines += [
        "",
        f"frictionless against the vendored schema v1.0.2: CSV valid={validation['csv_valid']} "
        f"({validation['csv_errors']} errors, {validation['csv_validation_s']:.1f} s), "
        f"JSON valid={validation['json_valid']} ({validation['json_errors']} errors, "
        f"{validation['json_validation_s']:.1f} s)",
        f"file name: {results[0]['file_name']}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venues", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    prepare(args.venues)
    results = [measure(kind, args.rounds) for kind in URLS]
    validation = validate(results[0]["body"], results[1]["body"])
    text = report(results, validation, args.venues)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "venues_open_data.txt").write_text(text, encoding="utf-8")
    data = {"venues": args.venues, "validation": validation}
    data["files"] = [{k: v for k, v in r.items() if k != "body"} for r in results]
    (RESULTS / "venues_open_data.json").write_text(json.dumps(data, indent=2) + "\n")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(gen.database_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
