"""Benchmark of the front cache: the repository's reverse proxy (deploy/nginx/pasapas.conf)
with its cache in front of gunicorn, on 127.0.0.1 only.

One run (about 6 minutes):
1. the demo on its own PostgreSQL database (`pasapas_bench_front`), Redis database and
   port, with public_pages.py's helpers (production settings, demo loaded with the
   development ones, collectstatic);
2. gunicorn (2 workers, production settings, page cache on) and nginx started with the
   repository's configuration as deploy/check.py renders it (test paths; the main server
   in plain HTTP on a loopback port; 1 worker process);
3. wrk (2 threads, 8 connections, `--latency`), in interleaved rounds (median of each):
   a static file of the guide's size served by nginx (the yardstick); the 8-step guide and
   the agenda page through the proxy's cache; the same two straight from gunicorn;
4. freshness, through the proxy, polling every 100 ms: the time from a publication (a new
   revision of the guide published with Wagtail's API by `manage.py shell` in a
   subprocess) to its new title showing, and from a sign-up (the session page's form
   POSTed through the proxy) to the venue page showing one place less;
5. writes bench/results/front_cache.txt and .json.

Targets: cached pages through the proxy >= 50 % of nginx static; a change visible <= 5 s.

Usage: `.venv/bin/python bench/front_cache.py [--duration 10] [--rounds 3] [--keep]`
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), Redis on 127.0.0.1:6379, wrk
and nginx (`nginx-light`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

from bench import public_pages as pp  # noqa: E402
from deploy import check  # noqa: E402

RESULTS = ROOT / "bench" / "results"
GUIDE = "/fiches-pratiques/creer-une-adresse-e-mail/"
AGENDA = "/pres-de-chez-vous/?commune=la+roche+sur+yon"
PROXY_PORT = 8214
TARGETS = {"proxy_pct_of_static": 50.0, "visible_seconds": 5.0}
POLL_SECONDS = 0.1
FREE_PLACES = re.compile(r"(\d+) places? libres?")
SESSION_LINK = re.compile(r'href="(/pres-de-chez-vous/seances/(\d+)/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLISH = """
import time
from wagtail.models import Page
page = Page.objects.get(url_path__endswith="/{slug}/").specific
page.title = {title!r}
page.save_revision().publish()
print(time.time())
"""


def isolate() -> None:
    """Our own database, port and Redis database: other benchmarks may run meanwhile."""
    pp.DB_NAME = "pasapas_bench_front"
    pp.PORT = 8213
    pp.BASE_URL = f"http://{pp.HOST}:{pp.PORT}"
    pp.REDIS_URL = f"redis://{pp.HOST}:6379/7"


class Nginx:
    def __init__(self, prefix: Path, media_root: Path):
        self.setup = check.render_nginx(
            prefix,
            http_port=PROXY_PORT + 1,
            https_port=PROXY_PORT,
            upstream=f"{pp.HOST}:{pp.PORT}",
            media_root=media_root,
            tls=False,
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        tested = check.nginx_test(self.setup)
        if tested.returncode != 0:
            sys.exit(f"nginx -t failed:\n{tested.stderr}")
        binary = check.nginx_binary() or "nginx"
        self.process = subprocess.Popen(
            [binary, "-p", str(self.setup.prefix), "-c", str(self.setup.config)]
            + ["-g", "daemon off;"]
        )
        for _ in range(100):
            try:
                socket.create_connection((pp.HOST, PROXY_PORT), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        sys.exit("nginx did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def request(port: int, method: str, path: str, body: str = "", headers=None):
    connection = http.client.HTTPConnection(pp.HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wrk_at(port: int, path: str, duration: int) -> dict:
    """public_pages' wrk run (-t2 -c8 --latency) on another port of the loopback."""
    address = pp.BASE_URL
    pp.BASE_URL = f"http://{pp.HOST}:{port}"
    try:
        return pp.run_wrk(path, duration)
    finally:
        pp.BASE_URL = address


def warm(path: str) -> str:
    """Three fetches through the proxy; the last one's X-Cache-Status (HIT expected)."""
    status = ""
    for _ in range(3):
        code, response, _ = request(PROXY_PORT, "GET", path)
        if code != 200:
            sys.exit(f"{path} answered {code} through the proxy")
        status = response.getheader("X-Cache-Status") or ""
    return status


def _median(values: list[float]) -> float:
    # Not the statistics module: bench/statistics.py (another benchmark) shadows it here.
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def throughput(agenda: str, yardstick: str, args) -> dict:
    targets = [
        ("static", PROXY_PORT, yardstick),
        ("guide_proxy", PROXY_PORT, GUIDE),
        ("agenda_proxy", PROXY_PORT, agenda),
        ("guide_gunicorn", pp.PORT, GUIDE),
        ("agenda_gunicorn", pp.PORT, agenda),
    ]
    rounds: dict[str, list[dict]] = {key: [] for key, _, _ in targets}
    cache_status = {key: warm(path) for key, port, path in targets if port == PROXY_PORT}
    for number in range(args.rounds):
        for key, port, path in targets:
            pp.log(f"round {number + 1}/{args.rounds}: wrk {key} {path}")
            rounds[key].append(wrk_at(port, path, args.duration))
    results = {}
    for key, _, path in targets:
        rates = [run["requests_per_second"] for run in rounds[key]]
        median = _median(rates)
        middle = min(rounds[key], key=lambda run, m=median: abs(run["requests_per_second"] - m))
        results[key] = {
            "path": path,
            "median_rps": round(median, 1),
            "rounds_rps": rates,
            "p50_ms": middle["p50_ms"],
            "p99_ms": middle["p99_ms"],
            "load_before": [run["load_before"] for run in rounds[key]],
            "non_2xx": sum(run["non_2xx"] for run in rounds[key]),
            "x_cache_status": cache_status.get(key, ""),
        }
    static = results["static"]["median_rps"]
    for row in results.values():
        row["pct_of_static"] = round(100 * row["median_rps"] / static, 1)
    return results


def poll_until(path: str, shown, started: float) -> dict:
    """Fetch through the proxy every 100 ms until `shown(page)`; seconds since `started`."""
    statuses = []
    while time.time() - started < 30:
        code, response, page = request(PROXY_PORT, "GET", path)
        statuses.append(response.getheader("X-Cache-Status") or "-")
        if code == 200 and shown(page):
            return {"seconds": round(time.time() - started, 2), "polls": len(statuses)}
        time.sleep(POLL_SECONDS)
    return {"seconds": None, "polls": len(statuses), "statuses": statuses[-5:]}


def publication_visible(env: dict[str, str], number: int) -> dict:
    title = f"Créer une adresse e-mail (révision {number} du banc)"
    warm(GUIDE)
    slug = GUIDE.rstrip("/").rsplit("/", 1)[-1]
    output = pp.manage(env, "shell", "-c", PUBLISH.format(slug=slug, title=title))
    published_at = float(output.strip().splitlines()[-1])
    return poll_until(GUIDE, lambda page: title in page, published_at)


def free_places(page: str) -> int:
    return sum(int(number) for number in FREE_PLACES.findall(page))


def venue_with_places(agenda: str) -> tuple[str, str]:
    """A venue page showing free places, and the sign-up page of one of its sessions,
    one with free places of its own if there is one (a sign-up on a waiting list changes
    no free place)."""
    _, _, listing = request(PROXY_PORT, "GET", agenda)
    found = []
    for venue in dict.fromkeys(re.findall(r'href="(/pres-de-chez-vous/lieux/\d+/)"', listing)):
        _, _, page = request(PROXY_PORT, "GET", venue)
        if free_places(page) == 0:
            continue
        for session_path, _ in SESSION_LINK.findall(page):
            code, _, form = request(PROXY_PORT, "GET", session_path)
            if code == 200 and 'name="first_name"' in form:
                if free_places(form) > 0:
                    return venue, session_path
                found.append((venue, session_path))
    if not found:
        sys.exit("no venue page with a session open for sign-up in the demo")
    return found[0]


def sign_up(session_path: str, number: int) -> float:
    """GET the form, POST it through the proxy; the time the answer came back."""
    code, response, form = request(PROXY_PORT, "GET", session_path)
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = CSRF.search(form)
    if code != 200 or not token or not cookie:
        sys.exit(f"the sign-up form of {session_path} cannot be sent ({code})")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "first_name": f"Banc{number}",
            "phone": f"06 12 34 56 {10 + number:02d}",
            "email": "",
            "site_web": "",
        }
    )
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{pp.HOST}:{PROXY_PORT}{session_path}",
    }
    code, _, page = request(PROXY_PORT, "POST", session_path, body, headers)
    if code not in (302, 303):
        sys.exit(f"the sign-up was refused ({code}): {page[:300]}")
    return time.time()


def signup_visible(venue: str, session_path: str, number: int) -> dict:
    warm(venue)
    before = free_places(request(PROXY_PORT, "GET", venue)[2])
    sent_at = sign_up(session_path, number)
    result = poll_until(venue, lambda page: free_places(page) < before, sent_at)
    return {**result, "free_places_before": before}


def freshness(env: dict[str, str], agenda: str, rounds: int) -> dict:
    venue, session_path = venue_with_places(agenda)
    publications = [publication_visible(env, number + 1) for number in range(rounds)]
    signups = [signup_visible(venue, session_path, number + 1) for number in range(rounds)]
    return {
        "venue": venue,
        "session": session_path,
        "publication": publications,
        "signup": signups,
    }


def worst(samples: list[dict]) -> float | None:
    seconds = [sample["seconds"] for sample in samples]
    return None if None in seconds else max(seconds)


def report(data: dict) -> str:
    rows = data["throughput"]
    lines = [
        "Pas à pas – front cache benchmark (nginx proxy_cache in front of gunicorn)",
        f"date {data['date']}  commit {data['commit']}  {data['machine']['cpus']} CPU "
        f"({data['machine']['cpu_model']})",
        f"nginx: deploy/nginx/pasapas.conf rendered by deploy/check.py (1 worker, plain HTTP "
        f"on :{PROXY_PORT}); gunicorn 2 workers, production settings, page cache on",
        f"wrk -t2 -c8 -d{data['duration_s']}s --latency, {data['rounds']} interleaved rounds, "
        f"median; load = 1-minute load average before each round",
        f"yardstick: the guide's HTML ({data['yardstick_bytes']} bytes) as a static file "
        f"served by nginx",
        "",
        f"{'what':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'% static':>10}  load  cache",
    ]
    titles = {
        "static": "nginx static file",
        "guide_proxy": "guide, through the proxy cache",
        "agenda_proxy": "agenda, through the proxy cache",
        "guide_gunicorn": "guide, gunicorn only",
        "agenda_gunicorn": "agenda, gunicorn only",
    }
    for key, title in titles.items():
        row = rows[key]
        loads = "/".join(f"{value:.1f}" for value in row["load_before"])
        lines.append(
            f"{title:<34}{row['median_rps']:>9.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{row['pct_of_static']:>9.1f}%  {loads}  {row['x_cache_status']}"
            + (f"  NON-2XX {row['non_2xx']}" if row["non_2xx"] else "")
        )
    fresh = data["freshness"]
    lines += ["", f"Freshness through the proxy (polled every {POLL_SECONDS * 1000:.0f} ms):"]
    for kind, what in (("publication", "publication"), ("signup", "sign-up")):
        seconds = ", ".join(
            "not seen" if s["seconds"] is None else f"{s['seconds']:.2f}" for s in fresh[kind]
        )
        lines.append(f"  {what:<12} -> visible after {seconds} s")
    lines.append(f"  (guide {GUIDE}; sign-up on {fresh['session']}, watched on {fresh['venue']})")
    lines += ["", "Targets:"]
    for name, target in data["targets"].items():
        verdict = "met" if target["met"] else "MISSED"
        lines.append(f"  {name:<36} {target['value']} (target {target['target']}) {verdict}")
    return "\n".join(lines) + "\n"


def targets(data: dict) -> dict:
    rows = data["throughput"]
    fresh = data["freshness"]
    limit = TARGETS["visible_seconds"]
    found = {}
    for key in ("guide_proxy", "agenda_proxy"):
        value = rows[key]["pct_of_static"]
        found[f"{key} % of nginx static"] = {
            "value": value,
            "target": f">= {TARGETS['proxy_pct_of_static']}",
            "met": value >= TARGETS["proxy_pct_of_static"],
        }
    for kind in ("publication", "signup"):
        value = worst(fresh[kind])
        found[f"{kind} visible, worst (s)"] = {
            "value": value,
            "target": f"<= {limit}",
            "met": value is not None and value <= limit,
        }
    return found


def prepare(env: dict[str, str]) -> None:
    pp.log(f"database {pp.DB_NAME}: drop, create, migrate (production settings)")
    pp.recreate_database()
    pp.flush_redis()
    pp.manage(env, "migrate", "--no-input", "-v0")
    pp.log("demo content (development settings: the demo app)")
    pp.manage(pp.demo_env(env), "load_demo")
    pp.log("collectstatic")
    pp.manage(env, "collectstatic", "--no-input", "-v0")


def run(env: dict[str, str], work: Path, args) -> dict:
    with pp.Gunicorn(env, pp.CACHE_ON_SECONDS, work / "gunicorn.log", start_seconds=180):
        status, _, _ = pp.fetch(GUIDE)
        if status != 200:
            sys.exit(f"{GUIDE} answered {status}")
        guide_html = pp.fetch(GUIDE)[2]
        yardstick = work / "media" / "bench-yardstick.html"
        yardstick.write_bytes(guide_html)
        with Nginx(work / "nginx", work / "media"):
            agenda = AGENDA
            through = throughput(agenda, "/media/bench-yardstick.html", args)
            fresh = freshness(env, agenda, args.rounds)
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": pp.git_commit(),
        "machine": pp.machine(),
        "duration_s": args.duration,
        "rounds": args.rounds,
        "yardstick_bytes": len(guide_html),
        "throughput": through,
        "freshness": fresh,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database kept by --keep (no setup)"
    )
    args = parser.parse_args()
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing")
    if check.nginx_binary() is None:
        sys.exit("nginx is missing: apt-get install nginx-light")
    isolate()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="pasapas-bench-front-"))
    (work / "media").mkdir()
    env = pp.base_env(work / "media")
    pp.log(f"load average before: {os.getloadavg()}")
    try:
        if not args.reuse:
            prepare(env)
        data = run(env, work, args)
        data["targets"] = targets(data)
        text = report(data)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "front_cache.txt").write_text(text)
        (RESULTS / "front_cache.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        )
        print()
        print(text)
        pp.log(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS}")
    finally:
        if args.keep:
            pp.log(f"kept database {pp.DB_NAME} and {work}")
        else:
            pp.drop_database()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
