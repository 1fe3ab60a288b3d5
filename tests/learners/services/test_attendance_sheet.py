import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learners.choices import AttendanceStatus, AuditAction
from learners.models import Attendance, AuditLog, CompetenceSummary, Observation
from learners.roles import roles_cache_clear
from learners.services import SheetRow, attendance_sheet_save, summary_rebuild
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    crcn_competences,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(structure_a, socle):
    day = timezone.localdate() - datetime.timedelta(days=2)
    return SessionFactory(structure=structure_a, start=at(day), competences=socle[:3])


def rows_for(learners, socle, rank=1):
    return [
        SheetRow(
            learner_id=learner.pk,
            status=AttendanceStatus.PRESENT,
            equipment="telephone",
            autonomy="partiellement_autonome",
            levels={c.pk: level("socle", rank).pk for c in socle[:3]},
        )
        for learner in learners
    ]


def test_sheet_saves_everything_at_once(counsellor_a, structure_a, past_session, socle):
    registered = AttendanceFactory(session=past_session, status=AttendanceStatus.REGISTERED).learner
    walk_in, absent = LearnerFactory.create_batch(2, structure=structure_a)
    rows = rows_for([registered, walk_in], socle) + [
        {"learner_id": absent.pk, "status": AttendanceStatus.ABSENT}
    ]
    result = attendance_sheet_save(user=counsellor_a, session=past_session, rows=rows)
    assert (result.created, result.updated, result.observations) == (2, 1, 6)
    statuses = dict(past_session.attendances.values_list("learner_id", "status"))
    assert statuses == {registered.pk: "present", walk_in.pk: "present", absent.pk: "absent"}
    observation = Observation.objects.filter(learner=walk_in).first()
    assert observation.observed_on == past_session.local_date
    assert observation.author == counsellor_a
    assert CompetenceSummary.objects.filter(learner=walk_in).count() == 3
    walk_in.refresh_from_db()
    absent.refresh_from_db()
    assert walk_in.last_attended_on == past_session.local_date
    assert absent.last_attended_on is None
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == 3

    # Saving the same sheet again appends nothing.
    again = attendance_sheet_save(user=counsellor_a, session=past_session, rows=rows)
    assert (again.created, again.updated, again.observations) == (0, 0, 0)
    # A changed level is a new observation; the summary follows.
    changed = rows_for([walk_in], socle, rank=2)
    assert (
        attendance_sheet_save(user=counsellor_a, session=past_session, rows=changed).observations
        == 3
    )
    summary = CompetenceSummary.objects.get(learner=walk_in, competence=socle[0])
    assert summary.current_level.rank == 2
    assert summary.levels_gained == 1


def test_sheet_summaries_equal_a_rebuild(counsellor_a, structure_a, past_session, socle):
    people = LearnerFactory.create_batch(4, structure=structure_a)
    attendance_sheet_save(user=counsellor_a, session=past_session, rows=rows_for(people, socle))
    before = sorted(
        CompetenceSummary.objects.values_list(
            "learner_id", "competence_id", "current_level_id", "observation_count", "levels_gained"
        )
    )
    summary_rebuild()
    after = sorted(
        CompetenceSummary.objects.values_list(
            "learner_id", "competence_id", "current_level_id", "observation_count", "levels_gained"
        )
    )
    assert before == after


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"status": "absent", "levels": "socle"}, "personne présente"),
        ({"status": "peut-être"}, "présence inconnue"),
        ({"equipment": "minitel"}, "matériel inconnu"),
        ({"levels": "other"}, "compétence non travaillée"),
        ({"levels": "crcn-level"}, "autre référentiel"),
    ],
)
def test_sheet_errors_name_the_row_in_french(
    counsellor_a, structure_a, past_session, socle, row, message
):
    learner = LearnerFactory(structure=structure_a)
    levels = {
        "socle": {socle[0].pk: level("socle", 1).pk},
        "other": {socle[5].pk: level("socle", 1).pk},
        "crcn-level": {socle[0].pk: level("crcn", 3).pk},
    }.get(row.pop("levels", None), {})
    good = rows_for([LearnerFactory(structure=structure_a)], socle)
    with pytest.raises(ValidationError) as error:
        attendance_sheet_save(
            user=counsellor_a,
            session=past_session,
            rows=[*good, SheetRow(learner_id=learner.pk, levels=levels, **row)],
        )
    assert error.value.messages[0].startswith("Ligne 2 :")
    assert message in error.value.messages[0]
    assert not Attendance.objects.exists()
    assert not Observation.objects.exists()


def test_sheet_refuses_people_and_sessions_out_of_scope(
    counsellor_a, counsellor_b, structure_b, past_session, socle
):
    stranger = LearnerFactory(structure=structure_b)
    with pytest.raises(ValidationError) as error:
        attendance_sheet_save(
            user=counsellor_a, session=past_session, rows=[SheetRow(learner_id=stranger.pk)]
        )
    assert "personne introuvable" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        attendance_sheet_save(
            user=counsellor_b, session=past_session, rows=[SheetRow(learner_id=stranger.pk)]
        )


def test_sheet_capacity_applies_to_new_registrations_only(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=2)
    people = LearnerFactory.create_batch(3, structure=structure_a)
    with pytest.raises(ValidationError) as error:
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[SheetRow(learner_id=p.pk, status=AttendanceStatus.REGISTERED) for p in people],
        )
    assert "complète" in error.value.messages[0]
    # People who came are recorded even beyond the capacity.
    result = attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[SheetRow(learner_id=p.pk, status=AttendanceStatus.PRESENT) for p in people],
    )
    assert result.created == 3


def _queries_for(size, counsellor, structure, session, socle) -> int:
    people = LearnerFactory.create_batch(size, structure=structure)
    for person in people[: size // 2]:
        AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
    rows = rows_for(people, socle)
    roles_cache_clear(counsellor)  # each call reads the user's roles afresh
    with CaptureQueriesContext(connection) as ctx:
        attendance_sheet_save(user=counsellor, session=session, rows=rows)
    assert Observation.objects.filter(session=session).count() == size * 3
    return len(ctx.captured_queries)


# A sheet filled after the sessions, and one filled ahead (registrations): ahead, the
# waiting list is checked for places the sheet frees (one more query, the session's
# bookings). The day is fixed relative to today, never « today at 9 and 14 », which is
# past or upcoming depending on the hour the suite runs.
@pytest.mark.parametrize(("days", "bound"), [(-1, 30), (1, 31)])
def test_sheet_save_query_count_does_not_grow_with_people(
    days, bound, counsellor_a, structure_a, socle
):
    day = timezone.localdate() + datetime.timedelta(days=days)
    small = SessionFactory(structure=structure_a, start=at(day, 9), competences=socle[:3])
    large = SessionFactory(structure=structure_a, start=at(day, 14), competences=socle[:3])
    three = _queries_for(3, counsellor_a, structure_a, small, socle)
    twelve = _queries_for(12, counsellor_a, structure_a, large, socle)
    assert twelve == three
    # 25 (past) before the session's participant summary (learners.services.activity_summaries,
    # five queries on SQLite; a delete and an INSERT … SELECT on PostgreSQL).
    assert twelve <= bound


def test_crcn_levels_are_accepted_for_crcn_competences(counsellor_a, structure_a):
    competence = crcn_competences()[0]
    session = SessionFactory(structure=structure_a, competences=[competence])
    learner = LearnerFactory(structure=structure_a)
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[SheetRow(learner_id=learner.pk, levels={competence.pk: level("crcn", 2).pk})],
    )
    assert CompetenceSummary.objects.get(learner=learner).current_level.rank == 2
