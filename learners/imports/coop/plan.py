"""Plan and apply an import of La Coop's activity worksheet: its lines go through the
attendance import (sessions, venues, people matched with the network's rule, attendance),
then the anonymous participants it counts and the commune of sessions held elsewhere."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.models import AnonymousParticipants, Commune, Session
from learners.national.coop_import_columns import ATTENDANCE_HEADERS
from learners.services.activity_records import activity_records_touch

from ..attendance import AttendanceOps, SessionPlan, apply_attendance, plan_attendance
from ..attendance.parse import PERSON_KEYS
from ..common import CREATE, UNCHANGED, UPDATE, ImportPlan, PlanLine, Record
from .translate import Translated, translate

ANONYMOUS = "anonymous"
Counts = dict[tuple[str, str], int]


class CoopOps:
    def __init__(self, attendance: AttendanceOps):
        self.attendance = attendance
        self.anonymous: list[tuple[SessionPlan, Counts]] = []
        self.place_communes: list[tuple[SessionPlan, Commune]] = []


def plan_coop(
    *, user, records: list[Record], plan: ImportPlan, scope, structures, progress=None
) -> CoopOps:
    named_file = "beneficiary" in plan.headers
    out = translate(records, named_file=named_file, structure=structures.default, plan=plan)
    plan.headers = {
        key: header
        for key, header in ATTENDANCE_HEADERS.items()
        if named_file or key not in PERSON_KEYS
    }
    attendance = plan_attendance(
        user=user,
        records=out.records,
        plan=plan,
        scope=scope,
        structures=structures,
        progress=progress,
        session_only_lines=frozenset(out.anonymous_lines),
    )
    ops = CoopOps(attendance)
    by_external = {key[2]: sp for key, sp in attendance.sessions.items() if key[0] == "ext"}
    _plan_anonymous(plan, ops, by_external, out)
    _plan_place_communes(plan, ops, by_external, out)
    return ops


def _existing_counts(sessions: list[Session]) -> dict[int, Counts]:
    counts: dict[int, Counts] = {}
    rows = AnonymousParticipants.objects.filter(session__in=[s.pk for s in sessions]).values_list(
        "session_id", "age_band", "gender", "count"
    )
    for session_id, band, gender, count in rows:
        counts.setdefault(session_id, {})[(band, gender)] = count
    return counts


def _plan_anonymous(plan: ImportPlan, ops: CoopOps, by_external, out: Translated) -> None:
    """The file's anonymous participants replace the session's counts (same file again:
    unchanged). Sessions without anonymous lines in the file keep theirs."""
    known = [sp.session for sp in by_external.values() if not sp.is_new]
    existing = _existing_counts(known)
    for external_id, counts in out.anonymous.items():
        sp = by_external.get(external_id)
        if sp is None:
            continue  # the session's line has an error, already in the plan
        current = {} if sp.is_new else existing.get(sp.session.pk, {})
        total = sum(counts.values())
        label = ngettext(
            "%(session)s : %(count)d participant anonyme",
            "%(session)s : %(count)d participants anonymes",
            total,
        ) % {"session": sp.session, "count": total}
        line = out.first_line[external_id]
        if current == counts:
            plan.add(PlanLine(line, ANONYMOUS, UNCHANGED, label))
            continue
        ops.anonymous.append((sp, counts))
        plan.add(PlanLine(line, ANONYMOUS, UPDATE if current else CREATE, label))


def _plan_place_communes(plan: ImportPlan, ops: CoopOps, by_external, out: Translated) -> None:
    for external_id, commune in out.place_communes.items():
        sp = by_external.get(external_id)
        if sp is None:
            continue
        if sp.is_new:
            sp.session.place_commune = commune
        elif sp.session.place_commune_id != commune.pk:
            ops.place_communes.append((sp, commune))
            plan.add(
                PlanLine(
                    sp.line,
                    "session",
                    UPDATE,
                    str(sp.session),
                    changes=[_("commune du lieu : %(name)s") % {"name": commune.name}],
                )
            )


def apply_coop(*, user, ops: CoopOps, progress=None) -> dict:
    """Write the plan (the caller holds the transaction)."""
    result = apply_attendance(user=user, ops=ops.attendance, progress=progress)
    for sp, commune in ops.place_communes:
        Session.objects.filter(pk=sp.session.pk).update(place_commune=commune)
    AnonymousParticipants.objects.filter(
        session__in=[sp.session.pk for sp, _c in ops.anonymous]
    ).delete()
    AnonymousParticipants.objects.bulk_create(
        AnonymousParticipants(session_id=sp.session.pk, age_band=band, gender=gender, count=count)
        for sp, counts in ops.anonymous
        for (band, gender), count in counts.items()
    )
    # Bulk writes (no save): the sessions' activity records changed. `apply_attendance`
    # touches the file's sessions today; these writes announce their own change anyway.
    activity_records_touch(
        session_ids=[sp.session.pk for sp, _c in ops.place_communes]
        + [sp.session.pk for sp, _c in ops.anonymous]
    )
    result["anonymous_created"] = sum(sum(c.values()) for _sp, c in ops.anonymous)
    return result
