"""Stage 4, apply: the plan written in bulk (batches of BATCH; the caller holds the
transaction)."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from caching import versions
from learners.choices import AuditAction
from learners.models import Attendance, Learner, LearnerStructure, Session
from learners.roles import counsellor_profile
from learners.services.activity import structure_links_refresh
from learners.services.activity_records import activity_records_touch
from learners.services.audit import audit_log_record_many
from learners.services.bookings import waitlist_promote
from learners.services.linking import link_requests_record_many
from learners.services.people import learners_attendance_refresh
from learners.services.progress import observations_record_many

from ..common import BATCH
from .ops import AttendanceOps, SessionPlan


def apply_attendance(*, user, ops: AttendanceOps, progress=None) -> dict:
    """Write the plan (the caller holds the transaction)."""
    # Sessions and attendance written in bulk (no signal): the agenda's places may change.
    versions.bump_now_and_on_commit(versions.AGENDA)
    now = timezone.now()
    new_people = list({id(r.learner): r.learner for r in ops.people.values() if r.is_new}.values())
    Learner.objects.bulk_create(new_people, batch_size=BATCH)
    links = {(lr.pk, lr.structure_id) for lr in new_people}
    new_sessions = _sessions_create(user=user, ops=ops)
    _sessions_update(ops=ops, now=now)
    created, touched = _attendance_write(
        user=user, ops=ops, now=now, links=links, progress=progress
    )
    LearnerStructure.objects.bulk_create(
        [LearnerStructure(learner_id=lid, structure_id=sid) for lid, sid in links],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    # Levels before the attendance dates: that refresh also copies the new summaries.
    observed = observations_record_many(
        user=user,
        levels=[
            (sp.session, ref.learner.pk, competence_id, level_id)
            for sp, ref, competence_id, level_id in ops.observations
        ],
    )
    learners_attendance_refresh(learner_ids=touched, touch=True, now=now)
    # Attendance and themes written in bulk: the sessions' activity records changed.
    activity_records_touch(session_ids=[sp.session.pk for sp in ops.sessions.values()])
    _waitlists_move_up(ops)
    # People newly followed by a structure without a new attendance date.
    # ... and people whose levels changed (their summaries feed the dashboards' copies).
    structure_links_refresh(learner_ids=({lid for lid, _sid in links} | observed) - set(touched))
    new_ids = {lr.pk for lr in new_people}
    link_requests_record_many(user=user, pairs=ops.link_requests, source="import de présences")
    audit_log_record_many(
        user=user, action=AuditAction.CREATE, learners=new_people, detail="import de fichier"
    )
    audit_log_record_many(
        user=user,
        action=AuditAction.UPDATE,
        learners=[lr for pk, lr in touched.items() if pk not in new_ids],
        detail="import de présences (fichier)",
    )
    audit_log_record_many(
        user=user,
        action=AuditAction.UPDATE,
        learners=_learners_of(ops, observed - new_ids),  # new people: their creation says it
        detail="niveaux de compétence (import de fichier)",
    )
    return {
        "observations_created": len(ops.observations),
        "sessions_created": len(new_sessions),
        "people_created": len(new_people),
        "attendance_created": created,
        "attendance_updated": len(ops.updated_attendance),
    }


def _sessions_create(*, user, ops: AttendanceOps) -> list[SessionPlan]:
    """The new sessions, their themes, and the importing counsellor as their counsellor."""
    new_sessions = [sp for sp in ops.sessions.values() if sp.is_new]
    Session.objects.bulk_create([sp.session for sp in new_sessions], batch_size=BATCH)
    through = Session.themes.through
    through.objects.bulk_create(
        [through(session_id=sp.session.pk, theme_id=t) for sp in new_sessions for t in sp.themes],
        batch_size=BATCH,
    )
    profile = counsellor_profile(user)
    if profile is not None:
        counsellors = Session.counsellors.through
        counsellors.objects.bulk_create(
            [
                counsellors(session_id=sp.session.pk, counsellor_id=profile.pk)
                for sp in new_sessions
            ],
            batch_size=BATCH,
        )
    return new_sessions


def _waitlists_move_up(ops: AttendanceOps) -> None:
    """A line no longer « inscrit », or a larger capacity, frees places in a known session:
    the online waiting list moves up (`waitlist_promote` skips past sessions)."""
    session_ids = {item.session_id for item in ops.updated_attendance} | {
        sp.session.pk for sp in ops.sessions.values() if not sp.is_new and sp.changed
    }
    for session_id in sorted(session_ids):
        waitlist_promote(session_id=session_id)


def _sessions_update(*, ops: AttendanceOps, now) -> None:
    """The changed sessions, grouped by the fields that change (one bulk_update each)."""
    through = Session.themes.through
    groups: dict[tuple, list[Session]] = defaultdict(list)
    for sp in ops.sessions.values():
        if not sp.is_new and sp.changed:
            sp.session.updated_at = now
            groups[tuple(sorted(set(sp.changed) | {"updated_at"}))].append(sp.session)
        if not sp.is_new and sp.theme_change is not None:
            added, removed = sp.theme_change
            if removed:
                through.objects.filter(session_id=sp.session.pk, theme_id__in=removed).delete()
            through.objects.bulk_create(
                [through(session_id=sp.session.pk, theme_id=t) for t in added],
                ignore_conflicts=True,
            )
    for fields, sessions in groups.items():
        Session.objects.bulk_update(sessions, list(fields), batch_size=BATCH)


def _attendance_write(*, user, ops: AttendanceOps, now, links: set, progress):
    """(attendance created, {learner id: learner whose attendance changed}); adds to
    `links` the (person, structure) pairs the new attendance creates."""
    attendance = []
    touched: dict[int, Learner] = {}
    for sp, ref, values in ops.new_attendance:
        attendance.append(
            Attendance(
                session_id=sp.session.pk, learner_id=ref.learner.pk, recorded_by=user, **values
            )
        )
        links.add((ref.learner.pk, sp.session.structure_id))
        touched[ref.learner.pk] = ref.learner
    for start in range(0, len(attendance), BATCH):
        Attendance.objects.bulk_create(attendance[start : start + BATCH])
        if progress is not None:
            progress(start + BATCH)
    if ops.updated_attendance:
        for item in ops.updated_attendance:
            item.updated_at = now
            item.recorded_by = user
        Attendance.objects.bulk_update(
            ops.updated_attendance,
            sorted(ops.update_fields | {"updated_at", "recorded_by"}),
            batch_size=BATCH,
        )
        people = {r.learner.pk: r.learner for r in ops.people.values() if not r.is_new}
        for item in ops.updated_attendance:
            if item.learner_id in people:
                touched[item.learner_id] = people[item.learner_id]
    return len(attendance), touched


def _learners_of(ops: AttendanceOps, learner_ids: set[int]) -> list[Learner]:
    found = {ref.learner.pk: ref.learner for ref in ops.people.values()}
    return [found[pk] for pk in sorted(learner_ids) if pk in found]
