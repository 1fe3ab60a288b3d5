"""'Mon tableau de bord' (page and admin home panel), as every role."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.roles import roles_cache_clear
from learners.services import SheetRow, attendance_sheet_save
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    observe,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("learners_dashboard")
HOME = reverse("wagtailadmin_home")


def login(client, user):
    roles_cache_clear(user)
    client.force_login(user)
    return client


def person_link(learner) -> str | None:
    try:
        return reverse("learners_person_detail", kwargs={"learner_id": learner.pk})
    except NoReverseMatch:
        return None


def fill(user, structure, socle, prefix: str, copies: int = 1) -> dict:
    """People who progressed, who are stuck, who stopped coming, and an upcoming session
    with free places, for `structure` (`copies` of each)."""
    today = timezone.localdate()
    people = {"progressed": [], "stuck": [], "stopped": [], "sessions": []}
    for n in range(copies):
        progressed = LearnerFactory(structure=structure, first_name=f"{prefix}Progresse{n}")
        observe(user, progressed, socle[0], 0, today - datetime.timedelta(days=40))
        observe(user, progressed, socle[0], 2, today)
        stuck = LearnerFactory(structure=structure, first_name=f"{prefix}Bloque{n}")
        for days_ago in (20, 10, 1):
            observe(user, stuck, socle[1], 1, today - datetime.timedelta(days=days_ago))
        stopped = LearnerFactory(structure=structure, first_name=f"{prefix}Parti{n}")
        old = SessionFactory(structure=structure, start=at(today - datetime.timedelta(days=75)))
        attendance_sheet_save(user=user, session=old, rows=[SheetRow(learner_id=stopped.pk)])
        upcoming = SessionFactory(
            structure=structure,
            title=f"{prefix}Atelier{n}",
            capacity=5,
            start=at(today + datetime.timedelta(days=2), 10),
        )
        AttendanceFactory(session=upcoming, status=AttendanceStatus.REGISTERED)
        people["progressed"].append(progressed)
        people["stuck"].append(stuck)
        people["stopped"].append(stopped)
        people["sessions"].append(upcoming)
    return people


def test_dashboard_lists_for_the_counsellor(
    client, counsellor_a, counsellor_b, structure_a, structure_b, socle
):
    mine = fill(counsellor_a, structure_a, socle, "A")
    fill(counsellor_b, structure_b, socle, "B")
    response = login(client, counsellor_a).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("AProgresse0", "ABloque0", "AParti0", "AAtelier0"):
        assert name in html
    for name in ("BProgresse0", "BBloque0", "BParti0", "BAtelier0"):
        assert name not in html
    assert "4 places libres" in html
    assert reverse("learners_attendance_sheet", args=[mine["sessions"][0].pk]) in html
    url = person_link(mine["progressed"][0])
    if url:
        assert f'href="{url}"' in html
    dashboard = response.context["dashboard"]
    assert (dashboard.progressed_count, dashboard.stuck_count, dashboard.stopped_count) == (1, 1, 1)


def test_dashboard_as_coordinator_sees_the_network(
    client, coordinator, counsellor_a, counsellor_b, structure_a, structure_b, socle
):
    fill(counsellor_a, structure_a, socle, "A")
    fill(counsellor_b, structure_b, socle, "B")
    html = login(client, coordinator).get(DASHBOARD).content.decode()
    for name in ("AProgresse0", "BProgresse0", "ABloque0", "BBloque0", "AParti0", "BParti0"):
        assert name in html


def test_dashboard_refused_to_partner_editor_and_anonymous(
    client, partner_editor, counsellor_a, structure_a, socle
):
    fill(counsellor_a, structure_a, socle, "A")
    response = login(client, partner_editor).get(DASHBOARD)
    assert response.status_code == 302 and response["Location"] == HOME
    home = client.get(HOME).content.decode()
    assert "AProgresse0" not in home and "Mon tableau de bord" not in home
    client.logout()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_admin_home_shows_the_dashboard_to_counsellors(client, counsellor_a, structure_a, socle):
    fill(counsellor_a, structure_a, socle, "A")
    html = login(client, counsellor_a).get(HOME).content.decode()
    assert 'id="pap-home-dashboard"' in html
    assert "AProgresse0" in html and "AAtelier0" in html
    assert "learners/admin/sessions.css" in html


def test_dashboard_queries_do_not_grow(
    client, counsellor_a, structure_a, socle, django_assert_max_num_queries
):
    counts = []
    for prefix, copies in (("X", 1), ("Y", 6)):
        fill(counsellor_a, structure_a, socle, prefix, copies)
        login(client, counsellor_a)
        with django_assert_max_num_queries(25) as ctx:
            response = client.get(DASHBOARD)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
