import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.choices import AttendanceStatus
from learners.roles import roles_cache_clear
from learners.selectors import counsellor_dashboard
from learners.services import SheetRow, attendance_sheet_save
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    observe,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 18)


def test_dashboard_lists(counsellor_a, structure_a, socle):
    progressed = LearnerFactory(structure=structure_a, first_name="Progresse")
    observe(counsellor_a, progressed, socle[0], 0, datetime.date(2025, 5, 20))
    observe(counsellor_a, progressed, socle[0], 2, datetime.date(2025, 6, 3))
    last_month = LearnerFactory(structure=structure_a, first_name="MoisDernier")
    observe(counsellor_a, last_month, socle[0], 0, datetime.date(2025, 5, 2))
    observe(counsellor_a, last_month, socle[0], 1, datetime.date(2025, 5, 30))

    stuck = LearnerFactory(structure=structure_a, first_name="Bloque")
    for day in (1, 8, 15):
        observe(counsellor_a, stuck, socle[1], 1, datetime.date(2025, 6, day))
    top = LearnerFactory(structure=structure_a, first_name="Autonome")
    for day in (1, 8, 15):
        observe(counsellor_a, top, socle[1], 3, datetime.date(2025, 6, day))
    long_ago = LearnerFactory(structure=structure_a, first_name="Ancien")
    for day in (1, 8, 15):
        observe(counsellor_a, long_ago, socle[1], 1, datetime.date(2025, 1, day))

    gone = LearnerFactory(structure=structure_a, first_name="Parti")
    recent = LearnerFactory(structure=structure_a, first_name="Recent")
    for person, days_ago in ((gone, 75), (recent, 10)):
        session = SessionFactory(
            structure=structure_a, start=at(TODAY - datetime.timedelta(days=days_ago))
        )
        attendance_sheet_save(
            user=counsellor_a, session=session, rows=[SheetRow(learner_id=person.pk)]
        )
    absent_only = LearnerFactory(structure=structure_a, first_name="Absent")
    AttendanceFactory(
        session=SessionFactory(structure=structure_a, start=at(TODAY - datetime.timedelta(90))),
        learner=absent_only,
        status=AttendanceStatus.ABSENT,
    )

    full = SessionFactory(
        structure=structure_a, capacity=1, start=at(TODAY + datetime.timedelta(3))
    )
    AttendanceFactory(session=full, status=AttendanceStatus.REGISTERED)
    open_session = SessionFactory(
        structure=structure_a, capacity=5, start=at(TODAY + datetime.timedelta(2))
    )
    AttendanceFactory(session=open_session, status=AttendanceStatus.REGISTERED)
    SessionFactory(structure=structure_a, capacity=5, start=at(TODAY + datetime.timedelta(30)))
    SessionFactory(structure=structure_a, capacity=None, start=at(TODAY + datetime.timedelta(1)))

    dashboard = counsellor_dashboard(user=counsellor_a, today=TODAY, now=at(TODAY, 8))

    assert [p.learner.first_name for p in dashboard.progressed] == ["Progresse"]
    assert dashboard.progressed_count == 1
    [(competence, current)] = dashboard.progressed[0].competences
    assert (competence, current.rank) == (socle[0], 2)

    assert [(s.learner.first_name, s.competence) for s in dashboard.stuck] == [("Bloque", socle[1])]
    assert dashboard.stuck[0].observations_without_gain == 3
    assert dashboard.stuck_count == 1

    assert [p.first_name for p in dashboard.stopped] == ["Parti"]
    assert dashboard.stopped_count == 1

    assert [s.pk for s in dashboard.upcoming_with_places] == [open_session.pk]
    assert dashboard.upcoming_with_places[0].free_places == 4


def _dashboard_queries(user, structure, socle, people: int) -> int:
    for index in range(people):
        learner = LearnerFactory(structure=structure)
        for day in (2, 9, 16):
            observe(user, learner, socle[index % 3], index % 2, datetime.date(2025, 6, day))
        session = SessionFactory(
            structure=structure,
            start=at(TODAY - datetime.timedelta(days=70 + index)),
            capacity=10,
        )
        AttendanceFactory(session=session, learner=learner)
        learner.last_attended_on = session.start.date()
        learner.save()
        SessionFactory(structure=structure, capacity=10, start=at(TODAY + datetime.timedelta(1)))
    roles_cache_clear(user)
    with CaptureQueriesContext(connection) as ctx:
        dashboard = counsellor_dashboard(user=user, today=TODAY)
        # Touch everything a template would show.
        for item in dashboard.progressed:
            _ = [(c.name, lv.name) for c, lv in item.competences] + [item.learner.first_name]
        for item in dashboard.stuck:
            _ = (item.learner.first_name, item.competence.name, item.level.name)
        for learner in dashboard.stopped:
            _ = (learner.first_name, learner.commune)
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_data(counsellor_a, structure_a, socle):
    few = _dashboard_queries(counsellor_a, structure_a, socle, 2)
    many = _dashboard_queries(counsellor_a, structure_a, socle, 12)
    assert few == many <= 11


def test_stuck_list_order_count_and_limit_for_counsellor_and_coordinator(
    counsellor_a, counsellor_b, coordinator, structure_a, structure_b, socle
):
    """The counsellor's list (read through the structure links) and the coordinator's
    (network-wide) agree: most observations without gain first, then person and
    competence; counted beyond the limit; top level and old ones left out."""
    expected = []
    for n, (owg, competence) in enumerate(((3, 0), (5, 1), (4, 0), (5, 0), (3, 2))):
        person = LearnerFactory(structure=structure_a, first_name=f"Bloque{n}")
        for day in range(owg):
            observe(counsellor_a, person, socle[competence], 1, datetime.date(2025, 6, 1 + day))
        expected.append((-owg, person.pk, socle[competence].pk))
    top = LearnerFactory(structure=structure_a, first_name="Autonome")
    for day in (1, 8, 15, 16):
        observe(counsellor_a, top, socle[1], 3, datetime.date(2025, 6, day))
    long_ago = LearnerFactory(structure=structure_a, first_name="Ancien")
    for day in (1, 8, 15, 16):
        observe(counsellor_a, long_ago, socle[1], 1, datetime.date(2025, 1, day))
    elsewhere = LearnerFactory(structure=structure_b, first_name="Ailleurs")
    for day in (1, 8, 15):
        observe(counsellor_b, elsewhere, socle[0], 0, datetime.date(2025, 6, day))
    expected.sort()

    def listed(user):
        dashboard = counsellor_dashboard(user=user, today=TODAY, limit=3)
        rows = [
            (-s.observations_without_gain, s.learner.pk, s.competence.pk) for s in dashboard.stuck
        ]
        return rows, dashboard.stuck_count

    assert listed(counsellor_a) == (expected[:3], 5)
    everyone = sorted([*expected, (-3, elsewhere.pk, socle[0].pk)])
    assert listed(coordinator) == (everyone[:3], 6)
    assert listed(counsellor_b) == ([(-3, elsewhere.pk, socle[0].pk)], 1)
