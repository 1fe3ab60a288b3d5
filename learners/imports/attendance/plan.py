"""Stage 3, plan: what the import would create and change, reading only.

`plan_attendance` runs the stages over the file: parse each row's session and group the
rows by session (pass 1), match the sessions and plan them, resolve the people (pass 2),
then plan each row's attendance and check the places of each session (pass 3).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.choices import SEAT_TAKING_STATUSES, AttendanceStatus, Autonomy, Equipment, PlaceType
from learners.models import Attendance, Session
from learners.roles import counsellor_profile
from learners.selectors.places import booking_seats_by_session

from ..common import (
    CHUNK,
    CREATE,
    PROGRESS_EVERY,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    PlanLine,
    Record,
    change_text,
    chunked,
)
from ..people import label_of
from .observations import ObservationRows
from .ops import AttendanceOps, Current, PersonRef, SessionPlan
from .parse import (
    ATTENDANCE_KEYS,
    CLEAN_EXCLUDE,
    DEFAULT_DURATION,
    SESSION_FIELD_KEYS,
    SESSION_FIELDS,
    Context,
    parse_attendance,
    parse_session,
    session_key,
)
from .resolve import KnownSessions, plan_people

# The session's fields that rows of one session must repeat identically.
SHARED_FIELDS = (
    "start",
    "kind",
    "title",
    "duration_minutes",
    "place_type",
    "venue",
    "level",
    "capacity",
    "themes",
)
CHOICES = {"status": AttendanceStatus, "equipment": Equipment, "autonomy": Autonomy}


def plan_attendance(
    *,
    user,
    records: list[Record],
    plan: ImportPlan,
    scope,
    structures,
    progress=None,
    session_only_lines: frozenset[int] = frozenset(),
) -> AttendanceOps:
    """`session_only_lines`: rows that describe their session without naming anyone (La
    Coop's anonymous participants, counted by `learners.imports.coop`)."""
    ctx = Context(user=user, records=records, plan=plan, scope=scope, structures=structures)
    with_people = bool({"network_id", "person_external_id", "first_name"} & set(plan.headers))
    ops = AttendanceOps()
    row_sessions, first_of = _group_rows(ctx, records, progress)
    _plan_sessions(ctx, ops, first_of)
    if not with_people:
        if ctx.levels.competences:
            plan.error(
                None,
                "",
                _(
                    "Les niveaux de compétence demandent de savoir de qui il s'agit : ajoutez "
                    "les colonnes « Prénom », « Nom » et « Année de naissance », ou "
                    "« Identifiant réseau »."
                ),
            )
        return ops
    if session_only_lines:
        row_sessions = [rs for rs in row_sessions if rs[0].line not in session_only_lines]
    plan_people(ctx, ops, row_sessions)
    rows = _AttendanceRows(ctx, ops)
    for index, (record, skey) in enumerate(row_sessions, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(2 * len(records) // 3 + index // 3)
        rows.plan_row(record, skey)
    rows.check_capacity()
    if ctx.levels.competences:
        ObservationRows(ctx, ops).plan_rows(row_sessions)
    return ops


# --- Pass 1: sessions --------------------------------------------------------------------


def _group_rows(ctx: Context, records: list[Record], progress):
    """([(row, session key)], {session key: (first line, parsed session)})."""
    plan = ctx.plan
    row_sessions: list[tuple[Record, tuple]] = []
    first_of: dict[tuple, tuple[int, dict]] = {}
    for index, record in enumerate(records, start=1):
        parsed, errors = parse_session(ctx, record.values)
        for key, message in errors:
            plan.error(record.line, key, message)
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index // 3)
        if parsed is None:
            continue
        key = _row_session_key(plan, record.line, parsed)
        if key is None:
            continue
        first = first_of.setdefault(key, (record.line, parsed))
        if first[1] is not parsed and _differs(plan, record.line, first, parsed):
            continue
        row_sessions.append((record, key))
    return row_sessions, first_of


def _row_session_key(plan: ImportPlan, line: int, parsed: dict) -> tuple | None:
    key = session_key(parsed)
    if key is None:
        if not parsed.get("kind") and parsed.get("start") is not None:
            plan.error(line, "kind", _("indiquez le type de séance."))
        elif parsed.get("start") is None:
            plan.error(line, "date", _("indiquez la date de la séance."))
    return key


def _differs(plan: ImportPlan, line: int, first: tuple[int, dict], parsed: dict) -> bool:
    """Does this row describe its session otherwise than the session's first row?"""
    differing = [field for field in SHARED_FIELDS if first[1].get(field) != parsed.get(field)]
    if differing:
        plan.error(
            line,
            SESSION_FIELD_KEYS[differing[0]],
            _("les informations de cette séance diffèrent de la ligne %(other)d.")
            % {"other": first[0]},
        )
    return bool(differing)


def _plan_sessions(ctx: Context, ops: AttendanceOps, first_of: dict) -> None:
    plan, user = ctx.plan, ctx.user
    known = KnownSessions(first_of)
    profile = counsellor_profile(user)
    for key, (line, parsed) in first_of.items():
        found, session = known.match(plan, key, line, parsed)
        if not found:
            continue
        if session is None:
            _plan_new_session(ops, plan, key, line, parsed, user, profile)
        else:
            _plan_existing_session(
                ops, plan, key, line, parsed, session, known.themes_of.get(session.pk, set())
            )


def _session_label(session: Session) -> str:
    when = timezone.localtime(session.start).strftime("%d/%m/%Y %H:%M") if session.start else ""
    return f"{session.display_title} – {when}"


def _clean_session(session: Session, line: int, plan: ImportPlan) -> bool:
    try:
        session.full_clean(exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
        session.clean()
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                plan.error(line, SESSION_FIELD_KEYS.get(field_name, "venue"), str(message))
        return False
    return True


def _plan_new_session(ops, plan, key, line, parsed, user, profile) -> None:
    if parsed.get("start") is None:
        plan.error(line, "date", _("indiquez la date de la séance."))
        return
    if not parsed.get("kind"):
        plan.error(line, "kind", _("indiquez le type de séance."))
        return
    venue = parsed.get("venue")
    session = Session(
        external_id=parsed.get("external_id", ""),
        structure=parsed["structure"],
        kind=parsed["kind"],
        title=parsed.get("title", ""),
        start=parsed["start"],
        duration_minutes=parsed.get("duration_minutes") or DEFAULT_DURATION,
        place_type=parsed.get("place_type") or (PlaceType.VENUE if venue else PlaceType.OTHER),
        venue=venue,
        level=parsed.get("level", ""),
        capacity=parsed.get("capacity"),
        created_by=user,
    )
    if not _clean_session(session, line, plan):
        return
    sp = SessionPlan(session, line, parsed, is_new=True)
    sp.themes = set(parsed.get("themes") or ())
    ops.sessions[key] = sp
    plan.add(PlanLine(line, "session", CREATE, _session_label(session)))


def _plan_existing_session(ops, plan, key, line, parsed, session, current_themes) -> None:
    if session.structure_id != parsed["structure"].pk:  # pragma: no cover - keys include it
        plan.error(line, "structure", _("séance d'une autre structure."))
        return
    sp = SessionPlan(session, line, parsed, is_new=False)
    changed = _session_changes(session, parsed)
    if "themes" in parsed and set(parsed["themes"]) != current_themes:
        sp.theme_change = (
            set(parsed["themes"]) - current_themes,
            current_themes - set(parsed["themes"]),
        )
    label = _session_label(session)
    if not changed and sp.theme_change is None:
        ops.sessions[key] = sp
        plan.tally("session", UNCHANGED)
        return
    for field, (_old, new) in changed.items():
        setattr(session, field, new)
    if not _clean_session(session, line, plan):
        return
    sp.changed = changed
    ops.sessions[key] = sp
    changes = [
        change_text(plan.headers.get(SESSION_FIELD_KEYS[f], f), _display(old), _display(new))
        for f, (old, new) in changed.items()
    ]
    if sp.theme_change is not None:
        changes.append(_("Thématiques modifiées"))
    plan.add(PlanLine(line, "session", UPDATE, label, changes=changes))


def _session_changes(session: Session, parsed: dict) -> dict[str, tuple]:
    """{field: (old, new)}; a blank external id or duration in the file keeps the
    session's."""
    changed = {}
    for field in SESSION_FIELDS:
        if field not in parsed:
            continue
        new = parsed[field]
        if (field == "external_id" and not new) or (field == "duration_minutes" and new is None):
            continue
        if field == "level" and new is None:
            new = ""
        old = getattr(session, field)
        if field == "venue":
            if (old.pk if old else None) == (new.pk if new else None):
                continue
        elif old == new:
            continue
        changed[field] = (old, new)
    return changed


def _display(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value


# --- Pass 3: attendance ------------------------------------------------------------------


def _person_key(person: PersonRef) -> tuple:
    return ("new", id(person.learner)) if person.is_new else ("pk", person.learner.pk)


def _label(choices, value) -> str:
    if choices is None or not value:
        return value or ""
    return str(choices(value).label)


def _attendance_label(sp: SessionPlan, person: PersonRef) -> str:
    learner = person.learner
    when = (
        timezone.localtime(sp.session.start).strftime("%d/%m/%Y %H:%M") if sp.session.start else ""
    )
    person_label = label_of(learner.first_name, learner.last_name, learner.birth_year)
    return f"{sp.session.display_title} {when} – {person_label}"


def _existing_attendance(ops: AttendanceOps) -> dict[tuple[int, int], Current]:
    """The known sessions' attendance as plain tuples (an instance is only built for a
    row that changes)."""
    existing: dict[tuple[int, int], Current] = {}
    known_sessions = [sp.session.pk for sp in ops.sessions.values() if not sp.is_new]
    for chunk in chunked(known_sessions, CHUNK):
        for pk, session_id, learner_id, *values in Attendance.objects.filter(
            session_id__in=chunk
        ).values_list("id", "session_id", "learner_id", *ATTENDANCE_KEYS):
            existing[(session_id, learner_id)] = Current(pk, *values)
    return existing


def _booked_seats(ops: AttendanceOps) -> dict[int, int]:
    """The places held by online sign-ups in the known sessions (`learners.selectors.places`:
    one rule for places)."""
    booked: dict[int, int] = {}
    known_sessions = [sp.session.pk for sp in ops.sessions.values() if not sp.is_new]
    for chunk in chunked(known_sessions, CHUNK):
        booked.update(booking_seats_by_session(chunk))
    return booked


class _AttendanceRows:
    """Pass 3: each row's attendance, and the seats it takes per session."""

    def __init__(self, ctx: Context, ops: AttendanceOps):
        self.ctx, self.plan, self.ops = ctx, ctx.plan, ops
        self.existing = _existing_attendance(ops)
        self.booked = _booked_seats(ops)
        self.seen: dict[tuple, int] = {}
        self.file_status: dict[int, dict[tuple, str]] = defaultdict(dict)
        self.newly_registered: dict[int, int] = {}

    def plan_row(self, record: Record, skey: tuple) -> None:
        sp = self.ops.sessions.get(skey)
        person = self.ops.people.get(("row", record.line))
        if sp is None or person is None:
            return
        parsed, errors = parse_attendance(self.ctx, record.values)
        for key, message in errors:
            self.plan.error(record.line, key, message)
        if parsed is None or self._is_repeated(record.line, skey, person):
            return
        current = None
        if not sp.is_new and not person.is_new:
            current = self.existing.get((sp.session.pk, person.learner.pk))
        status = parsed.get("status", current.status if current else AttendanceStatus.PRESENT)
        self.file_status[id(sp)][_person_key(person)] = status
        if status == AttendanceStatus.REGISTERED and (
            current is None or current.status not in SEAT_TAKING_STATUSES
        ):
            self.newly_registered.setdefault(id(sp), record.line)
        if current is None:
            self._plan_new(record.line, sp, person, parsed, status)
        else:
            self._plan_update(record.line, sp, person, parsed, current)

    def _is_repeated(self, line: int, skey: tuple, person: PersonRef) -> bool:
        pair = (skey, id(person.learner))
        if pair not in self.seen:
            self.seen[pair] = line
            return False
        self.plan.error(
            line,
            "first_name" if "first_name" in self.plan.headers else "network_id",
            _("cette personne apparaît déjà pour cette séance ligne %(other)d.")
            % {"other": self.seen[pair]},
        )
        return True

    def _plan_new(self, line, sp, person, parsed, status) -> None:
        values = {
            "status": status,
            "equipment": parsed.get("equipment", ""),
            "autonomy": parsed.get("autonomy", ""),
            "referred_to": parsed.get("referred_to", ""),
        }
        self.ops.new_attendance.append((sp, person, values))
        if self.plan.wants("attendance", CREATE):
            self.plan.add(PlanLine(line, "attendance", CREATE, _attendance_label(sp, person)))
        else:
            self.plan.tally("attendance", CREATE)

    def _plan_update(self, line, sp, person, parsed, current: Current) -> None:
        plan = self.plan
        changed = {
            f: (getattr(current, f), parsed[f])
            for f in ATTENDANCE_KEYS
            if f in parsed and getattr(current, f) != parsed[f]
        }
        if not changed:
            plan.tally("attendance", UNCHANGED)
            return
        updated = Attendance(
            pk=current.id,
            session_id=sp.session.pk,
            learner_id=person.learner.pk,
            **{f: getattr(current, f) for f in ATTENDANCE_KEYS},
        )
        for field, (_old, new) in changed.items():
            setattr(updated, field, new)
        self.ops.updated_attendance.append(updated)
        self.ops.update_fields |= set(changed)
        if not plan.wants("attendance", UPDATE):
            plan.tally("attendance", UPDATE)
            return
        changes = [
            change_text(
                plan.headers.get(f, f), _label(CHOICES.get(f), old), _label(CHOICES.get(f), new)
            )
            for f, (old, new) in changed.items()
        ]
        label = _attendance_label(sp, person)
        plan.add(PlanLine(line, "attendance", UPDATE, label, changes=changes))

    def check_capacity(self) -> None:
        """New registrations may not exceed the places of a session."""
        for sp in self.ops.sessions.values():
            capacity = sp.session.capacity
            line = self.newly_registered.get(id(sp))
            if capacity is None or line is None:
                continue
            taken = self._seats_taken(sp)
            if taken > capacity:
                self.plan.error(
                    line,
                    "status",
                    ngettext(
                        "la séance a %(capacity)d place et %(taken)d personnes y seraient "
                        "inscrites ou présentes.",
                        "la séance a %(capacity)d places et %(taken)d personnes y seraient "
                        "inscrites ou présentes.",
                        capacity,
                    )
                    % {"capacity": capacity, "taken": taken},
                )

    def _seats_taken(self, sp: SessionPlan) -> int:
        """The file's seat-taking rows, and the session's other people already seated
        (attendances, and online sign-ups holding a place)."""
        statuses = self.file_status.get(id(sp), {})
        taken = sum(1 for s in statuses.values() if s in SEAT_TAKING_STATUSES)
        if not sp.is_new:
            taken += self.booked.get(sp.session.pk, 0)
            taken += sum(
                1
                for (session_id, learner_id), attendance in self.existing.items()
                if session_id == sp.session.pk
                and attendance.status in SEAT_TAKING_STATUSES
                and ("pk", learner_id) not in statuses
            )
        return taken
