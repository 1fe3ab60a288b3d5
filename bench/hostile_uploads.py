"""Hostile uploads: memory and time of the upload checks and the streaming reader.

    .venv/bin/python bench/hostile_uploads.py            # about 5 minutes
    .venv/bin/python bench/hostile_uploads.py --mutants 1000

Each large case runs in a subprocess of its own, which reads the file from disk as the
upload form does (bytes in memory), then runs what an import runs before any database
work: `upload_check` (size, format, zip and XML checks) and `records_read` (the rows,
streamed, within the limits). Memory is the child's peak RSS (VmHWM, see `peak_mb`) minus
its RSS just before reading the file, so the file's own bytes count. Cases (generated into
a temporary directory, removed afterwards, never committed):

- the issue's 29 MB CSV of 2.5 million lines (refused: more than MAX_ROWS lines);
- the issue's zip bomb, an .xlsx of 2 million rows (refused from the zip directory);
- an .xlsx of 110,000 varied rows that is no zip bomb (refused by the row count scan);
- the largest accepted files: a CSV and an .xlsx of exactly 100,000 lines of 15 columns
  (read whole), and a CSV at the cell limit (2,000,000 distinct short cells);
- images: the issue's 4.9 KB PNG of 6300 x 6300 (refused from its header) and a 24
  megapixel PNG photo (accepted: decoded once).

Then the 1,000 seeded mutants of `tests.factories.hostile_files` go through the same path
in one subprocess: outcome counts, unexpected exceptions (what would be a 500), slowest
case, peak RSS. Results: bench/results/hostile_uploads.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself must not be on the path: bench/statistics.py would hide the stdlib's.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
RESULTS = ROOT / "bench" / "results" / "hostile_uploads.txt"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def rss_mb() -> float:
    """Current RSS of this process, in MB; resets the peak (VmHWM) to it when the kernel
    allows (`/proc/self/clear_refs`)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


def peak_mb() -> float:
    """Peak RSS since `rss_mb()`. VmHWM rather than `ru_maxrss` alone: on Linux the latter
    is inherited through fork and exec, so a child would report the parent's peak (here the
    parent that generated the files); both are printed in the raw JSON."""
    return _status_mb("VmHWM")


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- child: one case -------------------------------------------------------------------


def child_spreadsheet(path: str, filename: str) -> dict:
    from common.spreadsheets import SpreadsheetError, upload_check
    from learners.imports import MAX_IMPORT_BYTES, MAX_ROWS
    from learners.imports.common import ImportFileError, records_read
    from learners.imports.people import COLUMNS

    before = rss_mb()
    started = time.perf_counter()
    with open(path, "rb") as upload:
        content = upload.read(MAX_IMPORT_BYTES + 1)
    outcome, message, rows = "accepted", "", 0
    try:
        file_format = upload_check(
            content, filename=filename, max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_ROWS
        )
        read = records_read(content=content, format=file_format, columns=COLUMNS, max_rows=MAX_ROWS)
        rows = len(read.records)
    except (SpreadsheetError, ImportFileError) as exc:
        outcome, message = "refused", exc.message
    seconds = time.perf_counter() - started
    return {
        "outcome": outcome,
        "message": message,
        "rows": rows,
        "seconds": seconds,
        "growth_mb": max(0.0, peak_mb() - before),
        "ru_maxrss_mb": maxrss_mb(),
    }


def child_image(path: str) -> dict:
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from workshops.images import image_file_check

    before = rss_mb()
    started = time.perf_counter()
    outcome, message = "accepted", ""
    with open(path, "rb") as upload:
        try:
            image_file_check(upload, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
        except ValidationError as exc:
            outcome, message = "refused", " ".join(exc.messages)
    return {
        "outcome": outcome,
        "message": message,
        "seconds": time.perf_counter() - started,
        "growth_mb": max(0.0, peak_mb() - before),
        "ru_maxrss_mb": maxrss_mb(),
    }


def child_mutants(count: int, seed: int) -> dict:
    from common.spreadsheets import SpreadsheetError, upload_check
    from learners.imports import MAX_IMPORT_BYTES, MAX_ROWS
    from learners.imports.common import ImportFileError, records_read
    from learners.imports.people import COLUMNS
    from tests.factories.hostile_files import mutants

    before = rss_mb()
    outcomes = {"accepted": 0, "refused": 0, "unexpected": 0}
    unexpected, slowest, total = [], ("", 0.0), 0.0
    for name, filename, content in mutants(seed, count, max_rows=MAX_ROWS):
        started = time.perf_counter()
        try:
            file_format = upload_check(
                content, filename=filename, max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_ROWS
            )
            records_read(content=content, format=file_format, columns=COLUMNS, max_rows=MAX_ROWS)
            outcomes["accepted"] += 1
        except (SpreadsheetError, ImportFileError):
            outcomes["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - what a view would turn into a 500
            outcomes["unexpected"] += 1
            unexpected.append(f"{name}: {exc!r}"[:200])
        seconds = time.perf_counter() - started
        total += seconds
        if seconds > slowest[1]:
            slowest = (name, seconds)
    return {
        **outcomes,
        "count": count,
        "unexpected_list": unexpected[:20],
        "slowest": slowest[0],
        "slowest_seconds": slowest[1],
        "total_seconds": total,
        "growth_mb": max(0.0, peak_mb() - before),
        "ru_maxrss_mb": maxrss_mb(),
    }


# --- parent: generate, run, report -----------------------------------------------------


def generate(directory: Path) -> dict[str, tuple[str, Path, str]]:
    """{case: (kind, path, upload name)}"""
    from PIL import Image

    from tests.factories import hostile_files

    cases = {}

    def add(case, kind, filename, writer):
        path = directory / f"{case}-{filename}"
        started = time.perf_counter()
        writer(path)
        elapsed = time.perf_counter() - started
        log(f"  generated {case}: {path.stat().st_size / 1e6:.1f} MB ({elapsed:.0f} s)")
        cases[case] = (kind, path, filename)

    add("csv-2.5M-rows", "sheet", "grand.csv", hostile_files.big_csv)
    add("xlsx-zip-bomb-2M-rows", "sheet", "bombe.xlsx", hostile_files.bomb_xlsx)
    add(
        "xlsx-110k-varied-rows",
        "sheet",
        "long.xlsx",
        lambda p: p.write_bytes(hostile_files.many_rows_xlsx(110_500, random.Random(3))),
    )
    header = ";".join(hostile_files.HEADER + [f"Colonne {i}" for i in range(10)]) + "\r\n"

    def csv_100k(path):
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(header)
            for i in range(100_000):
                extra = ";".join(f"valeur {i % 500} {j}" for j in range(10))
                out.write(f"Prénom{i % 3000};Nom{i};{1930 + i % 80};85191;25/03/2024;{extra}\r\n")

    add("csv-100k-rows-accepted", "sheet", "personnes.csv", csv_100k)

    def xlsx_100k(path):
        rows = "".join(
            hostile_files.inline_row(
                n,
                [f"Prénom{n % 3000}", f"Nom{n}", 1930 + n % 80, "85191", "25/03/2024"]
                + [f"valeur {n % 500} {j}" for j in range(10)],
            )
            for n in range(2, 100_002)
        )
        titles = hostile_files.HEADER + [f"Colonne {i}" for i in range(10)]
        head = hostile_files.inline_row(1, titles)
        path.write_bytes(
            hostile_files.zip_replace(
                hostile_files.seeds()["xlsx"][1],
                "xl/worksheets/sheet1.xml",
                hostile_files.sheet_xml(head + rows),
            )
        )

    add("xlsx-100k-rows-accepted", "sheet", "personnes.xlsx", xlsx_100k)

    def csv_cells(path):
        rng = random.Random(4)
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(";".join(hostile_files.HEADER + [f"C{i}" for i in range(15)]) + "\r\n")
            for _ in range(100_000):
                out.write(";".join(f"{rng.getrandbits(40):x}" for _ in range(20)) + "\r\n")

    add("csv-2M-distinct-cells-accepted", "sheet", "cellules.csv", csv_cells)

    def png_bomb(path):
        Image.new("1", (6300, 6300), 1).save(path, "PNG")

    add("png-6300x6300", "image", "bombe.png", png_bomb)

    def png_photo(path):
        noise = Image.effect_noise((6000, 4000), 60).convert("RGB")
        noise.save(path, "PNG", compress_level=1)

    add("png-24MP-photo-accepted", "image", "photo.png", png_photo)
    return cases


def run_child(args: list[str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return {"outcome": "crash", "error": result.stderr[-2000:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def log(text: str) -> None:
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mutants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--child", choices=["sheet", "image", "mutants"])
    parser.add_argument("--path")
    parser.add_argument("--name")
    args = parser.parse_args()
    setup_django()
    if args.child == "sheet":
        print(json.dumps(child_spreadsheet(args.path, args.name)))
        return
    if args.child == "image":
        print(json.dumps(child_image(args.path)))
        return
    if args.child == "mutants":
        print(json.dumps(child_mutants(args.mutants, args.seed)))
        return

    lines = [
        "Hostile uploads (bench/hostile_uploads.py)",
        f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"load average before: {os.getloadavg()[0]:.2f}",
        "memory: peak RSS (VmHWM) growth of one subprocess per case, from before reading the file",
        "",
        f"{'case':34} {'size MB':>8} {'outcome':>9} {'seconds':>8} {'RSS +MB':>8}  message",
    ]
    with tempfile.TemporaryDirectory(prefix="hostile-uploads-") as tmp:
        log("generating the large files")
        cases = generate(Path(tmp))
        for case, (kind, path, filename) in cases.items():
            result = run_child(["--child", kind, "--path", str(path), "--name", filename])
            if result.get("outcome") == "crash":
                line = f"{case:34} CRASH {result['error']}"
            else:
                extra = f" ({result['rows']} rows)" if result.get("rows") else ""
                line = (
                    f"{case:34} {path.stat().st_size / 1e6:8.1f} {result['outcome']:>9} "
                    f"{result['seconds']:8.2f} {result['growth_mb']:8.0f}  "
                    f"{result['message'][:90]}{extra}"
                )
            log(line)
            lines.append(line)
    log(f"{args.mutants} mutants")
    result = run_child(
        ["--child", "mutants", "--mutants", str(args.mutants), "--seed", str(args.seed)]
    )
    lines += [
        "",
        f"mutants (seed {args.seed}): {result.get('count')} tried, {result.get('refused')} refused "
        f"with a French message, {result.get('accepted')} read, {result.get('unexpected')} "
        "unexpected exceptions (would be 500s)",
        f"  total {result.get('total_seconds', 0):.1f} s, slowest {result.get('slowest')} "
        f"{result.get('slowest_seconds', 0):.2f} s, "
        f"peak RSS growth {result.get('growth_mb', 0):.0f} MB",
    ]
    for item in result.get("unexpected_list", []):
        lines.append(f"  unexpected: {item}")
    if result.get("outcome") == "crash":
        lines.append(f"  CRASH {result['error']}")
    text = "\n".join(lines) + "\n"
    log(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
