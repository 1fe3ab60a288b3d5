"""Benchmarks of the public agenda (« Près de chez vous »): the agenda page of a commune,
and public sign-ups per second. Not tests: numbers, printed and written to bench/results/.

One run (about 5 minutes), on 127.0.0.1 only:
1. drops and recreates the PostgreSQL database `pasapas_bench_agenda`, migrates it
   (production settings), loads the demo (pages, ateliers, communes; development settings,
   as public_pages.py does) and adds the agenda's data (seeded): 480 venues, 80 of them in
   the communes nearest La Roche-sur-Yon and 400 elsewhere in France, 16 published sessions
   each over the next 8 weeks (ateliers, temps d'échange, permanences; themes, audiences,
   some places taken), plus the sign-up sessions (200 ateliers of 12 places, waiting list
   of 10); then collectstatic;
2. the agenda page (a commune search, `agenda:index`) measured exactly as public_pages.py
   measures pages: gunicorn `-w 2` with the production settings and Redis cache, wrk
   -t2 -c8 -d15s --latency, each rate as a % of a static file of the page's size served by
   the same gunicorn (whitenoise), measured before and after. Three ways: page cache off
   (PAGE_CACHE_SECONDS=0: every request renders), cache on with a query string that
   changes on every request (a wrk Lua script adds `&_bench=<n>`: every request misses,
   renders and stores), and cache on (every request but the first is a hit);
3. sign-ups: gunicorn with the production config file (deploy/gunicorn.conf.py: 2 × CPU
   + 1 workers) and production settings, the sign-up rate limit per address raised by its
   setting (AGENDA_SIGNUP_RATE_PER_ADDRESS, read from the environment: every client is
   127.0.0.1; the counting still runs), a Celery worker as production runs it
   (`celery -A celery_app worker`, deploy/Procfile) on a Redis broker of its own, sending
   the notice of each sign-up (SMS and e-mail to files) on the same two cores; its CPU is
   counted per sign-up with gunicorn's and PostgreSQL's, and the run waits for the last
   notice before it stops counting; then
   CLIENTS concurrent clients, each one sign-up after the other during --signup-seconds:
   GET the session page of a random sign-up session (the form and its CSRF cookie), POST
   the form (first name, a unique phone number or e-mail, consent). Counted: sign-ups
   (redirect to the person's booking page), refusals (the form shown again, e.g. waiting
   list full), rate-limited, errors (5xx, CSRF failures, socket errors), latency; then,
   in the database, confirmed bookings per session against its capacity (overbooking must
   be 0), waiting lists against their length, and sign-ups answered vs bookings stored.

Usage: `.venv/bin/python bench/agenda.py [--only pages|signups] [--duration 15]
[--signup-seconds 30] [--clients 16] [--keep]`. Needs PostgreSQL on 127.0.0.1:5432 (user
postgres, trust), Redis on 127.0.0.1:6379 and wrk. Results: bench/results/agenda.txt, .json.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a `statistics.py`: take this folder off the path (Python put it first) so
# `import statistics` anywhere means the standard library; load public_pages from its file.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import importlib.util  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import zoneinfo  # noqa: E402

_spec = importlib.util.spec_from_file_location("public_pages", BENCH_DIR / "public_pages.py")
pp = importlib.util.module_from_spec(_spec)
sys.modules["public_pages"] = pp
_spec.loader.exec_module(pp)

ROOT = pp.ROOT
RESULTS = ROOT / "bench" / "results"
DB_NAME = os.environ.get("BENCH_AGENDA_DB", "pasapas_bench_agenda")
CENTRE_INSEE = "85191"  # La Roche-sur-Yon
# The agenda search as a person types it (the parameter is the agenda form's field).
AGENDA_QUERY = "?commune=la+roche+sur+yon"
NEARBY_VENUES = 80
FAR_VENUES = 400
SESSIONS_PER_VENUE = 16
SIGNUP_SESSIONS = 200
SIGNUP_CAPACITY = 12
SIGNUP_WAITLIST = 10
BURST_ATTEMPTS = 40  # for one session: 12 confirmed, 10 waiting, 18 refused or no form
BENCH_TAG = "bench-agenda"
# All the clients share 127.0.0.1: the per-address limit (20/h in production) is raised.
SIGNUP_RATE_PER_ADDRESS = "1000000/h"
# The sign-ups' Celery broker (a Redis database of its own, emptied before the run); the
# worker is started as deploy/Procfile starts it.
BROKER_URL = "redis://127.0.0.1:6379/4"
DRAIN_SECONDS = 120  # the longest wait for the worker to send the last notices
TARGETS = {"cached_pct": 60.0, "uncached_pct": 15.0, "signups_per_second": 100.0}
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
log = pp.log


def isolate(args) -> None:
    """Another database, port and Redis databases (cache and broker), so two benchmarks
    can run side by side on this machine without touching each other's data."""
    global DB_NAME, BROKER_URL
    if args.db:
        DB_NAME = args.db
    if args.port:
        pp.PORT = args.port
        pp.BASE_URL = f"http://{pp.HOST}:{pp.PORT}"
    if args.redis_db is not None:
        pp.REDIS_URL = f"redis://{pp.HOST}:6379/{args.redis_db}"
        BROKER_URL = f"redis://{pp.HOST}:6379/{args.redis_db + 1}"


def bench_env(work: Path) -> dict[str, str]:
    """public_pages' environment (production settings) on our database; SMS and e-mails
    written to files in the work folder."""
    env = pp.base_env(work / "media")
    env.update(
        {
            "DATABASE_URL": f"{pp.DB_SERVER}/{DB_NAME}",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(work / "mail"),
            "SMS_BACKEND": "common.sms.backends.filebased.SmsBackend",
            "SMS_FILE_PATH": str(work / "sms"),
        }
    )
    return env


def database_recreate() -> None:
    import psycopg

    with psycopg.connect(f"{pp.DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def database_drop() -> None:
    import psycopg

    with psycopg.connect(f"{pp.DB_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()


# Data -----------------------------------------------------------------------------------


def _communes(rng: random.Random):
    """The centre, its NEARBY_VENUES nearest communes, and FAR_VENUES others (seeded)."""
    from learners.models import Commune

    communes = list(Commune.objects.exclude(latitude=None).order_by("insee_code"))
    centre = next(c for c in communes if c.insee_code == CENTRE_INSEE)
    by_distance = sorted(communes, key=lambda c: centre.distance_km(c) or 0.0)
    nearby = by_distance[:NEARBY_VENUES]
    far = rng.sample(by_distance[NEARBY_VENUES * 5 :], FAR_VENUES)
    return nearby, far


def _venues(rng: random.Random, communes) -> list:
    from learners.choices import StructureKind
    from learners.models import Structure, Venue

    structures = {}
    venues = []
    for n, commune in enumerate(communes):
        department = commune.department_code
        if department not in structures:
            structures[department] = Structure.objects.create(
                name=f"Réseau numérique {department} ({BENCH_TAG})",
                kind=StructureKind.ASSOCIATION,
                commune=commune,
            )
        postal = (commune.postal_codes.split() or ["00000"])[0]
        venues.append(
            Venue(
                structure=structures[department],
                name=f"Espace numérique de {commune.name}",
                address=f"{rng.randint(1, 80)} rue de la Mairie",
                postal_code=postal,
                commune=commune,
                latitude=commune.latitude,
                longitude=commune.longitude,
                opening_hours="Tu 09:00-12:00; Th 14:00-17:00",
                accessibility="Accès de plain-pied.",
                external_id=f"{BENCH_TAG}-{n}",
            )
        )
    return Venue.objects.bulk_create(venues)


def _session(rng, venue, start, ateliers, **fields):
    from learners.choices import SessionKind
    from learners.models import Session
    from workshops.choices import WorkshopLevel

    kind = rng.choice([SessionKind.WORKSHOP] * 3 + [SessionKind.DISCUSSION, SessionKind.DROP_IN])
    defaults = {
        "kind": kind,
        "atelier": rng.choice(ateliers) if kind == SessionKind.WORKSHOP and ateliers else None,
        "capacity": rng.choice([6, 8, 10, 12]) if kind != SessionKind.DROP_IN else None,
        "level": rng.choice(WorkshopLevel.values) if kind == SessionKind.WORKSHOP else "",
        "duration_minutes": rng.choice([60, 90, 120]),
        "what_to_bring": "Votre téléphone chargé.",
    }
    return Session(
        structure=venue.structure,
        venue=venue,
        start=start,
        is_published=True,
        external_id=f"{BENCH_TAG}-{venue.pk}-{start:%Y%m%d%H%M}",
        **{**defaults, **fields},
    )


def _links(rng, sessions) -> None:
    """Themes and audiences of the sessions, and some places taken by bookings."""
    import secrets

    from learners.models import Booking, BookingStatus, Session
    from workshops.models import Audience, Theme

    themes = list(Theme.objects.values_list("pk", flat=True))
    audiences = list(Audience.objects.values_list("pk", flat=True))
    through_themes, through_audiences, bookings = [], [], []
    for session in sessions:
        for theme in rng.sample(themes, min(2, len(themes))):
            through_themes.append(Session.themes.through(session_id=session.pk, theme_id=theme))
        for audience in rng.sample(audiences, min(1, len(audiences))):
            through_audiences.append(
                Session.audiences.through(session_id=session.pk, audience_id=audience)
            )
        if session.capacity and rng.random() < 0.4:
            for k in range(rng.randint(1, session.capacity)):
                bookings.append(
                    Booking(
                        session=session,
                        token=secrets.token_urlsafe(32),
                        first_name="Camille",
                        email=f"deja-{session.pk}-{k}@example.org",
                        status=BookingStatus.CONFIRMED,
                    )
                )
    Session.themes.through.objects.bulk_create(through_themes)
    Session.audiences.through.objects.bulk_create(through_audiences)
    Booking.objects.bulk_create(bookings, batch_size=2000)


def agenda_data_create(seed: int = 14) -> dict:
    """Venues and upcoming sessions for the agenda; returns the sign-up sessions' ids."""
    from django.db import transaction

    from learners.choices import SessionKind
    from learners.models import Session
    from workshops.models import AtelierPage

    rng = random.Random(seed)
    ateliers = list(AtelierPage.objects.live().public().order_by("pk"))
    today = datetime.datetime.now(PARIS).date()
    with transaction.atomic():
        nearby, far = _communes(rng)
        venues = _venues(rng, nearby + far)
        sessions = []
        for venue in venues:
            for week in range(SESSIONS_PER_VENUE // 2):
                for hour in (10, 14):
                    day = today + datetime.timedelta(days=1 + 7 * week + rng.randint(0, 5))
                    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)
                    sessions.append(_session(rng, venue, start, ateliers))
        signup = []
        for n in range(SIGNUP_SESSIONS):
            venue = venues[n % NEARBY_VENUES]
            day = today + datetime.timedelta(days=3 + n // NEARBY_VENUES)
            start = datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=PARIS)
            signup.append(
                _session(
                    rng,
                    venue,
                    start,
                    ateliers,
                    kind=SessionKind.WORKSHOP,
                    title=f"Atelier e-mail ({BENCH_TAG} {n})",
                    capacity=SIGNUP_CAPACITY,
                    waitlist_capacity=SIGNUP_WAITLIST,
                )
            )
        created = Session.objects.bulk_create(sessions + signup, batch_size=2000)
        _links(rng, created[: len(sessions)])
    return {
        "venues": len(venues),
        "sessions": len(sessions),
        "signup_session_ids": [s.pk for s in created[len(sessions) :]],
    }


# Server CPU -----------------------------------------------------------------------------
# This machine is shared: when other processes load it, rates fall for reasons that are not
# ours. The CPU time the server spent (gunicorn's workers and the PostgreSQL backends of
# the bench database, from /proc/<pid>/schedstat) per request does not depend much on that
# load: it gives what a request costs, and what two idle cores could serve at most
# (2 × 1000 ms / cost; no lock waits or I/O waits in that projection).


def _cpu_ns(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _database_backends() -> list[int]:
    import psycopg

    with psycopg.connect(f"{pp.DB_SERVER}/postgres", autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
        ).fetchall()
    return [pid for (pid,) in rows]


class ServerCpu:
    """CPU seconds of the gunicorn workers, the Celery worker (when one runs) and the
    database's backends during the block."""

    def __init__(self, server: pp.Gunicorn, worker: CeleryWorker | None = None):
        self.master = server.process.pid
        self.worker = worker.process.pid if worker is not None else None

    def _snapshot(self) -> dict[tuple[str, int], int]:
        pids = [("gunicorn", pid) for pid in [self.master, *_children(self.master)]]
        if self.worker is not None:
            pids += [("celery", pid) for pid in [self.worker, *_children(self.worker)]]
        pids += [("postgres", pid) for pid in _database_backends()]
        return {key: ns for key in pids if (ns := _cpu_ns(key[1])) is not None}

    def __enter__(self) -> ServerCpu:
        self.before = self._snapshot()
        return self

    def __exit__(self, *exc) -> None:
        after = self._snapshot()
        spent = {"gunicorn": 0, "celery": 0, "postgres": 0}
        for key, ns in after.items():
            spent[key[0]] += ns - self.before.get(key, 0)
        self.seconds = {side: ns / 1e9 for side, ns in spent.items()}

    def per(self, count: int) -> dict:
        total = sum(self.seconds.values())
        cost_ms = 1000 * total / max(count, 1)
        return {
            "cpu_ms": round(cost_ms, 3),
            "cpu_ms_gunicorn": round(1000 * self.seconds["gunicorn"] / max(count, 1), 3),
            "cpu_ms_postgres": round(1000 * self.seconds["postgres"] / max(count, 1), 3),
            "cpu_ms_celery": round(1000 * self.seconds["celery"] / max(count, 1), 3),
            "two_core_projection_per_s": round(2000 / cost_ms, 1) if cost_ms else None,
        }


def wrk_with_cpu(server, path: str, duration: int, script: Path | None = None) -> dict:
    with ServerCpu(server) as cpu:
        figures = pp.run_wrk(path, duration, script)
    return {**figures, **cpu.per(figures["requests"])}


# Agenda page ----------------------------------------------------------------------------

VARYING_QUERY_LUA = """
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", wrk.path .. "&_bench=" .. n .. "-" .. math.random(1e9))
end
"""


def agenda_measure(env, cache_seconds: int, path: str, yardstick: str, args, work: Path) -> dict:
    """The static yardstick before and after; the agenda page (and, cache on, the misses)."""
    log_path = work / "gunicorn.log"
    results: dict = {}
    with pp.Gunicorn(env, cache_seconds, log_path) as server:
        headers = pp.check_pages([path], bool(cache_seconds))
        log(f"wrk {yardstick} (static, before)")
        results["static_before"] = wrk_with_cpu(server, yardstick, args.duration)
        log(f"wrk {path} (page cache {'on' if cache_seconds else 'off'})")
        results["page"] = {
            **wrk_with_cpu(server, path, args.duration),
            "x_page_cache": headers[path],
        }
        if cache_seconds:
            script = work / "varying_query.lua"
            script.write_text(VARYING_QUERY_LUA)
            status, miss_headers, _ = pp.fetch(f"{path}&_bench=check")
            log(f"wrk {path}&_bench=<n> (page cache on, every request a miss)")
            results["miss"] = {
                **wrk_with_cpu(server, path, args.duration, script),
                "x_page_cache": miss_headers.get("X-Page-Cache", "absent")
                if status == 200
                else str(status),
            }
        log(f"wrk {yardstick} (static, after)")
        results["static_after"] = wrk_with_cpu(server, yardstick, args.duration)
    static = (
        results["static_before"]["requests_per_second"]
        + results["static_after"]["requests_per_second"]
    ) / 2
    static_cpu = (results["static_before"]["cpu_ms"] + results["static_after"]["cpu_ms"]) / 2
    results["static_rps"] = round(static, 1)
    results["static_cpu_ms"] = round(static_cpu, 3)
    for key in ("page", "miss"):
        if key in results:
            row = results[key]
            row["pct_of_static"] = round(100 * row["requests_per_second"] / static, 2)
            row["cpu_pct_of_static"] = round(100 * static_cpu / row["cpu_ms"], 2)
    return results


def agenda_bench(env, args, work: Path) -> dict:
    from django.urls import reverse

    path = reverse("agenda:index") + args.agenda_query
    shutil.rmtree(pp.STATIC_ROOT / pp.YARDSTICK_DIR, ignore_errors=True)
    with pp.Gunicorn(env, 0, work / "gunicorn.log"):
        pp.check_pages([path], cache_on=False)
        html = pp.fetch(path)[2]
    (pp.STATIC_ROOT / pp.YARDSTICK_DIR).mkdir(parents=True)
    (pp.STATIC_ROOT / pp.YARDSTICK_DIR / "agenda.html").write_bytes(html)
    yardstick = f"/static/{pp.YARDSTICK_DIR}/agenda.html"
    try:
        runs = {
            "off": agenda_measure(env, 0, path, yardstick, args, work),
            "on": agenda_measure(env, pp.CACHE_ON_SECONDS, path, yardstick, args, work),
        }
    finally:
        shutil.rmtree(pp.STATIC_ROOT / pp.YARDSTICK_DIR, ignore_errors=True)
    listed = len(set(re.findall(rb'href="[^"]*/seances/(\d+)/"', html)))
    return {"path": path, "html_bytes": len(html), "sessions_listed": listed, "runs": runs}


# Sign-ups -------------------------------------------------------------------------------

INPUT = re.compile(rb"<(input|select|textarea)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(rb"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
FORM_ACTION = re.compile(rb"""<form\b[^>]*?\baction\s*=\s*["']([^"']*)["']""", re.I)


def form_action(html: bytes, page_path: str) -> str:
    """Where the sign-up form posts: the action of the last form opened before the first
    name field (the page's own address when it has none)."""
    position = html.find(b'name="first_name"')
    actions = FORM_ACTION.findall(html[: position if position >= 0 else len(html)])
    action = actions[-1].decode() if actions else ""
    return urllib.parse.urljoin(page_path, action) if action else page_path


def form_defaults(html: bytes) -> dict[str, str]:
    """What a browser would send untouched: hidden inputs and checked boxes (a honeypot
    text field stays empty)."""
    import html as html_lib

    fields = {}
    for _tag, raw in INPUT.findall(html):
        attrs = {
            m[0].decode().lower(): html_lib.unescape((m[1] or m[2]).decode())
            for m in ATTRIBUTE.findall(raw)
        }
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if not name:
            continue
        if kind == "hidden" or (kind in ("checkbox", "radio") and b"checked" in raw.lower()):
            fields[name] = attrs.get("value", "on")
    return fields


class SignupClient(threading.Thread):
    """One person after another: GET the session page, POST its form, until the deadline."""

    def __init__(self, number: int, paths: list[str], deadline: float, stats: dict, lock):
        super().__init__(daemon=True)
        self.number, self.paths, self.deadline = number, paths, deadline
        self.stats, self.lock = stats, lock
        self.rng = random.Random(number)

    def _request(self, method: str, path: str, body: str = "", headers=None):
        connection = http.client.HTTPConnection(pp.HOST, pp.PORT, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read()
        finally:
            connection.close()

    def _count(self, outcome: str, seconds: float, sample: str = "") -> None:
        with self.lock:
            self.stats["outcomes"][outcome] = self.stats["outcomes"].get(outcome, 0) + 1
            self.stats["latencies_ms"].append(seconds * 1000)
            if sample and len(self.stats["samples"].setdefault(outcome, [])) < 3:
                self.stats["samples"][outcome].append(sample)

    def signup_once(self, n: int) -> None:
        path = self.rng.choice(self.paths)
        started = time.monotonic()
        status, cookie, html = self._request("GET", path)
        token = CSRF_COOKIE.search(cookie)
        if status == 200 and b'name="first_name"' not in html:
            # No form: the session and its waiting list are full (the page says so).
            self._count("no form (session and waiting list full)", time.monotonic() - started)
            return
        if status != 200 or not token:
            self._count(f"form GET {status}", time.monotonic() - started)
            return
        fields = form_defaults(html)
        # Half by phone, typed as people do (06 12 xx xx xx: ARCEP's range for fiction is
        # refused as invalid by phonenumbers; nothing leaves the machine, SMS go to files),
        # half by e-mail; every contact is new (a cap per contact applies).
        if n % 2:
            digits = f"{n // 2 % 1_000_000:06d}"
            contact = {
                "phone": f"06 12 {digits[0:2]} {digits[2:4]} {digits[4:6]}",
                "email": "",
            }
        else:
            contact = {"phone": "", "email": f"personne-{n}@example.org"}
        fields.update({"first_name": f"Personne {n}", "reminder_consent": "on", **contact})
        status, _, body = self._request(
            "POST",
            form_action(html, path),
            urllib.parse.urlencode(fields),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token.group(1)}",
            },
        )
        seconds = time.monotonic() - started
        if status in (302, 303):
            self._count("signed up", seconds)
        elif status in (200, 400, 409, 422):  # the form again, with what went wrong
            self._count(f"refused ({status}, form shown again)", seconds, _error_text(body))
        elif status == 429:
            self._count("rate-limited (429)", seconds)
        else:
            self._count(f"error {status}", seconds, body[:300].decode("utf-8", "replace"))

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            with self.lock:
                n = next(self.stats["counter"])
            if n >= self.stats.get("limit", n + 1):
                return
            try:
                self.signup_once(n)
            except (OSError, http.client.HTTPException) as error:
                self._count("socket error", 0.0, repr(error))


def _error_text(body: bytes) -> str:
    """The error summary's text (what the person reads), for the report."""
    import html

    text = body.decode("utf-8", "replace")
    match = re.search(r'role="alert"[^>]*>(.*?)</(?:div|section|ul)>', text, re.S)
    found = re.sub(r"<[^>]+>|\s+", " ", match.group(1) if match else "")
    found = re.sub(r"\s+", " ", html.unescape(found)).strip()
    return found[:200] or "(no error summary found)"


def production_gunicorn(env: dict[str, str], log_path: Path) -> pp.Gunicorn:
    """gunicorn --config deploy/gunicorn.conf.py (2 × CPU + 1 workers, access log on), on
    the bench's address; the page cache as in production."""
    config = str(ROOT / "deploy" / "gunicorn.conf.py")
    address = f"{pp.HOST}:{pp.PORT}"
    return pp.Gunicorn(env, pp.CACHE_ON_SECONDS, log_path, ["--config", config, "-b", address])


class CeleryWorker:
    """`celery -A celery_app worker --loglevel=INFO` as deploy/Procfile runs it (prefork,
    one process per CPU), on the bench's broker, with the sign-ups' environment."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> CeleryWorker:
        import redis

        redis.Redis.from_url(BROKER_URL).flushdb()
        celery = Path(sys.executable).with_name("celery")
        self.log_file = self.log_path.open("a")
        self.process = subprocess.Popen(
            [str(celery), "-A", "celery_app", "worker", "--loglevel=INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the Celery worker exited; see {self.log_path}")
            if b"ready." in self.log_path.read_bytes():
                return self
            time.sleep(0.3)
        self.__exit__(None, None, None)
        sys.exit(f"the Celery worker did not start; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def notices_sent(session_ids: list[int]) -> int:
    from learners.models import MessageSent

    return MessageSent.objects.filter(
        booking__session_id__in=session_ids, sent_at__isnull=False
    ).count()


def notices_drain(session_ids: list[int], expected: int) -> dict:
    """Waits until the worker has sent a notice for each of `expected` bookings (or
    DRAIN_SECONDS pass); how long the queue took to empty after the last sign-up."""
    started = time.monotonic()
    sent = notices_sent(session_ids)
    while sent < expected and time.monotonic() - started < DRAIN_SECONDS:
        time.sleep(0.2)
        sent = notices_sent(session_ids)
    return {
        "expected": expected,
        "sent": sent,
        "drain_seconds": round(time.monotonic() - started, 1),
    }


def booking_check(session_ids: list[int]) -> dict:
    """Overbooking and waiting-list overflow per session, from the database."""
    from django.db.models import Count, Q

    from learners.models import BOOKING_SEAT_STATUSES, Booking, BookingStatus, Session

    rows = (
        Session.objects.filter(pk__in=session_ids)
        .annotate(
            seats=Count("bookings", filter=Q(bookings__status__in=BOOKING_SEAT_STATUSES)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        .values("pk", "capacity", "waitlist_capacity", "seats", "waiting")
    )
    overbooked = [r for r in rows if r["seats"] > r["capacity"]]
    overflowing = [r for r in rows if r["waiting"] > r["waitlist_capacity"]]
    bookings = Booking.objects.filter(session_id__in=session_ids)
    return {
        "sessions": len(rows),
        "confirmed_or_offered": sum(r["seats"] for r in rows),
        "waiting": sum(r["waiting"] for r in rows),
        "full_sessions": sum(r["seats"] >= r["capacity"] for r in rows),
        "overbooked_sessions": len(overbooked),
        "overbooked_places": sum(r["seats"] - r["capacity"] for r in overbooked),
        "waitlist_overflow_sessions": len(overflowing),
        "bookings_stored": bookings.count(),
        "duplicate_contacts": bookings.values("session_id", "email", "phone")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }


def _clients_run(count: int, paths: list[str], seconds: float, stats: dict) -> float:
    lock = threading.Lock()
    started = time.monotonic()
    clients = [SignupClient(n, paths, started + seconds, stats, lock) for n in range(count)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return time.monotonic() - started


def _new_stats(first_contact: int, limit: int | None = None) -> dict:
    stats = {
        "outcomes": {},
        "latencies_ms": [],
        "samples": {},
        "counter": itertools.count(first_contact),
    }
    return {**stats, "limit": limit} if limit else stats


def signup_burst(args, path: str, session_id: int) -> dict:
    """All the clients at once on ONE session: BURST_ATTEMPTS sign-ups for its 12 places and
    waiting list of 10 (the issue's concurrency case, through gunicorn)."""
    stats = _new_stats(900_000, 900_000 + BURST_ATTEMPTS)  # contacts of their own
    log(f"burst: {BURST_ATTEMPTS} sign-ups by {args.clients} clients for one session")
    _clients_run(args.clients, [path], 120, stats)
    return {
        "attempts": BURST_ATTEMPTS,
        "outcomes": stats["outcomes"],
        "samples": stats["samples"],
        "database": booking_check([session_id]),
    }


def signup_bench(env, args, work: Path, session_ids: list[int]) -> dict:
    from django.urls import reverse

    burst_id, session_ids = session_ids[0], session_ids[1:]
    burst_path = reverse("agenda:session", kwargs={"session_id": burst_id})
    paths = [reverse("agenda:session", kwargs={"session_id": pk}) for pk in session_ids]
    stats = _new_stats(0)
    env = {
        **env,
        "AGENDA_SIGNUP_RATE_PER_ADDRESS": SIGNUP_RATE_PER_ADDRESS,
        "CELERY_BROKER_URL": BROKER_URL,
    }
    log_path = work / "gunicorn.log"
    log_start = log_path.stat().st_size if log_path.exists() else 0
    worker_log = work / "celery.log"
    with production_gunicorn(env, log_path) as server, CeleryWorker(env, worker_log) as worker:
        if pp.fetch(paths[0])[0] != 200:
            sys.exit(f"{paths[0]} does not answer 200: no sign-up form to measure")
        burst = signup_burst(args, burst_path, burst_id)
        burst["notices"] = notices_drain([burst_id], burst["database"]["bookings_stored"])
        load_before = round(os.getloadavg()[0], 2)
        log(f"{args.clients} clients signing up for {args.signup_seconds} s")
        with ServerCpu(server, worker) as cpu:
            elapsed = _clients_run(args.clients, paths, args.signup_seconds, stats)
            signed_so_far = stats["outcomes"].get("signed up", 0)
            log(f"waiting for the worker to send the last of {signed_so_far} notices")
            notices = notices_drain(session_ids, signed_so_far)
    worker_tracebacks = worker_log.read_bytes().count(b"Traceback (most recent call last)")
    with log_path.open("rb") as server_log:
        server_log.seek(log_start)
        tracebacks = server_log.read().count(b"Traceback (most recent call last)")
    latencies = sorted(stats["latencies_ms"]) or [0.0]
    signed = stats["outcomes"].get("signed up", 0)
    failed = ("error", "socket", "form")
    errors = sum(v for k, v in stats["outcomes"].items() if k.startswith(failed))
    return {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "load_before": load_before,
        "outcomes": stats["outcomes"],
        "contacts_used": next(stats["counter"]),
        "samples": stats["samples"],
        "signups_per_second": round(signed / elapsed, 1),
        "attempts_per_second": round(len(stats["latencies_ms"]) / elapsed, 1),
        "errors": errors,
        "server_tracebacks": tracebacks,
        "worker_tracebacks": worker_tracebacks,
        "notices": notices,
        "server_cpu_per_signup": cpu.per(signed),
        "p50_ms": round(latencies[len(latencies) // 2], 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "database": booking_check(session_ids),
        "burst": burst,
        "workers": int(env.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1),
    }


# Report ---------------------------------------------------------------------------------


def _signup_cpu_lines(s: dict) -> list[str]:
    cpu = s["server_cpu_per_signup"]
    web_ms = round(cpu["cpu_ms"] - cpu.get("cpu_ms_celery", 0), 3)
    lines = [
        f"  server CPU per sign-up {cpu['cpu_ms']} ms (gunicorn {cpu['cpu_ms_gunicorn']}, "
        f"Celery worker {cpu.get('cpu_ms_celery', 0)}, PostgreSQL {cpu['cpu_ms_postgres']}"
        f"): at most {cpu['two_core_projection_per_s']} sign-ups/s on 2 idle cores",
        f"  without the worker (gunicorn + PostgreSQL, the worker's queries included): {web_ms} ms",
    ]
    if "notices" in s:
        n = s["notices"]
        lines.append(
            f"  notices sent by the worker {n['sent']}/{n['expected']}, the last "
            f"{n['drain_seconds']} s after the last sign-up; tracebacks in the worker's "
            f"log {s.get('worker_tracebacks', 0)}"
        )
    return lines


def report(data: dict) -> str:
    lines = [
        "Pas à pas – public agenda benchmark (« Près de chez vous »)",
        f"date {data['date']} (Paris)  commit {data['commit']}  {data['machine']['cpus']} CPU "
        f"({data['machine']['cpu_model']})  Python {data['machine']['python']}",
        f"settings: {data['settings']}",
        f"data: {data['data']['venues']} venues, {data['data']['sessions']} upcoming published "
        f"sessions + {len(data['data']['signup_session_ids'])} sign-up sessions "
        f"({SIGNUP_CAPACITY} places, waiting list {SIGNUP_WAITLIST})",
    ]
    if "agenda" in data:
        agenda = data["agenda"]
        lines += [
            "",
            f"Agenda page {agenda['path']} ({agenda['html_bytes']} bytes, "
            f"{agenda['sessions_listed']} sessions listed)",
            f"gunicorn -w 2, wrk -t2 -c8 -d{data['duration_s']}s --latency; % static = page "
            "rate / mean rate of a static file of the page's size (whitenoise), same run",
            "cpu ms = server CPU per request (gunicorn workers + PostgreSQL backends); cpu % "
            "static = static cpu ms / page cpu ms (what the rates' ratio would be on idle "
            "cores); load = 1-minute load average before the run (2 = both cores busy)",
            f"{'case':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'% static':>10}{'load':>6}"
            f"{'cpu ms':>9}{'cpu % st':>10}  X-Page-Cache",
        ]
        cases = [
            ("off", "page", "uncached (PAGE_CACHE_SECONDS=0)"),
            ("on", "miss", "uncached (cache on, varying query: miss)"),
            ("on", "page", "cached (hit)"),
        ]
        for mode, key, title in cases:
            row = agenda["runs"][mode][key]
            lines.append(
                f"{title:<40}{row['requests_per_second']:>9.0f}{row['p50_ms']:>9.1f}"
                f"{row['p99_ms']:>9.1f}{row['pct_of_static']:>9.1f}%{row['load_before']:>6.1f}"
                f"{row['cpu_ms']:>9.2f}{row['cpu_pct_of_static']:>9.1f}%  {row['x_page_cache']}"
                + (f"  NON-2XX {row['non_2xx']}" if row["non_2xx"] else "")
            )
        for mode in ("off", "on"):
            for moment in ("before", "after"):
                row = agenda["runs"][mode][f"static_{moment}"]
                lines.append(
                    f"{'static, ' + moment + ', cache ' + mode:<40}"
                    f"{row['requests_per_second']:>9.0f}{row['p50_ms']:>9.1f}"
                    f"{row['p99_ms']:>9.1f}{'':>10}{row['load_before']:>6.1f}{row['cpu_ms']:>9.2f}"
                )
    if "signups" in data:
        s = data["signups"]
        db = s["database"]
        lines += [
            "",
            f"Sign-ups: gunicorn --config deploy/gunicorn.conf.py ({s['workers']} workers), "
            f"{s['clients']} clients, {s['seconds']} s, each GET form + POST",
            f"  sign-ups/s {s['signups_per_second']}  (attempts/s {s['attempts_per_second']}, "
            f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms per GET+POST, load before "
            f"{s['load_before']})",
        ]
        burst, bdb = s["burst"], s["burst"]["database"]
        lines.append(
            f"  burst on one session ({SIGNUP_CAPACITY} places, waiting list {SIGNUP_WAITLIST}),"
            f" {burst['attempts']} sign-ups by {s['clients']} clients at once: "
            f"{bdb['confirmed_or_offered']} places held, {bdb['waiting']} waiting, "
            + ", ".join(f"{k} {v}" for k, v in sorted(burst["outcomes"].items()))
        )
        for outcome, samples in burst["samples"].items():
            lines += [f"      {outcome}, e.g. {sample[:150]}" for sample in samples[:1]]
        lines.append("  then the throughput run, on the other sessions:")
        lines += _signup_cpu_lines(s)
        for outcome, count in sorted(s["outcomes"].items()):
            lines.append(f"  {outcome:<32}{count:>7}")
            for sample in s["samples"].get(outcome, []):
                lines.append(f"      e.g. {sample[:150]}")
        lines += [
            f"  database: {db['confirmed_or_offered']} places held, {db['waiting']} waiting, "
            f"{db['full_sessions']}/{db['sessions']} sessions full, "
            f"{db['bookings_stored']} bookings stored",
            f"  server tracebacks in gunicorn's log {s['server_tracebacks']}",
            f"  overbooked sessions {db['overbooked_sessions']} "
            f"(places {db['overbooked_places']}), waiting lists over length "
            f"{db['waitlist_overflow_sessions']}, duplicate contacts {db['duplicate_contacts']}",
        ]
    lines += ["", "Targets:"]
    for name, check in data["targets"].items():
        verdict = "met" if check["met"] else "MISSED"
        lines.append(f"  {name:<34} {check['value']:>8} (target {check['target']}) {verdict}")
    return "\n".join(lines) + "\n"


def targets(data: dict) -> dict:
    checks = {}
    if "agenda" in data:
        runs = data["agenda"]["runs"]
        checks["agenda cached % static"] = (runs["on"]["page"]["pct_of_static"], "cached_pct")
        checks["agenda uncached % static (off)"] = (
            runs["off"]["page"]["pct_of_static"],
            "uncached_pct",
        )
        checks["agenda uncached % static (miss)"] = (
            runs["on"]["miss"]["pct_of_static"],
            "uncached_pct",
        )
    if "signups" in data:
        checks["sign-ups per second"] = (
            data["signups"]["signups_per_second"],
            "signups_per_second",
        )
    result = {
        name: {"value": value, "target": f">= {TARGETS[key]}", "met": value >= TARGETS[key]}
        for name, (value, key) in checks.items()
    }
    if "signups" in data:
        db = data["signups"]["database"]
        bdb = data["signups"]["burst"]["database"]
        wrong = (
            bdb["overbooked_sessions"]
            + bdb["waitlist_overflow_sessions"]
            + bdb["duplicate_contacts"]
            + db["overbooked_sessions"]
            + db["waitlist_overflow_sessions"]
            + db["duplicate_contacts"]
            + data["signups"]["errors"]
        )
        result["overbooked, overflow, duplicates, errors"] = {
            "value": wrong,
            "target": "= 0",
            "met": wrong == 0,
        }
    return result


def prepare(env: dict[str, str]) -> dict:
    log(f"database {DB_NAME}: drop, create, migrate (production settings)")
    database_recreate()
    pp.flush_redis()
    pp.manage(env, "migrate", "--no-input", "-v0")
    log("demo content (dev settings: the demo app; communes, ateliers, pages)")
    pp.manage(pp.demo_env(env), "load_demo")
    log("collectstatic")
    pp.manage(env, "collectstatic", "--no-input", "-v0")
    django_setup(env)
    log("agenda data (venues, sessions, sign-up sessions)")
    return agenda_data_create()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["pages", "signups"], help="one part only")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--signup-seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16, help="concurrent sign-up clients")
    parser.add_argument("--agenda-query", default=AGENDA_QUERY, help="query string of the page")
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    parser.add_argument("--db", help=f"database name (default {DB_NAME})")
    parser.add_argument("--port", type=int, help=f"gunicorn's port (default {pp.PORT})")
    parser.add_argument(
        "--redis-db",
        type=int,
        help="Redis database of the cache (default 3); the broker takes the next one",
    )
    args = parser.parse_args()
    isolate(args)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="pasapas-bench-agenda-"))
    env = bench_env(work)
    try:
        made = prepare(env)
        data = {
            "date": datetime.datetime.now(PARIS).isoformat(timespec="seconds"),
            "commit": pp.git_commit(),
            "machine": pp.machine(),
            "settings": "config.settings.production, "
            f"PostgreSQL {DB_NAME}, Redis cache {pp.REDIS_URL}, sign-ups: a Celery worker "
            f"(deploy/Procfile's command) on the broker {BROKER_URL}, "
            "SMS and e-mail file backends, "
            f"AGENDA_SIGNUP_RATE_PER_ADDRESS={SIGNUP_RATE_PER_ADDRESS}",
            "duration_s": args.duration,
            "data": made,
        }
        if args.only != "signups":
            data["agenda"] = agenda_bench(env, args, work)
        if args.only != "pages":
            data["signups"] = signup_bench(env, args, work, made["signup_session_ids"])
        data["targets"] = targets(data)
        text = report(data)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "agenda.txt").write_text(text)
        (RESULTS / "agenda.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print()
        print(text)
        log(f"done in {time.monotonic() - started:.0f} s; results in {RESULTS}")
    finally:
        if args.keep:
            log(f"kept database {DB_NAME} and {work}")
        else:
            from django.db import connections

            connections.close_all()
            database_drop()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
