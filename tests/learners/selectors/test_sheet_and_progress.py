import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learners.choices import AttendanceStatus, SessionKind
from learners.roles import roles_cache_clear
from learners.selectors import (
    carnet_overview,
    progress_for_learner,
    session_attendance_sheet,
    sessions_for_user,
)
from learners.services import (
    SheetRow,
    attendance_sheet_save,
    carnet_issue,
    carnet_mark_guide_read,
    carnet_open,
    observation_record,
)
from tests.factories.editorial import atelier_create, guide_create
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    level,
)

pytestmark = pytest.mark.django_db


def _sheet_queries(user, structure, socle, people: int) -> tuple[int, object]:
    session = SessionFactory(structure=structure, competences=socle[:3], capacity=20)
    learners = LearnerFactory.create_batch(people, structure=structure)
    attendance_sheet_save(
        user=user,
        session=session,
        rows=[
            SheetRow(learner_id=lr.pk, levels={c.pk: level("socle", 1).pk for c in socle[:3]})
            for lr in learners
        ],
    )
    roles_cache_clear(user)
    with CaptureQueriesContext(connection) as ctx:
        sheet = session_attendance_sheet(user=user, session_id=session.pk)
        for line in sheet.lines:
            _ = (line.learner.display_name, line.learner.commune, line.attendance.status)
    return len(ctx.captured_queries), sheet


def test_attendance_sheet_content_and_constant_queries(counsellor_a, structure_a, socle):
    few, _sheet = _sheet_queries(counsellor_a, structure_a, socle, 3)
    many, sheet = _sheet_queries(counsellor_a, structure_a, socle, 12)
    assert few == many <= 10
    assert len(sheet.lines) == 12
    assert [c.pk for c in sheet.competences] == [c.pk for c in socle[:3]]
    levels = sheet.levels_by_framework[socle[0].framework_id]
    assert [lv.rank for lv in levels] == [0, 1, 2, 3]
    line = sheet.lines[0]
    assert {c: lv.rank for c, lv in line.levels.items()} == {c.pk: 1 for c in socle[:3]}
    assert {c: lv.rank for c, lv in line.current_levels.items()} == {c.pk: 1 for c in socle[:3]}
    assert sheet.session.seats_taken == 12
    assert sheet.free_places == 8


def test_sessions_for_user_today_and_upcoming(counsellor_a, structure_a):
    today = timezone.localdate()
    earlier_today = SessionFactory(structure=structure_a, start=at(today, 0))
    upcoming = SessionFactory(structure=structure_a, start=at(today + datetime.timedelta(5)))
    SessionFactory(structure=structure_a, start=at(today - datetime.timedelta(1)))
    mine = SessionFactory(structure=structure_a, start=at(today + datetime.timedelta(6)))
    mine.counsellors.add(counsellor_a.counsellor)
    AttendanceFactory(session=upcoming, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=upcoming, status=AttendanceStatus.WAITING)
    sessions = list(sessions_for_user(user=counsellor_a))
    assert [s.pk for s in sessions] == [earlier_today.pk, upcoming.pk, mine.pk]
    assert (sessions[1].seats_taken, sessions[1].waiting_count) == (1, 1)
    assert [s.pk for s in sessions_for_user(user=counsellor_a, mine_only=True)] == [mine.pk]


def test_progress_for_learner(counsellor_a, structure_a, socle, django_assert_max_num_queries):
    learner = LearnerFactory(structure=structure_a)
    for rank, day in ((0, 1), (1, 8), (2, 15)):
        observation_record(
            user=counsellor_a,
            learner=learner,
            competence=socle[0],
            level=level("socle", rank),
            observed_on=datetime.date(2025, 3, day),
        )
    AttendanceFactory(session=SessionFactory(structure=structure_a), learner=learner)
    with django_assert_max_num_queries(8):
        progress = progress_for_learner(user=counsellor_a, learner_id=learner.pk)
    [competence] = progress.competences
    assert (competence.position, competence.steps, competence.percent) == (2, 3, 67)
    assert competence.can_do and not competence.is_complete
    assert competence.levels_gained == 2
    assert [o.level.rank for o in progress.observations] == [0, 1, 2]
    assert len(progress.attendances) == 1
    assert progress.shared is False and progress.holds_record is True


def test_carnet_overview(counsellor_a, structure_a, socle, django_assert_max_num_queries):
    learner = LearnerFactory(structure=structure_a, first_name="Yvette", last_name="Secret")
    atelier = atelier_create(title="Créer son adresse e-mail", competences=socle[:2])
    session = SessionFactory(
        structure=structure_a, kind=SessionKind.WORKSHOP, atelier=atelier, competences=socle[:2]
    )
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[
            SheetRow(
                learner_id=learner.pk,
                levels={socle[0].pk: level("socle", 3).pk, socle[1].pk: level("socle", 1).pk},
            )
        ],
    )
    guide_done = guide_create(title="Fiche déjà lue")
    guide_next = guide_create(title="Fiche suivante")
    guide_complete = guide_create(title="Fiche d'une compétence acquise")
    guide_draft = guide_create(title="Brouillon", publish=False)
    guide_done.competences.set([socle[1]])
    guide_next.competences.set([socle[1]])
    guide_complete.competences.set([socle[0]])
    guide_draft.competences.set([socle[1]])
    for guide in (guide_done, guide_next, guide_complete, guide_draft):
        guide.save()
    carnet = carnet_open(code=carnet_issue(user=counsellor_a, learner=learner))
    carnet_mark_guide_read(carnet=carnet, guide=guide_done)

    with django_assert_max_num_queries(6):
        overview = carnet_overview(carnet=carnet)
        _ = [g.title for g in overview.next_guides]
    assert overview.first_name == "Yvette"
    assert [a.title for a in overview.ateliers] == ["Créer son adresse e-mail"]
    assert {c.competence.pk: c.current_level.rank for c in overview.competences} == {
        socle[0].pk: 3,
        socle[1].pk: 1,
    }
    assert overview.can_do == [socle[0].can_do]
    assert [g.title for g in overview.next_guides] == ["Fiche suivante"]
