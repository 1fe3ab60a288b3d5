"""Benchmark of the public pages: requests/s and latency under a bounded local load.

One run (about 6 minutes) does everything, on 127.0.0.1 only:
1. drops and recreates the PostgreSQL database `pasapas_bench`, migrates it with the
   production settings, loads the demo content (with the development settings, the only
   ones that install the demo app, on the same database and media) and runs collectstatic;
2. serves the site with gunicorn (2 workers, production settings, Redis cache on db 3);
3. measures with wrk (2 threads, 8 connections, 15 s, `--latency`) the home page, the
   8-step guide, the guide index and a search, with the page cache off
   (PAGE_CACHE_SECONDS=0) then on (gunicorn restarted with the variable changed), and, as
   the yardstick, a static file of the same size as the guide's HTML (the guide's HTML
   itself, saved into STATIC_ROOT) served by the same gunicorn through whitenoise, measured
   before and after the pages of each run;
4. prints a table, with each page's rate as a % of the static rate of its run (the mean of
   the before and after measurements, so a machine busy with other work biases both
   sides alike) and the guide's page
   weight (HTML + CSS + JS, uncompressed, images excluded), and writes it to
   bench/results/public_pages.txt and .json.

Usage: `.venv/bin/python bench/public_pages.py [--duration 15] [--keep] [--db NAME]
[--port 8203] [--redis-db 3]`
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379
and wrk (Debian package `wrk`). `--keep` leaves the database and media for inspection;
`--db`, `--port` and `--redis-db` let two runs share the machine without dropping each
other's database or Redis data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
STATIC_ROOT = ROOT / "staticfiles"  # settings.STATIC_ROOT (not configurable by environment)
YARDSTICK_DIR = "bench-yardstick"

HOST = "127.0.0.1"
PORT = 8203
BASE_URL = f"http://{HOST}:{PORT}"
DB_NAME = "pasapas_bench"
DB_SERVER = f"postgres://postgres@{HOST}:5432"
REDIS_URL = f"redis://{HOST}:6379/3"
CACHE_ON_SECONDS = 300

PAGES = [
    ("home", "Accueil", "/"),
    ("guide", "Fiche à 8 étapes", "/fiches-pratiques/creer-une-adresse-e-mail/"),
    ("guide_index", "Liste des fiches", "/fiches-pratiques/"),
    ("search", "Recherche « impots »", "/recherche/?q=impots"),
]
TARGETS = {
    "guide_uncached_pct": 8.0,
    "guide_cached_pct": 40.0,
    "guide_weight_kb": 60.0,
}


def configure(database: str, port: int, redis_db: int) -> None:
    """Another database, port or Redis database than the defaults (module globals, read by
    every function here and by the benchmarks that import this module)."""
    global DB_NAME, PORT, BASE_URL, REDIS_URL
    DB_NAME, PORT = database, port
    BASE_URL = f"http://{HOST}:{PORT}"
    REDIS_URL = f"redis://{HOST}:6379/{redis_db}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def base_env(media_root: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "PAGE_CACHE"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-pasapas",
            "DATABASE_URL": f"{DB_SERVER}/{DB_NAME}",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "REDIS_URL": REDIS_URL,
            # No broker: Celery tasks (rendition pre-generation) run in-process while the
            # demo loads, as a worker would have done before the first reader arrives.
            "CELERY_BROKER_URL": "",
            "MEDIA_ROOT": str(media_root),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def demo_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of `load_demo`: production never installs the demo app, so the
    development settings load it, on the same database, media, Redis and in-process Celery
    (base settings read them from the environment). Gunicorn still serves production."""
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class Gunicorn:
    """gunicorn config.wsgi --chdir site -w 2 -b 127.0.0.1:8203, with the given cache TTL."""

    def __init__(
        self,
        env: dict[str, str],
        cache_seconds: int,
        log_path: Path,
        arguments: list[str] | None = None,
        start_seconds: int = 30,
    ):
        self.env = {**env, "PAGE_CACHE_SECONDS": str(cache_seconds)}
        self.start_seconds = start_seconds  # longer on a machine loaded by other work
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        # Other benchmarks may serve with other arguments (bench/agenda.py: the production
        # config file); the site's address stays the same.
        self.arguments = arguments or [
            "config.wsgi",
            "--chdir",
            "site",
            "-w",
            "2",
            "-b",
            f"{HOST}:{PORT}",
        ]

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log_file = self.log_path.open("a")
        self.process = subprocess.Popen(
            [str(gunicorn), *self.arguments, "--error-logfile", "-"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.start_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{BASE_URL}/healthz", timeout=2):  # noqa: S310
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.__exit__(None, None, None)
        sys.exit(f"gunicorn did not answer on {BASE_URL}; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
    # BASE_URL is a fixed http://127.0.0.1 address: no user-supplied scheme.
    request = urllib.request.Request(BASE_URL + path, headers={"Accept-Encoding": "identity"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


class AssetParser(HTMLParser):
    """Collects the stylesheets and scripts a page loads (images are left out)."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def offline_files() -> list[dict]:
    """What a browser fetches besides the page, once per release: the service worker and
    the web app manifest (not part of the page weight, listed with it)."""
    files = []
    for path in ("/sw.js", "/manifest.webmanifest"):
        status, _, body = fetch(path)
        files.append({"url": path, "bytes": len(body) if status == 200 else None})
    return files


def page_weight(html: bytes) -> dict:
    parser = AssetParser()
    parser.feed(html.decode("utf-8", "replace"))
    assets = []
    for href in parser.assets:
        if not href.startswith("/"):  # an external asset would be a bug; count it as absent
            assets.append({"url": href, "bytes": None})
            continue
        status, _, body = fetch(href)
        assets.append({"url": href, "bytes": len(body) if status == 200 else None})
    total = len(html) + sum(asset["bytes"] or 0 for asset in assets)
    return {"html_bytes": len(html), "assets": assets, "total_bytes": total}


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if not match:
        raise ValueError(f"unexpected wrk latency {value!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def run_wrk(path: str, duration: int, script: Path | None = None) -> dict:
    """wrk -t2 -c8 --latency on `path`; `script`: a Lua script (e.g. varying the URL)."""
    lua = ["-s", str(script)] if script else []
    command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", *lua, BASE_URL + path]
    load_before = os.getloadavg()[0]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    distribution = dict(re.findall(r"^\s*(50|75|90|99)%\s+([\d.]+(?:us|ms|s))\s*$", output, re.M))
    requests = re.search(r"(\d+) requests in", output)
    if not (rate and requests and {"50", "99"} <= distribution.keys()):
        sys.exit(f"unexpected wrk output for {path}:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_second": float(rate.group(1)),
        "p50_ms": _ms(distribution["50"]),
        "p99_ms": _ms(distribution["99"]),
        "requests": int(requests.group(1)),
        # Other processes compete for the CPUs: the 1-minute load average is kept with
        # each figure (2 means both cores were already busy before wrk started).
        "load_before": round(load_before, 2),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


def check_pages(paths: list[str], cache_on: bool) -> dict[str, str]:
    """Every page answers 200; returns the X-Page-Cache header of a repeated request."""
    headers_seen = {}
    for path in paths:
        for _ in range(3):  # warms renditions, the template cache and the page cache
            status, headers, _ = fetch(path)
            if status != 200:
                sys.exit(f"{path} answered {status}: not benchmarking an error page")
        headers_seen[path] = headers.get("X-Page-Cache", "absent")
        if cache_on and headers_seen[path] != "hit":
            log(f"warning: {path} is not served from the page cache ({headers_seen[path]})")
    return headers_seen


def measure(env, cache_seconds: int, yardstick: str, duration: int, log_path: Path) -> dict:
    label = "on" if cache_seconds else "off"
    results = {}
    with Gunicorn(env, cache_seconds, log_path):
        cache_headers = check_pages([path for _, _, path in PAGES], bool(cache_seconds))
        if fetch(yardstick)[0] != 200:
            sys.exit(f"the yardstick {yardstick} is not served")
        # The yardstick is measured before and after the pages: other processes may load
        # the machine, and each page is compared with the static rate of its own period.
        log(f"wrk {yardstick} (static, before the pages)")
        results["static_before"] = run_wrk(yardstick, duration)
        for key, _, path in PAGES:
            log(f"wrk {path} (page cache {label})")
            results[key] = {**run_wrk(path, duration), "x_page_cache": cache_headers[path]}
        log(f"wrk {yardstick} (static, after the pages)")
        results["static_after"] = run_wrk(yardstick, duration)
    results["static_rps"] = round(
        (
            results["static_before"]["requests_per_second"]
            + results["static_after"]["requests_per_second"]
        )
        / 2,
        1,
    )
    for key, _, _ in PAGES:
        rate = results[key]["requests_per_second"]
        results[key]["pct_of_static"] = round(100 * rate / results["static_rps"], 2)
    return results


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version()}


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip()


def report(data: dict) -> str:
    lines = [
        "Pas à pas – public pages benchmark",
        f"date {data['date']}  commit {data['commit']}  {data['machine']['cpus']} CPU "
        f"({data['machine']['cpu_model']})",
        f"gunicorn 2 workers, production settings, PostgreSQL, Redis cache; "
        f"wrk -t2 -c8 -d{data['duration_s']}s --latency on {BASE_URL}",
        f"yardstick: {data['yardstick']['path']} ({data['yardstick']['bytes']} bytes, the guide's "
        f"HTML) served by whitenoise, measured before and after the pages of each run; % static "
        f"= page rate / mean static rate of the same run (cache off: "
        f"{data['runs']['off']['static_rps']:.0f} req/s, "
        f"on: {data['runs']['on']['static_rps']:.0f})",
        "",
        f"{'page':<24}{'cache':<7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'% static':>10}"
        f"{'bytes':>8}{'load':>6}  X-Page-Cache",
    ]
    for key, title, _ in PAGES:
        for mode in ("off", "on"):
            row = data["runs"][mode][key]
            lines.append(
                f"{title:<24}{mode:<7}{row['requests_per_second']:>9.0f}{row['p50_ms']:>9.1f}"
                f"{row['p99_ms']:>9.1f}{row['pct_of_static']:>9.1f}%"
                f"{data['html_bytes'][key]:>8}{row['load_before']:>6.1f}  {row['x_page_cache']}"
                + (f"  NON-2XX {row['non_2xx']}" if row["non_2xx"] else "")
            )
    for mode in ("off", "on"):
        for moment in ("before", "after"):
            row = data["runs"][mode][f"static_{moment}"]
            lines.append(
                f"{'static file, ' + moment:<24}{mode:<7}{row['requests_per_second']:>9.0f}"
                f"{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{'':>10}"
                f"{data['yardstick']['bytes']:>8}{row['load_before']:>6.1f}"
            )
    lines.append(
        "load = 1-minute load average just before the run (other processes on the machine)"
    )
    weight = data["guide_weight"]
    lines += ["", "Guide page weight (uncompressed, images excluded):"]
    lines.append(f"  HTML {weight['html_bytes']} bytes")
    for asset in weight["assets"]:
        lines.append(f"  {asset['url']} {asset['bytes']} bytes")
    lines.append(f"  total {weight['total_bytes']} bytes = {weight['total_bytes'] / 1024:.1f} KB")
    if weight.get("offline_files"):
        lines.append("Fetched once per release besides the page (service worker, manifest):")
        for asset in weight["offline_files"]:
            lines.append(f"  {asset['url']} {asset['bytes']} bytes")
    lines += ["", "Targets:"]
    for name, check in data["targets"].items():
        verdict = "met" if check["met"] else "MISSED"
        lines.append(f"  {name:<22} {check['value']:>8.1f} (target {check['target']}) {verdict}")
    return "\n".join(lines) + "\n"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--keep", action="store_true", help="keep the database and media")
    parser.add_argument("--db", default=DB_NAME, help="PostgreSQL database (dropped)")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn's port")
    parser.add_argument("--redis-db", type=int, default=3, help="Redis database (flushed)")
    args = parser.parse_args()
    configure(args.db, args.port, args.redis_db)
    return args


def main() -> None:
    args = arguments()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="pasapas-bench-"))
    media_root = work / "media"
    gunicorn_log = work / "gunicorn.log"
    env = base_env(media_root)
    try:
        log(f"database {DB_NAME}: drop, create, migrate (production settings)")
        recreate_database()
        flush_redis()
        manage(env, "migrate", "--no-input", "-v0")
        log("demo content (dev settings: the demo app; renditions pre-generated in-process)")
        manage(demo_env(env), "load_demo")
        log("collectstatic")
        manage(env, "collectstatic", "--no-input", "-v0")

        # Size the guide, save its HTML as the static yardstick, measure its page weight.
        shutil.rmtree(STATIC_ROOT / YARDSTICK_DIR, ignore_errors=True)
        html_bytes = {}
        with Gunicorn(env, 0, gunicorn_log):
            check_pages([path for _, _, path in PAGES], cache_on=False)
            for key, _, path in PAGES:
                html_bytes[key] = len(fetch(path)[2])
            guide_html = fetch(dict(p[::2] for p in PAGES)["guide"])[2]
            weight = page_weight(guide_html)
            weight["offline_files"] = offline_files()
        (STATIC_ROOT / YARDSTICK_DIR).mkdir(parents=True)
        yardstick_file = STATIC_ROOT / YARDSTICK_DIR / "guide.html"
        yardstick_file.write_bytes(guide_html)
        yardstick = f"/static/{YARDSTICK_DIR}/guide.html"

        runs = {
            "off": measure(env, 0, yardstick, args.duration, gunicorn_log),
            "on": measure(env, CACHE_ON_SECONDS, yardstick, args.duration, gunicorn_log),
        }

        data = {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": machine(),
            "duration_s": args.duration,
            "pages": {key: path for key, _, path in PAGES},
            "html_bytes": html_bytes,
            "yardstick": {"path": yardstick, "bytes": len(guide_html)},
            "runs": runs,
            "guide_weight": weight,
        }
        data["targets"] = {
            "guide uncached % static": {
                "value": runs["off"]["guide"]["pct_of_static"],
                "target": f">= {TARGETS['guide_uncached_pct']}",
                "met": runs["off"]["guide"]["pct_of_static"] >= TARGETS["guide_uncached_pct"],
            },
            "guide cached % static": {
                "value": runs["on"]["guide"]["pct_of_static"],
                "target": f">= {TARGETS['guide_cached_pct']}",
                "met": runs["on"]["guide"]["pct_of_static"] >= TARGETS["guide_cached_pct"],
            },
            "guide weight KB": {
                "value": round(weight["total_bytes"] / 1024, 1),
                "target": f"< {TARGETS['guide_weight_kb']}",
                "met": weight["total_bytes"] / 1024 < TARGETS["guide_weight_kb"],
            },
        }
        text = report(data)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "public_pages.txt").write_text(text)
        (RESULTS / "public_pages.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        )
        print()
        print(text)
        log(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS}")
    finally:
        shutil.rmtree(STATIC_ROOT / YARDSTICK_DIR, ignore_errors=True)
        if args.keep:
            log(f"kept database {DB_NAME} and {work}")
        else:
            drop_database()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
