"""National-scale tracking data for benchmarks, loaded into PostgreSQL with COPY.

At `--scale 1` (the default): 1,000,000 people, about 10,000,000 attendance records,
about 5,000,000 competence observations (with their per-person summaries), 4,000
counsellors in 1,500 structures with 6,000 venues, about 3,000,000 sessions over the last
four years, the real French commune list (people live near their structure), national
themes, atelier curricula, anonymous participants. `--scale 0.1` is ten times smaller.

One run (everything on 127.0.0.1):
1. drops and recreates the database (`--db`, default `pasapas_national`), migrates it and
   loads the communes (`load_communes`), creates a coordinator account
   (`coordination-bench`) and a few atelier curricula (Wagtail pages);
2. drops the secondary indexes and foreign keys of the big tables, streams every table in
   parallel COPY streams (one PostgreSQL connection each) while Python generates the rows,
   then recreates and validates the indexes and constraints, resets the sequences, computes
   the sessions' participant summaries the read API reads (`SessionActivitySummary`, one
   set-based statement) and runs ANALYZE;
3. records what it made in the table `bench_national_meta` (scale, seed, counts, time),
   which `bench/statistics.py` reads to reuse a database of the right scale.

Usage: `.venv/bin/python bench/generate_national.py [--scale 1] [--db NAME] [--seed 1]`
(needs PostgreSQL on 127.0.0.1:5432, user postgres, trust authentication). Deterministic
for a given seed and scale, except for time stamps. Other benchmarks import `generate()`.

Realism, briefly: a person belongs to a structure and attends its sessions in a window of a
few months (1 + an exponential number of attendances, mean about 10; 10 % also once at
another structure); session kinds 45 % permanences, 30 % ateliers, 10 % échanges,
15 % individual appointments, people choosing collective sessions more often so ateliers
have about 6 people and appointments 1; ages skewed towards retirees; 5 % of people without
a commune, 8 % without a birth year.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import dataclasses
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT / "site"), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

HOST = "127.0.0.1"
DB_SERVER = f"postgres://postgres@{HOST}:5432"
DEFAULT_DB = "pasapas_national"
META_TABLE = "bench_national_meta"

FULL_SCALE = {
    "people": 1_000_000,
    "attendances": 10_000_000,
    "observations": 5_000_000,
    "counsellors": 4_000,
    "structures": 1_500,
    "venues": 6_000,
}
YEARS = 4
ATELIERS = 24
CHUNK_ROWS = 20_000
NULL = "\\N"  # COPY's text format for NULL

# (kind, share of sessions, mean people per session, durations in minutes)
KINDS = (
    ("permanence", 0.45, 2.0, (60, 90, 120, 180)),
    ("atelier", 0.30, 6.0, (90, 120, 120, 150)),
    ("echange", 0.10, 5.0, (60, 90)),
    ("individuel", 0.15, 1.0, (30, 45, 60)),
)
ATTENDANCE_STATUSES = (("present", 0.92), ("absent", 0.04), ("excuse", 0.02), ("inscrit", 0.02))
# Birth year offsets (age at the end of the window) and their weights.
AGE_WEIGHTS = ((8, 1), (15, 4), (21, 5), (32, 10), (50, 18), (65, 28), (78, 34))
GENDERS = (("feminin", 0.55), ("masculin", 0.40), ("non_communique", 0.05))
SOCIAL = (
    ("retraite", 0.42),
    ("sans_emploi", 0.2),
    ("en_emploi", 0.18),
    ("scolarise", 0.08),
    ("non_communique", 0.12),
)
BANDS = ("moins_12", "12_17", "18_24", "25_39", "40_59", "60_69", "70_plus", "nc")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, for the results (others share the machine)."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def scaled(scale: float) -> dict[str, int]:
    return {key: max(4, round(value * scale)) for key, value in FULL_SCALE.items()}


def database_url(db: str) -> str:
    return f"{DB_SERVER}/{db}"


def django_setup(db: str) -> None:
    """Configure Django (production settings, bench-only secret) on database `db`."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-pasapas",
            "DATABASE_URL": database_url(db),
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

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def weighted(pairs):
    values = [v for v, _w in pairs]
    cumulative = []
    total = 0.0
    for _v, w in pairs:
        total += w
        cumulative.append(total)
    return values, cumulative, total


def pick(rng: random.Random, table) -> object:
    values, cumulative, total = table
    return values[bisect.bisect_right(cumulative, rng.random() * total)]


# --- COPY streams ------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if type(value).__name__ == "Jsonb":  # a JSONField's default ([] for a venue's lists)
        value = json.dumps(value.obj, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Stream:
    """One COPY stream on its own connection. `tail` is the text of the columns the
    generator does not give (model defaults), to end every line with."""

    def __init__(self, model, columns: list[str], *, now: datetime.datetime):
        import psycopg
        from django.db import connection

        self.table = model._meta.db_table
        given = set(columns)
        extra_columns, extra_values = [], []
        for field in model._meta.concrete_fields:
            if field.primary_key or field.column in given:
                continue
            default = field.get_default() if field.has_default() else None
            if default is None and not field.null:
                internal = field.get_internal_type()
                if internal == "DateTimeField":
                    default = now
                elif internal == "DateField":
                    default = now.date()
                elif internal in ("CharField", "TextField", "SlugField", "EmailField"):
                    default = ""
                elif internal == "BooleanField":
                    default = False
                else:
                    raise RuntimeError(f"{self.table}.{field.column}: no value to give")
            if default is None:
                continue
            extra_columns.append(field.column)
            extra_values.append(_copy_text(field.get_db_prep_save(default, connection)))
        self.columns = columns + extra_columns
        self.tail = ("\t" + "\t".join(extra_values) if extra_values else "") + "\n"
        self.conn = psycopg.connect(database_url(connection.settings_dict["NAME"]))
        self.conn.execute("SET synchronous_commit = off")
        self.cursor = self.conn.cursor()
        column_list = ", ".join(f'"{c}"' for c in self.columns)
        self._context = self.cursor.copy(f'COPY "{self.table}" ({column_list}) FROM STDIN')
        self.copy = self._context.__enter__()
        self.buffer: list[str] = []
        self.rows = 0

    def add(self, line_without_tail: str) -> None:
        self.buffer.append(line_without_tail)
        self.buffer.append(self.tail)
        self.rows += 1
        if len(self.buffer) >= 2 * CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.copy.write("".join(self.buffer))
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self._context.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()


def indexes_drop(cursor, tables: list[str]) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of `tables`;
    return the SQL that recreates them (indexes first, then constraints)."""
    restore_indexes, restore_constraints = [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        for name, definition in cursor.fetchall():
            restore_constraints.append(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
            )
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = %s AND NOT x.indisprimary",
            [table],
        )
        for name, definition in cursor.fetchall():
            restore_indexes.append(definition)
            cursor.execute(f'DROP INDEX "{name}"')
    return restore_indexes + restore_constraints


# --- Generation --------------------------------------------------------------------------
# `generate` runs the phases below in a fixed order on one random source: each phase draws
# from it in the order the rows are written, so a seed always gives the same data.


@dataclasses.dataclass
class _World:
    """What the phases share: the run's settings and clock, the reference data read from
    the database, and what each phase made for the next ones."""

    rng: random.Random
    counts: dict[str, int]
    now: datetime.datetime
    today: datetime.date
    first_day: datetime.date
    n_days: int
    day_text: list[str]
    epoch0: int
    # Reference data.
    department_tables: dict = dataclasses.field(default_factory=dict)
    commune_table: tuple = ()
    commune_department: dict[str, str] = dataclasses.field(default_factory=dict)
    theme_ids: list[int] = dataclasses.field(default_factory=list)
    frameworks: dict = dataclasses.field(default_factory=dict)
    counsellors_group: Any = None
    atelier_ids: list[int] = dataclasses.field(default_factory=list)
    # The competences each atelier works on: its sessions carry them, as
    # learners.services.sessions copies an atelier's competences to its sessions.
    atelier_competences: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    # Names: (female first names, male first names, last names) and their folded forms.
    first_names: tuple = ()
    last_names: list[str] = dataclasses.field(default_factory=list)
    folded: dict[str, str] = dataclasses.field(default_factory=dict)
    # The network: (id, commune, department) per structure, counsellors and venues by
    # structure id, structures weighted by their counsellors (for sessions and people).
    structures: list[tuple] = dataclasses.field(default_factory=list)
    couns_of: list[list[int]] = dataclasses.field(default_factory=list)
    venues_of: list[list[int]] = dataclasses.field(default_factory=list)
    struct_session_table: tuple = ()
    # Sessions: per structure and kind, sorted start seconds and session ids; by session id,
    # its day and its structure (the observations' recording structure).
    pools: list = dataclasses.field(default_factory=list)
    session_day: list[int] = dataclasses.field(default_factory=lambda: [0])
    session_structure: list[int] = dataclasses.field(default_factory=lambda: [0])
    session_count: int = 0
    anonymous_rows: int = 0


def _world_start(rng: random.Random, counts: dict[str, int]) -> _World:
    from django.utils import timezone

    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    first_day = today.replace(year=today.year - YEARS)
    n_days = (today - first_day).days
    return _World(
        rng=rng,
        counts=counts,
        now=now,
        today=today,
        first_day=first_day,
        n_days=n_days,
        day_text=[(first_day + datetime.timedelta(days=d)).isoformat() for d in range(n_days + 1)],
        epoch0=int(
            datetime.datetime.combine(first_day, datetime.time(), tzinfo=datetime.UTC).timestamp()
        ),
    )


def _database_prepare(db: str, *, started: float) -> None:
    recreate_database(db)
    django_setup(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    log(f"migrated and communes loaded ({time.monotonic() - started:.0f} s)")


def _reference_read(w: _World) -> Any:
    """Communes (weighted by population), themes, frameworks; the roles' groups. Returns the
    coordinators' group."""
    from django.contrib.auth.models import Group

    from learners.models import Commune
    from workshops.models import Competence, Level, Theme
    from workshops.roles import COORDINATORS, COUNSELLORS

    communes = list(
        Commune.objects.filter(type="COM").values_list(
            "insee_code", "department_code", "population"
        )
    )
    by_department: dict[str, list] = {}
    for code, department, population in communes:
        by_department.setdefault(department, []).append((code, max(population or 0, 50)))
    w.department_tables = {d: weighted(items) for d, items in by_department.items()}
    w.commune_table = weighted([(c[0], max(c[2] or 0, 50)) for c in communes])
    w.commune_department = {c[0]: c[1] for c in communes}
    w.theme_ids = list(Theme.objects.filter(is_national=True).values_list("id", flat=True)) or list(
        Theme.objects.values_list("id", flat=True)
    )
    for slug in ("socle", "crcn"):
        levels = dict(Level.objects.filter(framework__slug=slug).values_list("rank", "id"))
        competences = list(
            Competence.objects.filter(framework__slug=slug).values_list("id", flat=True)
        )
        if levels and competences:
            w.frameworks[slug] = (sorted(levels), levels, competences)
    w.counsellors_group, _ = Group.objects.get_or_create(name=COUNSELLORS)
    coordinators_group, _ = Group.objects.get_or_create(name=COORDINATORS)
    return coordinators_group


def _coordinator_and_curricula(w: _World, coordinators_group) -> None:
    """A coordinator account, and atelier curricula (Wagtail pages)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from workshops.models import AtelierIndexPage, AtelierPage

    coordinator = get_user_model().objects.create_user(
        "coordination-bench", password=None, first_name="Coordination", last_name="Banc d'essai"
    )
    coordinator.groups.add(coordinators_group)
    home = Page.objects.filter(depth=2).first()
    index = home.add_child(instance=AtelierIndexPage(title="Ateliers", slug="ateliers-bench"))
    for i in range(ATELIERS):
        page = index.add_child(
            instance=AtelierPage(
                title=f"Atelier de référence {i + 1}",
                slug=f"atelier-bench-{i + 1}",
                summary="Atelier généré pour le banc d'essai national.",
            )
        )
        w.atelier_ids.append(page.pk)
        socle = w.frameworks.get("socle", ([], {}, []))[2]
        w.atelier_competences[page.pk] = w.rng.sample(socle, min(len(socle), 1 + i % 3))
    log("coordinator and curricula created")


def _big_tables_unindex() -> list[str]:
    """Drop the big tables' secondary indexes and constraints; return the SQL that restores
    them."""
    from django.db import connection

    from learners.models import (
        AnonymousParticipants,
        Attendance,
        CompetenceSummary,
        Learner,
        LearnerStructure,
        Observation,
        Session,
    )

    big_tables = [
        m._meta.db_table
        for m in (
            Learner,
            LearnerStructure,
            Session,
            Session.themes.through,
            Session.competences.through,
            Session.counsellors.through,
            AnonymousParticipants,
            Attendance,
            Observation,
            CompetenceSummary,
        )
    ]
    with connection.cursor() as cursor:
        restore = indexes_drop(cursor, big_tables)
    connection.close()
    return restore


def _names_read(w: _World) -> None:
    from common.text import fold

    w.first_names = _names()
    w.folded = {name: fold(name) for group in w.first_names for name in group}
    w.last_names = w.first_names[2]
    w.folded.update({name: fold(name) for name in w.last_names})


# Structures, users, counsellors, venues ---------------------------------------------------


def _structures_write(w: _World) -> None:
    from learners.models import Structure

    rng, now = w.rng, w.now
    s = Stream(Structure, ["id", "name", "kind", "commune_id", "created_at"], now=now)
    kinds_of_structure = ("commune", "association", "france_services", "mediatheque", "ccas")
    for sid in range(1, w.counts["structures"] + 1):
        commune = pick(rng, w.commune_table)
        w.structures.append((sid, commune, w.commune_department[commune]))
        kind = rng.choice(kinds_of_structure)
        s.add(f"{sid}\tStructure {sid}\t{kind}\t{commune}\t{now.isoformat()}")
    s.close()


def _user_id_base(user_model) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{user_model._meta.db_table}"')
        user_base = cursor.fetchone()[0]
    connection.close()
    return user_base


def _counsellors_write(w: _World) -> tuple:
    """Counsellors per structure: every structure has one, the rest skewed (Pareto). Returns
    the structures weighted by that skew (for the venues)."""
    from django.contrib.auth import get_user_model

    from learners.models import Counsellor

    rng, now, n_struct = w.rng, w.now, w.counts["structures"]
    weights = [rng.paretovariate(1.5) for _ in range(n_struct)]
    w.couns_of = [[] for _ in range(n_struct + 1)]
    user_model = get_user_model()
    users = Stream(
        user_model,
        [
            "id",
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "date_joined",
        ],
        now=now,
    )
    user_base = _user_id_base(user_model)
    memberships = Stream(user_model.groups.through, ["user_id", "group_id"], now=now)
    profiles = Stream(
        Counsellor, ["id", "user_id", "structure_id", "is_structure_manager"], now=now
    )
    struct_table = weighted([(i + 1, weight) for i, weight in enumerate(weights)])
    for cid in range(1, w.counts["counsellors"] + 1):
        sid = cid if cid <= n_struct else pick(rng, struct_table)
        uid = user_base + cid
        manager = not w.couns_of[sid]
        w.couns_of[sid].append(cid)
        first = rng.choice(w.first_names[0] if cid % 2 else w.first_names[1])
        last = rng.choice(w.last_names)
        users.add(
            f"{uid}\tconseiller{cid}\t!bench\t{_copy_text(first)}\t{_copy_text(last)}\t"
            f"conseiller{cid}@example.org\tt\t{now.isoformat()}"
        )
        memberships.add(f"{uid}\t{w.counsellors_group.pk}")
        profiles.add(f"{cid}\t{uid}\t{sid}\t{'t' if manager else 'f'}")
    for stream in (users, memberships, profiles):
        stream.close()
    return struct_table


def _venues_write(w: _World, struct_table) -> None:
    from learners.models import Venue

    rng, n_struct = w.rng, w.counts["structures"]
    w.venues_of = [[] for _ in range(n_struct + 1)]
    v = Stream(
        Venue, ["id", "structure_id", "name", "commune_id", "is_active", "updated_at"], now=w.now
    )
    for vid in range(1, w.counts["venues"] + 1):
        sid = vid if vid <= n_struct else pick(rng, struct_table)
        _sid, home_commune, department = w.structures[sid - 1]
        commune = home_commune if rng.random() < 0.6 else pick(rng, w.department_tables[department])
        w.venues_of[sid].append(vid)
        v.add(f"{vid}\t{sid}\tLieu {vid}\t{commune}\tt\t{w.now.isoformat()}")
    v.close()


# Sessions ---------------------------------------------------------------------------------


def _session_starts(w: _World) -> list[list[tuple[int, int]]]:
    """Per structure: (start second, kind index) of its sessions, structures weighted by
    their counsellors."""
    rng, n_struct = w.rng, w.counts["structures"]
    mean_size = sum(share * size for _k, share, size, _d in KINDS)
    n_sessions = max(len(KINDS) * n_struct, round(w.counts["attendances"] / mean_size))
    couns_count = [len(c) for c in w.couns_of]
    w.struct_session_table = weighted([(sid, couns_count[sid]) for sid in range(1, n_struct + 1)])
    kind_table = weighted([(i, share) for i, (_k, share, _s, _d) in enumerate(KINDS)])
    per_structure: list[list[tuple[int, int]]] = [[] for _ in range(n_struct + 1)]
    for _ in range(n_sessions):
        sid = pick(rng, w.struct_session_table)
        second = (
            w.epoch0
            + rng.randrange(w.n_days) * 86400
            + rng.randrange(8, 17) * 3600
            + rng.choice((0, 1800))
        )
        per_structure[sid].append((second, pick(rng, kind_table)))
    return per_structure


class _SessionStreams:
    """The sessions with their themes, counsellors and anonymous participants."""

    def __init__(self, w: _World):
        from learners.models import AnonymousParticipants, Session

        self.w = w
        self.sessions = Stream(
            Session,
            [
                "id",
                "kind",
                "atelier_id",
                "structure_id",
                "place_type",
                "venue_id",
                "start",
                "duration_minutes",
                "capacity",
                "created_at",
                "updated_at",
            ],
            now=w.now,
        )
        self.themes = Stream(Session.themes.through, ["session_id", "theme_id"], now=w.now)
        self.competences = Stream(
            Session.competences.through, ["session_id", "competence_id"], now=w.now
        )
        self.runs = Stream(Session.counsellors.through, ["session_id", "counsellor_id"], now=w.now)
        self.anonymous = Stream(
            AnonymousParticipants, ["session_id", "age_band", "gender", "count"], now=w.now
        )

    def add(self, session_id: int, sid: int, second: int, kind_index: int) -> None:
        w, rng = self.w, self.w.rng
        kind, _share, _size, durations = KINDS[kind_index]
        day = (second - w.epoch0) // 86400
        w.session_day.append(day)
        w.session_structure.append(sid)
        stamp = (
            f"{w.day_text[day]} {(second % 86400) // 3600:02d}:{(second % 3600) // 60:02d}:00+00"
        )
        venues = w.venues_of[sid]
        venue = rng.choice(venues) if venues and rng.random() < 0.85 else None
        place = "lieu" if venue else rng.choice(("domicile", "distance"))
        atelier = rng.choice(w.atelier_ids) if kind == "atelier" and rng.random() < 0.7 else None
        self.sessions.add(
            f"{session_id}\t{kind}\t{atelier or NULL}\t{sid}\t{place}\t"
            f"{venue or NULL}\t{stamp}\t{rng.choice(durations)}\t"
            f"{'8' if kind == 'atelier' else NULL}\t{stamp}\t{stamp}"
        )
        for theme_id in rng.sample(w.theme_ids, 1 + (rng.random() < 0.4)):
            self.themes.add(f"{session_id}\t{theme_id}")
        for competence_id in w.atelier_competences.get(atelier, ()):
            self.competences.add(f"{session_id}\t{competence_id}")
        ran_by = w.couns_of[sid]
        for counsellor in rng.sample(ran_by, 1 + (len(ran_by) > 1 and rng.random() < 0.1)):
            self.runs.add(f"{session_id}\t{counsellor}")
        if kind in ("atelier", "echange") and rng.random() < 0.15:
            band, gender = rng.choice(BANDS), rng.choice(GENDERS)[0]
            self.anonymous.add(f"{session_id}\t{band}\t{gender}\t{rng.randint(1, 4)}")
            w.anonymous_rows += 1

    def close(self) -> None:
        for stream in (self.sessions, self.themes, self.competences, self.runs, self.anonymous):
            stream.close()


def _sessions_write(w: _World) -> None:
    """Sessions numbered structure by structure, in start order; each structure's pool of
    sessions by kind, for the people."""
    n_struct = w.counts["structures"]
    per_structure = _session_starts(w)
    streams = _SessionStreams(w)
    w.pools = [[] for _ in range(n_struct + 1)]
    for sid in range(1, n_struct + 1):
        items = sorted(per_structure[sid])
        per_structure[sid] = []
        pool = [([], []) for _ in KINDS]
        for second, kind_index in items:
            w.session_count += 1
            pool[kind_index][0].append(second)
            pool[kind_index][1].append(w.session_count)
            streams.add(w.session_count, sid, second, kind_index)
        w.pools[sid] = pool
    streams.close()
    log(
        f"{w.session_count} sessions ({streams.themes.rows} theme links, "
        f"{streams.competences.rows} competence links, "
        f"{w.anonymous_rows} anonymous rows)"
    )


# People, attendance, observations, summaries --------------------------------------------


class _PeopleStreams:
    """The people with their structure links, attendance, observations and summaries."""

    def __init__(self, w: _World):
        from learners.models import (
            Attendance,
            CompetenceSummary,
            Learner,
            LearnerStructure,
            Observation,
        )

        self.w = w
        now = w.now
        self.people = Stream(
            Learner,
            [
                "id",
                "first_name",
                "last_name",
                "birth_year",
                "commune_id",
                "gender",
                "social_status",
                "structure_id",
                "network_id",
                "normalized_first_name",
                "normalized_last_name",
                "normalized_name",
                "created_at",
                "updated_at",
                "last_activity_at",
                "last_attended_on",
            ],
            now=now,
        )
        self.links = Stream(LearnerStructure, ["learner_id", "structure_id", "created_at"], now=now)
        self.attendance = Stream(
            Attendance,
            ["id", "learner_id", "session_id", "status", "created_at", "updated_at"],
            now=now,
        )
        self.observations = Stream(
            Observation,
            [
                "id",
                "learner_id",
                "competence_id",
                "level_id",
                "source",
                "session_id",
                "structure_id",
                "observed_on",
                "created_at",
            ],
            now=now,
        )
        self.summaries = Stream(
            CompetenceSummary,
            [
                "learner_id",
                "competence_id",
                "first_level_id",
                "current_level_id",
                "best_level_id",
                "first_observed_on",
                "last_observed_on",
                "observation_count",
                "levels_gained",
                "observations_without_gain",
                "last_progress_on",
                "updated_at",
            ],
            now=now,
        )
        # People choose collective sessions more often: attendance share per kind.
        self.attend_kind_table = weighted(
            [(i, share * size) for i, (_k, share, size, _d) in enumerate(KINDS)]
        )
        self.age_table = weighted(AGE_WEIGHTS)
        self.gender_table = weighted(GENDERS)
        self.social_table = weighted(SOCIAL)
        self.status_table = weighted(ATTENDANCE_STATUSES)
        self.obs_target = w.counts["observations"]
        # A little above the target mean: a few picks fall on the same session and are
        # merged.
        self.mean_attendances = 1.07 * w.counts["attendances"] / w.counts["people"]
        self.attendance_id = self.observation_id = 0
        self.now_text = now.isoformat()
        self.framework_slugs = list(w.frameworks)

    def add(self, lid: int) -> None:
        w, rng = self.w, self.w.rng
        sid = pick(rng, w.struct_session_table)
        commune = self.commune_pick(sid)
        chosen = self.sessions_pick(sid)
        structures_seen = self.elsewhere_pick(sid, chosen)
        present_days = self.attendance_write(lid, chosen)
        gender = pick(rng, self.gender_table)
        first = rng.choice(w.first_names[0] if gender == "feminin" else w.first_names[1])
        last = rng.choice(w.last_names) if rng.random() < 0.8 else ""
        birth = (
            None
            if rng.random() < 0.08
            else w.today.year - pick(rng, self.age_table) - rng.randrange(10)
        )
        first_stamp = w.day_text[present_days[0][0]] if present_days else self.now_text[:10]
        last_on = w.day_text[present_days[-1][0]] if present_days else None
        folded = w.folded
        self.people.add(
            f"{lid}\t{_copy_text(first)}\t{_copy_text(last)}\t{birth if birth else NULL}\t"
            f"{commune or NULL}\t{gender}\t{pick(rng, self.social_table)}\t{sid}\t{lid:016x}\t"
            f"{folded[first]}\t{folded.get(last, '')}\t{folded[first]}{folded.get(last, '')}\t"
            f"{first_stamp}\t{first_stamp}\t{last_on or first_stamp}\t{last_on or NULL}"
        )
        for structure_id in structures_seen:
            self.links.add(f"{lid}\t{structure_id}\t{first_stamp}")
        # Observations on the person's present sessions.
        if len(present_days) >= 2 and w.frameworks and self.observation_id < self.obs_target:
            self.observations_write(lid, present_days)

    def commune_pick(self, sid: int) -> str | None:
        """People live near their structure: its commune, its department, or unknown."""
        w = self.w
        _sid, home_commune, department = w.structures[sid - 1]
        r = w.rng.random()
        if r < 0.6:
            return home_commune
        if r < 0.95:
            return pick(w.rng, w.department_tables[department])
        return None

    def sessions_pick(self, sid: int) -> set[int]:
        """Sessions of the person's structure within a window of a few months."""
        w, rng = self.w, self.w.rng
        k = min(150, 1 + int(rng.expovariate(1 / max(self.mean_attendances - 1, 0.1))))
        window_start = w.epoch0 + rng.randrange(max(w.n_days - 7, 1)) * 86400
        window_end = window_start + int(max(7, rng.expovariate(1 / 150)) * 86400)
        chosen: set[int] = set()
        pool = w.pools[sid]
        tries = 0
        while len(chosen) < k and tries < 4 * k:
            tries += 1
            starts, ids = pool[pick(rng, self.attend_kind_table)]
            if not ids:
                continue
            lo = bisect.bisect_left(starts, window_start)
            hi = bisect.bisect_left(starts, window_end)
            if hi - lo < 1:
                lo, hi = 0, len(ids)
            chosen.add(ids[rng.randrange(lo, hi)])
        return chosen

    def elsewhere_pick(self, sid: int, chosen: set[int]) -> set[int]:
        """One in ten people also comes once to another structure; returns the structures
        the person is linked to."""
        w, rng = self.w, self.w.rng
        structures_seen = {sid}
        if rng.random() < 0.1:
            other = pick(rng, w.struct_session_table)
            starts, ids = w.pools[other][pick(rng, self.attend_kind_table)]
            if ids:
                chosen.add(ids[rng.randrange(len(ids))])
                structures_seen.add(other)
        return structures_seen

    def attendance_write(self, lid: int, chosen: set[int]) -> list[tuple[int, int]]:
        """The person's attendance records; returns the (day, session) they were present
        at, in order."""
        w = self.w
        present_days = []
        for session in sorted(chosen):
            status = pick(w.rng, self.status_table)
            self.attendance_id += 1
            day = w.session_day[session]
            stamp = w.day_text[day]
            self.attendance.add(
                f"{self.attendance_id}\t{lid}\t{session}\t{status}\t{stamp}\t{stamp}"
            )
            if status == "present":
                present_days.append((day, session))
        present_days.sort()
        return present_days

    def observations_write(self, lid: int, present_days: list[tuple[int, int]]) -> None:
        """Levels on one to three competences of one framework (mostly the socle)."""
        w, rng = self.w, self.w.rng
        slug = "socle" if rng.random() < 0.8 or "crcn" not in w.frameworks else "crcn"
        slug = slug if slug in w.frameworks else self.framework_slugs[0]
        ranks, level_of, competence_ids = w.frameworks[slug]
        for competence in rng.sample(competence_ids, min(len(competence_ids), rng.randint(1, 3))):
            self.competence_observe(lid, competence, present_days, ranks, level_of)

    def competence_observe(self, lid, competence, present_days, ranks, level_of) -> None:
        """Two to four observations of a level that mostly rises, and their summary."""
        from learners.progress import summary_replay

        w, rng = self.w, self.w.rng
        picks = sorted(rng.sample(present_days, min(len(present_days), rng.randint(2, 4))))
        rank = ranks[0] + rng.randint(0, 1)
        history = []
        for day, session in picks:
            self.observation_id += 1
            level_id = level_of.get(rank, level_of[ranks[-1]])
            date = w.first_day + datetime.timedelta(days=day)
            history.append((level_id, rank, date))
            self.observations.add(
                f"{self.observation_id}\t{lid}\t{competence}\t{level_id}\t"
                f"{'auto' if rng.random() < 0.1 else 'conseiller'}\t{session}\t"
                f"{w.session_structure[session]}\t{w.day_text[day]}\t{w.day_text[day]}"
            )
            step = rng.random()
            if step < 0.5:
                rank = min(rank + 1, ranks[-1])
            elif step < 0.55:
                rank = max(rank - 1, ranks[0])
        state = summary_replay(history)
        self.summaries.add(
            f"{lid}\t{competence}\t{state.first_level_id}\t{state.current_level_id}\t"
            f"{state.best_level_id}\t{state.first_observed_on}\t{state.last_observed_on}\t"
            f"{state.observation_count}\t{state.levels_gained}\t"
            f"{state.observations_without_gain}\t"
            f"{state.last_progress_on or NULL}\t{self.now_text}"
        )

    def close(self) -> None:
        for stream in (self.people, self.links, self.attendance, self.observations, self.summaries):
            stream.close()


def _people_write(w: _World) -> _PeopleStreams:
    streams = _PeopleStreams(w)
    for lid in range(1, w.counts["people"] + 1):
        streams.add(lid)
        if lid % 100_000 == 0:
            log(
                f"  {lid} people, {streams.attendance_id} attendance records, "
                f"{streams.observation_id} observations"
            )
    streams.close()
    return streams


# Indexes, sequences, statistics -----------------------------------------------------------


def _indexes_restore(restore: list[str]) -> None:
    """Recreate the dropped indexes and constraints; set the sequences past the copied ids."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from learners.models import (
        AnonymousParticipants,
        Attendance,
        CompetenceSummary,
        Counsellor,
        Learner,
        LearnerStructure,
        Observation,
        Session,
        Structure,
        Venue,
    )

    user_model = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for statement in restore:
            cursor.execute(statement)
        for model in (
            Structure,
            Counsellor,
            Venue,
            Session,
            Learner,
            Attendance,
            Observation,
            LearnerStructure,
            CompetenceSummary,
            AnonymousParticipants,
            Session.themes.through,
            Session.competences.through,
            Session.counsellors.through,
            user_model,
            user_model.groups.through,
        ):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )


def generate(*, scale: float = 1.0, db: str = DEFAULT_DB, seed: int = 1) -> dict:
    """Create database `db` and fill it; return the counts and timings."""
    started = time.monotonic()
    counts = scaled(scale)
    log(f"recreating database {db} (scale {scale}: {counts})")
    _database_prepare(db, started=started)
    from django.db import connection

    w = _world_start(random.Random(seed), counts)
    _coordinator_and_curricula(w, _reference_read(w))
    restore = _big_tables_unindex()
    _names_read(w)
    _structures_write(w)
    _venues_write(w, _counsellors_write(w))
    log(
        f"{counts['structures']} structures, {counts['counsellors']} counsellors, "
        f"{counts['venues']} venues"
    )
    _sessions_write(w)
    people = _people_write(w)
    generated = time.monotonic()
    log(
        f"{counts['people']} people, {people.attendance_id} attendance records, "
        f"{people.observation_id} observations, {people.summaries.rows} summaries streamed "
        f"({generated - started:.0f} s); rebuilding indexes"
    )
    _indexes_restore(restore)
    # What the services keep on each structure link for the dashboard (about 30 s).
    from learners.services.activity import structure_links_refresh

    log(f"copied activity dates on {structure_links_refresh()} structure links")
    # The sessions' participant summaries the API reads: one set-based statement.
    from learners.services.activity_summaries import activity_summaries_rebuild

    log(f"{activity_summaries_rebuild()} session participant summaries computed")
    connection.close()
    # VACUUM (not in a transaction) sets the visibility map, as autovacuum would in
    # production, so index-only scans work; ANALYZE gives the planner its statistics.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        elapsed = time.monotonic() - started
        result = {
            "scale": scale,
            "seed": seed,
            "db": db,
            "counts": {
                "people": counts["people"],
                "attendances": people.attendance_id,
                "observations": people.observation_id,
                "summaries": people.summaries.rows,
                "sessions": w.session_count,
                "structures": counts["structures"],
                "counsellors": counts["counsellors"],
                "venues": counts["venues"],
                "anonymous_rows": w.anonymous_rows,
            },
            "first_day": w.first_day.isoformat(),
            "last_day": w.today.isoformat(),
            "seconds": round(elapsed, 1),
            "seconds_streaming": round(generated - started, 1),
            "created_at": w.now.isoformat(),
        }
        cursor.execute(f'CREATE TABLE IF NOT EXISTS "{META_TABLE}" (data jsonb NOT NULL)')
        cursor.execute(f'DELETE FROM "{META_TABLE}"')
        cursor.execute(f'INSERT INTO "{META_TABLE}" (data) VALUES (%s)', [json.dumps(result)])
    connection.close()
    log(f"done in {elapsed:.0f} s")
    return result


def _names() -> tuple[list[str], list[str], list[str]]:
    """French first names (female, male) and last names from Faker's lists."""
    with contextlib.suppress(ImportError):
        from faker.providers.person.fr_FR import Provider

        return (
            list(Provider.first_names_female),
            list(Provider.first_names_male),
            list(Provider.last_names),
        )
    return (
        ["Marie", "Nathalie", "Isabelle"],
        ["Jean", "Michel", "Philippe"],
        ["Martin", "Bernard"],
    )


def meta_read(db: str) -> dict | None:
    """What `generate` recorded in database `db`, or None (no such database or table)."""
    import psycopg

    try:
        with psycopg.connect(database_url(db)) as conn:
            row = conn.execute(f'SELECT data FROM "{META_TABLE}" LIMIT 1').fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1M people, 10M attendances")
    parser.add_argument("--db", default=DEFAULT_DB, help="database name (dropped and recreated)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = generate(scale=args.scale, db=args.db, seed=args.seed)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
