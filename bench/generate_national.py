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
   then recreates and validates the indexes and constraints, resets the sequences and runs
   ANALYZE;
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
import datetime
import json
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


def generate(*, scale: float = 1.0, db: str = DEFAULT_DB, seed: int = 1) -> dict:
    """Create database `db` and fill it; return the counts and timings."""
    started = time.monotonic()
    counts = scaled(scale)
    log(f"recreating database {db} (scale {scale}: {counts})")
    recreate_database(db)
    django_setup(db)
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("load_communes", verbosity=0)
    log(f"migrated and communes loaded ({time.monotonic() - started:.0f} s)")

    from common.text import fold
    from learners.models import (
        AnonymousParticipants,
        Attendance,
        Commune,
        CompetenceSummary,
        Counsellor,
        Learner,
        LearnerStructure,
        Observation,
        Session,
        Structure,
        Venue,
    )
    from learners.progress import summary_replay
    from workshops.models import AtelierIndexPage, AtelierPage, Competence, Level, Theme
    from workshops.roles import COORDINATORS, COUNSELLORS

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    first_day = today.replace(year=today.year - YEARS)
    n_days = (today - first_day).days
    day_text = [(first_day + datetime.timedelta(days=d)).isoformat() for d in range(n_days + 1)]
    epoch0 = int(
        datetime.datetime.combine(first_day, datetime.time(), tzinfo=datetime.UTC).timestamp()
    )

    # Reference data ----------------------------------------------------------------
    communes = list(
        Commune.objects.filter(type="COM").values_list(
            "insee_code", "department_code", "population"
        )
    )
    by_department: dict[str, list] = {}
    for code, department, population in communes:
        by_department.setdefault(department, []).append((code, max(population or 0, 50)))
    department_tables = {d: weighted(items) for d, items in by_department.items()}
    commune_table = weighted([(c[0], max(c[2] or 0, 50)) for c in communes])
    commune_department = {c[0]: c[1] for c in communes}
    theme_ids = list(Theme.objects.filter(is_national=True).values_list("id", flat=True)) or list(
        Theme.objects.values_list("id", flat=True)
    )
    frameworks = {}
    for slug in ("socle", "crcn"):
        levels = dict(Level.objects.filter(framework__slug=slug).values_list("rank", "id"))
        competences = list(
            Competence.objects.filter(framework__slug=slug).values_list("id", flat=True)
        )
        if levels and competences:
            frameworks[slug] = (sorted(levels), levels, competences)
    counsellors_group, _ = Group.objects.get_or_create(name=COUNSELLORS)
    coordinators_group, _ = Group.objects.get_or_create(name=COORDINATORS)

    # A coordinator account, and atelier curricula (Wagtail pages).
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.create_user(
        "coordination-bench", password=None, first_name="Coordination", last_name="Banc d'essai"
    )
    coordinator.groups.add(coordinators_group)
    from wagtail.models import Page

    home = Page.objects.filter(depth=2).first()
    index = home.add_child(instance=AtelierIndexPage(title="Ateliers", slug="ateliers-bench"))
    atelier_ids = []
    for i in range(ATELIERS):
        page = index.add_child(
            instance=AtelierPage(
                title=f"Atelier de référence {i + 1}",
                slug=f"atelier-bench-{i + 1}",
                summary="Atelier généré pour le banc d'essai national.",
            )
        )
        atelier_ids.append(page.pk)
    log("coordinator and curricula created")

    big_tables = [
        m._meta.db_table
        for m in (
            Learner,
            LearnerStructure,
            Session,
            Session.themes.through,
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

    first_names = _names()
    folded = {name: fold(name) for group in first_names for name in group}
    last_names = first_names[2]
    folded.update({name: fold(name) for name in last_names})

    # Structures, users, counsellors, venues -----------------------------------------
    n_struct, n_couns, n_venues = counts["structures"], counts["counsellors"], counts["venues"]
    structures = []  # (id, commune, department)
    s = Stream(Structure, ["id", "name", "kind", "commune_id", "created_at"], now=now)
    kinds_of_structure = ("commune", "association", "france_services", "mediatheque", "ccas")
    for sid in range(1, n_struct + 1):
        commune = pick(rng, commune_table)
        structures.append((sid, commune, commune_department[commune]))
        kind = rng.choice(kinds_of_structure)
        s.add(f"{sid}\tStructure {sid}\t{kind}\t{commune}\t{now.isoformat()}")
    s.close()
    # Counsellors per structure: every structure has one, the rest skewed (Pareto).
    weights = [rng.paretovariate(1.5) for _ in range(n_struct)]
    couns_of = [[] for _ in range(n_struct + 1)]
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
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{user_model._meta.db_table}"')
        user_base = cursor.fetchone()[0]
    connection.close()
    memberships = Stream(user_model.groups.through, ["user_id", "group_id"], now=now)
    profiles = Stream(
        Counsellor, ["id", "user_id", "structure_id", "is_structure_manager"], now=now
    )
    struct_table = weighted([(i + 1, w) for i, w in enumerate(weights)])
    for cid in range(1, n_couns + 1):
        sid = cid if cid <= n_struct else pick(rng, struct_table)
        uid = user_base + cid
        manager = not couns_of[sid]
        couns_of[sid].append(cid)
        first = rng.choice(first_names[0] if cid % 2 else first_names[1])
        last = rng.choice(last_names)
        users.add(
            f"{uid}\tconseiller{cid}\t!bench\t{_copy_text(first)}\t{_copy_text(last)}\t"
            f"conseiller{cid}@example.org\tt\t{now.isoformat()}"
        )
        memberships.add(f"{uid}\t{counsellors_group.pk}")
        profiles.add(f"{cid}\t{uid}\t{sid}\t{'t' if manager else 'f'}")
    for stream in (users, memberships, profiles):
        stream.close()
    venues_of = [[] for _ in range(n_struct + 1)]
    v = Stream(
        Venue, ["id", "structure_id", "name", "commune_id", "is_active", "updated_at"], now=now
    )
    for vid in range(1, n_venues + 1):
        sid = vid if vid <= n_struct else pick(rng, struct_table)
        _sid, home_commune, department = structures[sid - 1]
        commune = home_commune if rng.random() < 0.6 else pick(rng, department_tables[department])
        venues_of[sid].append(vid)
        v.add(f"{vid}\t{sid}\tLieu {vid}\t{commune}\tt\t{now.isoformat()}")
    v.close()
    log(f"{n_struct} structures, {n_couns} counsellors, {n_venues} venues")

    # Sessions ----------------------------------------------------------------------------
    mean_size = sum(share * size for _k, share, size, _d in KINDS)
    n_sessions = max(len(KINDS) * n_struct, round(counts["attendances"] / mean_size))
    couns_count = [len(c) for c in couns_of]
    struct_session_table = weighted([(sid, couns_count[sid]) for sid in range(1, n_struct + 1)])
    kind_table = weighted([(i, share) for i, (_k, share, _s, _d) in enumerate(KINDS)])
    per_structure: list[list[tuple[int, int]]] = [[] for _ in range(n_struct + 1)]
    for _ in range(n_sessions):
        sid = pick(rng, struct_session_table)
        second = (
            epoch0
            + rng.randrange(n_days) * 86400
            + rng.randrange(8, 17) * 3600
            + rng.choice((0, 1800))
        )
        per_structure[sid].append((second, pick(rng, kind_table)))
    sessions = Stream(
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
        now=now,
    )
    themes = Stream(Session.themes.through, ["session_id", "theme_id"], now=now)
    runs = Stream(Session.counsellors.through, ["session_id", "counsellor_id"], now=now)
    anonymous = Stream(
        AnonymousParticipants, ["session_id", "age_band", "gender", "count"], now=now
    )
    # Per structure and kind: sorted start seconds and session ids, for the people.
    pools: list[list[tuple[list[int], list[int]]]] = [[] for _ in range(n_struct + 1)]
    session_day: list[int] = [0]  # by session id
    session_structure: list[int] = [0]  # by session id: the observations' recording structure
    session_id = 0
    anonymous_rows = 0
    for sid in range(1, n_struct + 1):
        items = sorted(per_structure[sid])
        per_structure[sid] = []
        pool = [([], []) for _ in KINDS]
        for second, kind_index in items:
            session_id += 1
            kind, _share, _size, durations = KINDS[kind_index]
            pool[kind_index][0].append(second)
            pool[kind_index][1].append(session_id)
            day = (second - epoch0) // 86400
            session_day.append(day)
            session_structure.append(sid)
            stamp = (
                f"{day_text[day]} {(second % 86400) // 3600:02d}:{(second % 3600) // 60:02d}:00+00"
            )
            venue = rng.choice(venues_of[sid]) if venues_of[sid] and rng.random() < 0.85 else None
            place = "lieu" if venue else rng.choice(("domicile", "distance"))
            atelier = rng.choice(atelier_ids) if kind == "atelier" and rng.random() < 0.7 else None
            sessions.add(
                f"{session_id}\t{kind}\t{atelier or NULL}\t{sid}\t{place}\t"
                f"{venue or NULL}\t{stamp}\t{rng.choice(durations)}\t"
                f"{'8' if kind == 'atelier' else NULL}\t{stamp}\t{stamp}"
            )
            for theme_id in rng.sample(theme_ids, 1 + (rng.random() < 0.4)):
                themes.add(f"{session_id}\t{theme_id}")
            ran_by = couns_of[sid]
            for counsellor in rng.sample(ran_by, 1 + (len(ran_by) > 1 and rng.random() < 0.1)):
                runs.add(f"{session_id}\t{counsellor}")
            if kind in ("atelier", "echange") and rng.random() < 0.15:
                band, gender = rng.choice(BANDS), rng.choice(GENDERS)[0]
                anonymous.add(f"{session_id}\t{band}\t{gender}\t{rng.randint(1, 4)}")
                anonymous_rows += 1
        pools[sid] = pool
    for stream in (sessions, themes, runs, anonymous):
        stream.close()
    log(f"{session_id} sessions ({themes.rows} theme links, {anonymous_rows} anonymous rows)")

    # People, attendance, observations, summaries -------------------------------------
    people = Stream(
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
    links = Stream(LearnerStructure, ["learner_id", "structure_id", "created_at"], now=now)
    attendance = Stream(
        Attendance,
        ["id", "learner_id", "session_id", "status", "created_at", "updated_at"],
        now=now,
    )
    observations = Stream(
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
    summaries = Stream(
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
    n_people = counts["people"]
    people_struct_table = struct_session_table
    # People choose collective sessions more often: attendance share per kind.
    attend_kind_table = weighted(
        [(i, share * size) for i, (_k, share, size, _d) in enumerate(KINDS)]
    )
    age_table = weighted(AGE_WEIGHTS)
    gender_table = weighted(GENDERS)
    social_table = weighted(SOCIAL)
    status_table = weighted(ATTENDANCE_STATUSES)
    obs_target = counts["observations"]
    # A little above the target mean: a few picks fall on the same session and are merged.
    mean_attendances = 1.07 * counts["attendances"] / n_people
    attendance_id = observation_id = 0
    end_year = today.year
    now_text = now.isoformat()
    framework_slugs = list(frameworks)
    for lid in range(1, n_people + 1):
        sid = pick(rng, people_struct_table)
        _sid, home_commune, department = structures[sid - 1]
        r = rng.random()
        if r < 0.6:
            commune = home_commune
        elif r < 0.95:
            commune = pick(rng, department_tables[department])
        else:
            commune = None
        k = min(150, 1 + int(rng.expovariate(1 / max(mean_attendances - 1, 0.1))))
        window_start = epoch0 + rng.randrange(max(n_days - 7, 1)) * 86400
        window_end = window_start + int(max(7, rng.expovariate(1 / 150)) * 86400)
        chosen: set[int] = set()
        pool = pools[sid]
        tries = 0
        while len(chosen) < k and tries < 4 * k:
            tries += 1
            starts, ids = pool[pick(rng, attend_kind_table)]
            if not ids:
                continue
            lo = bisect.bisect_left(starts, window_start)
            hi = bisect.bisect_left(starts, window_end)
            if hi - lo < 1:
                lo, hi = 0, len(ids)
            chosen.add(ids[rng.randrange(lo, hi)])
        structures_seen = {sid}
        if rng.random() < 0.1:
            other = pick(rng, people_struct_table)
            starts, ids = pools[other][pick(rng, attend_kind_table)]
            if ids:
                chosen.add(ids[rng.randrange(len(ids))])
                structures_seen.add(other)
        present_days = []
        for session in sorted(chosen):
            status = pick(rng, status_table)
            attendance_id += 1
            day = session_day[session]
            stamp = day_text[day]
            attendance.add(f"{attendance_id}\t{lid}\t{session}\t{status}\t{stamp}\t{stamp}")
            if status == "present":
                present_days.append((day, session))
        present_days.sort()
        gender = pick(rng, gender_table)
        first = rng.choice(first_names[0] if gender == "feminin" else first_names[1])
        last = rng.choice(last_names) if rng.random() < 0.8 else ""
        birth = None if rng.random() < 0.08 else end_year - pick(rng, age_table) - rng.randrange(10)
        first_stamp = day_text[present_days[0][0]] if present_days else now_text[:10]
        last_on = day_text[present_days[-1][0]] if present_days else None
        people.add(
            f"{lid}\t{_copy_text(first)}\t{_copy_text(last)}\t{birth if birth else NULL}\t"
            f"{commune or NULL}\t{gender}\t{pick(rng, social_table)}\t{sid}\t{lid:016x}\t"
            f"{folded[first]}\t{folded.get(last, '')}\t{folded[first]}{folded.get(last, '')}\t"
            f"{first_stamp}\t{first_stamp}\t{last_on or first_stamp}\t{last_on or NULL}"
        )
        for structure_id in structures_seen:
            links.add(f"{lid}\t{structure_id}\t{first_stamp}")
        # Observations on the person's present sessions.
        if len(present_days) >= 2 and frameworks and observation_id < obs_target:
            slug = "socle" if rng.random() < 0.8 or "crcn" not in frameworks else "crcn"
            slug = slug if slug in frameworks else framework_slugs[0]
            ranks, level_of, competence_ids = frameworks[slug]
            for competence in rng.sample(
                competence_ids, min(len(competence_ids), rng.randint(1, 3))
            ):
                picks = sorted(rng.sample(present_days, min(len(present_days), rng.randint(2, 4))))
                rank = ranks[0] + rng.randint(0, 1)
                history = []
                for day, session in picks:
                    observation_id += 1
                    level_id = level_of.get(rank, level_of[ranks[-1]])
                    date = first_day + datetime.timedelta(days=day)
                    history.append((level_id, rank, date))
                    observations.add(
                        f"{observation_id}\t{lid}\t{competence}\t{level_id}\t"
                        f"{'auto' if rng.random() < 0.1 else 'conseiller'}\t{session}\t"
                        f"{session_structure[session]}\t{day_text[day]}\t{day_text[day]}"
                    )
                    step = rng.random()
                    if step < 0.5:
                        rank = min(rank + 1, ranks[-1])
                    elif step < 0.55:
                        rank = max(rank - 1, ranks[0])
                state = summary_replay(history)
                summaries.add(
                    f"{lid}\t{competence}\t{state.first_level_id}\t{state.current_level_id}\t"
                    f"{state.best_level_id}\t{state.first_observed_on}\t{state.last_observed_on}\t"
                    f"{state.observation_count}\t{state.levels_gained}\t"
                    f"{state.observations_without_gain}\t"
                    f"{state.last_progress_on or NULL}\t{now_text}"
                )
        if lid % 100_000 == 0:
            log(
                f"  {lid} people, {attendance_id} attendance records, {observation_id} observations"
            )
    for stream in (people, links, attendance, observations, summaries):
        stream.close()
    generated = time.monotonic()
    log(
        f"{n_people} people, {attendance_id} attendance records, {observation_id} observations, "
        f"{summaries.rows} summaries streamed ({generated - started:.0f} s); rebuilding indexes"
    )

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
            Session.counsellors.through,
            user_model,
            user_model.groups.through,
        ):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )
    # What the services keep on each structure link for the dashboard (about 30 s).
    from learners.services.activity import structure_links_refresh

    log(f"copied activity dates on {structure_links_refresh()} structure links")
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
                "people": n_people,
                "attendances": attendance_id,
                "observations": observation_id,
                "summaries": summaries.rows,
                "sessions": session_id,
                "structures": n_struct,
                "counsellors": n_couns,
                "venues": n_venues,
                "anonymous_rows": anonymous_rows,
            },
            "first_day": first_day.isoformat(),
            "last_day": today.isoformat(),
            "seconds": round(elapsed, 1),
            "seconds_streaming": round(generated - started, 1),
            "created_at": now.isoformat(),
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
