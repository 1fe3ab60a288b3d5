"""Query counts of the benchmarked tracking views do not grow with the data (bench/tracking.py
measures the same views at national scale).

Most cases are covered next to their views: the dashboard (tests/learners/admin_views/
test_dashboard_view.py), the sheet load with registered people and its save
(test_attendance_sheet_view.py), the person's page (test_person_page.py) and the carnet
(tests/learners/views/test_carnet.py). What they leave out is covered here: the sheet
once saved (every line present with its levels recorded in the session and its current
levels), and the person's page when the structure has many other people and sessions.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learners.choices import AttendanceStatus
from learners.roles import roles_cache_clear
from learners.services import SheetRow, attendance_sheet_save
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    level,
)

pytestmark = pytest.mark.django_db


def _get_counted(client, url) -> int:
    client.get(url)  # warm: per-process caches (site root, menus, roles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _saved_sheet(user, structure, socle, people: int):
    session = SessionFactory(structure=structure, competences=socle[:3], capacity=20)
    learners = LearnerFactory.create_batch(people, structure=structure)
    for learner in learners:
        AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)
    attendance_sheet_save(
        user=user,
        session=session,
        rows=[
            SheetRow(
                learner_id=learner.pk,
                status=AttendanceStatus.PRESENT,
                equipment="telephone",
                autonomy="autonome",
                levels={c.pk: level("socle", (i + n) % 4).pk for n, c in enumerate(socle[:3])},
            )
            for i, learner in enumerate(learners)
        ],
    )
    return session


def test_saved_sheet_queries_do_not_grow_with_people(client, counsellor_a, structure_a, socle):
    roles_cache_clear(counsellor_a)
    client.force_login(counsellor_a)
    counts = []
    for people in (3, 12):
        session = _saved_sheet(counsellor_a, structure_a, socle, people)
        url = reverse("learners_attendance_sheet", args=[session.pk])
        counts.append(_get_counted(client, url))
        sheet = client.get(url).context["sheet"]
        assert len(sheet.lines) == people
        assert all(len(line.levels) == 3 and line.current_levels for line in sheet.lines)
    assert counts[0] == counts[1]
    assert counts[1] <= 30


def test_person_page_queries_do_not_grow_with_the_structure(
    client, counsellor_a, structure_a, socle
):
    person = LearnerFactory(structure=structure_a)
    for n in range(3):
        session = SessionFactory(structure=structure_a, competences=socle[:2])
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[
                SheetRow(
                    learner_id=person.pk,
                    levels={socle[0].pk: level("socle", n).pk, socle[1].pk: level("socle", 1).pk},
                )
            ],
        )
    roles_cache_clear(counsellor_a)
    client.force_login(counsellor_a)
    url = reverse("learners_person_detail", args=[person.pk])
    small = _get_counted(client, url)
    # The structure grows: many other people, sessions and observations around the person.
    for n in range(8):
        session = SessionFactory(structure=structure_a, competences=socle[:2])
        others = LearnerFactory.create_batch(5, structure=structure_a)
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[
                SheetRow(learner_id=o.pk, levels={socle[0].pk: level("socle", n % 4).pk})
                for o in others
            ],
        )
    large = _get_counted(client, url)
    assert large == small
