"""A person's page: identity, sessions, competence levels over time (SVG chart + table),
carnet section; every role; audit on read; query count independent of the history."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AttendanceStatus, AuditAction
from learners.services import observation_record
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    level,
)
from tests.learners.admin_views.people_helpers import (
    assert_login_redirect,
    assert_refused,
    audit_rows,
    login,
)

pytestmark = pytest.mark.django_db


def page_url(learner):
    return reverse("learners_person_detail", kwargs={"learner_id": learner.pk})


def history(*, learner, structure, user, competences, sessions: int):
    """`sessions` past sessions attended, each with a level on the first two competences
    (levels rising on the first, flat on the second)."""
    start = timezone.localdate() - datetime.timedelta(days=sessions + 1)
    for index in range(sessions):
        session = SessionFactory(
            structure=structure,
            start=at(start + datetime.timedelta(days=index)),
            title=f"Atelier numéro {index}",
        )
        AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.PRESENT)
        observation_record(
            user=user,
            learner=learner,
            competence=competences[0],
            level=level("socle", min(index, 3)),
            session=session,
        )
        observation_record(
            user=user,
            learner=learner,
            competence=competences[1],
            level=level("socle", 1),
            session=session,
        )


@pytest.fixture
def helene(structure_a, counsellor_a, socle):
    learner = LearnerFactory(
        structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=1948
    )
    history(
        learner=learner, structure=structure_a, user=counsellor_a, competences=socle, sessions=3
    )
    return learner


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("counsellor_a", 200)])
def test_page_for_allowed_roles(client, request, helene, role, status):
    user = login(client, request, role)
    response = client.get(page_url(helene))
    assert response.status_code == status
    content = response.content.decode()
    assert "Hélène" in content and "Durand" in content and "1948" in content
    assert "Atelier numéro 2" in content
    rows = audit_rows(user=user, learner=helene, action=AuditAction.READ)
    assert [row.detail for row in rows] == ["fiche consultée"]


def test_other_structure_gets_404_without_leak(client, request, helene):
    login(client, request, "counsellor_b")
    response = client.get(page_url(helene))
    assert response.status_code == 404
    assert "Durand" not in response.content.decode()
    assert not audit_rows(learner=helene, action=AuditAction.READ)


def test_missing_record_is_the_same_404(client, request, helene):
    login(client, request, "counsellor_b")
    assert client.get(reverse("learners_person_detail", args=[999999])).status_code == 404


def test_partner_editor_and_anonymous_are_refused(client, request, helene):
    assert_login_redirect(client.get(page_url(helene)))
    login(client, request, "partner_editor")
    response = client.get(page_url(helene))
    assert_refused(response)
    assert not audit_rows(learner=helene, action=AuditAction.READ)


def test_chart_has_a_table_equivalent(client, request, helene, socle):
    login(client, request, "counsellor_a")
    content = client.get(page_url(helene)).content.decode()
    first = socle[0]
    # One SVG chart per competence, labelled, with the framework's levels on the y axis.
    charts = re.findall(r"<svg[^>]*class=\"chart\".*?</svg>", content, re.S)
    assert len(charts) == 2
    chart = next(c for c in charts if f"competence-{first.pk}-title" in c)
    assert 'role="img"' in chart
    assert f"{first.code} {first.name}".replace("'", "&#x27;") in chart
    for name in ("Non acquis", "En cours", "Acquis", "Autonome"):
        assert name in chart
    assert "<polyline" in chart
    # The same observations as a table: caption, column and row headers.
    caption = f"Niveaux observés : {first.code} {first.name}".replace("'", "&#x27;")
    table = re.search(
        r"<table[^>]*>\s*<caption>" + re.escape(caption) + r"</caption>(.*?)</table>",
        content,
        re.S,
    )
    assert table is not None
    body = table.group(1)
    assert body.count('<th scope="col">') == 3
    assert body.count('<th scope="row">') == 3
    for rank_name in ("Non acquis", "En cours", "Acquis"):
        assert f"<td>{rank_name}</td>" in body
    # And the summary table: first, current and best level.
    assert "Niveaux par compétence : premier, actuel et meilleur" in content


def test_sessions_in_other_structures_are_neither_shown_nor_counted(
    client, request, helene, structure_b
):
    session = SessionFactory(structure=structure_b, title="Séance ailleurs")
    AttendanceFactory(session=session, learner=helene)
    login(client, request, "counsellor_a")
    content = client.get(page_url(helene)).content.decode()
    assert "Séance ailleurs" not in content
    assert "autre structure du réseau (non" not in content
    login(client, request, "coordinator")
    assert "Séance ailleurs" in client.get(page_url(helene)).content.decode()


def test_contact_details_are_shown_only_when_recorded_with_consent(client, request, helene):
    login(client, request, "counsellor_a")
    content = client.get(page_url(helene)).content.decode()
    assert "Pas d'accord pour être contactée" in content
    helene.contact_consent = True
    helene.contact_consent_at = timezone.now()
    helene.phone = "0601020304"
    helene.save()
    assert "0601020304" in client.get(page_url(helene)).content.decode()


def test_query_count_does_not_grow_with_the_history(
    client, request, structure_a, counsellor_a, socle, django_assert_max_num_queries
):
    small = LearnerFactory(structure=structure_a)
    history(learner=small, structure=structure_a, user=counsellor_a, competences=socle, sessions=3)
    large = LearnerFactory(structure=structure_a)
    history(learner=large, structure=structure_a, user=counsellor_a, competences=socle, sessions=30)
    login(client, request, "counsellor_a")
    with django_assert_max_num_queries(25) as captured:
        client.get(page_url(small))
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(page_url(large))
    assert len(response.context["progress"].attendances) == 30
    assert len(response.context["histories"][0]["observations"]) == 30


def test_merge_and_audit_buttons_for_coordinators_only(client, request, helene):
    merge_url = reverse("learners_merge") + f"?a={helene.pk}"
    audit_url = reverse("learners_audit") + f"?personne={helene.network_id}"
    login(client, request, "counsellor_a")
    content = client.get(page_url(helene)).content.decode()
    assert merge_url not in content and audit_url not in content
    login(client, request, "coordinator")
    content = client.get(page_url(helene)).content.decode()
    assert merge_url in content and audit_url in content


# The sessions table as the template wrote it before its labels were computed in the view.
OLD_SESSION_ROWS = (
    "{% for attendance in attendances %}"
    '<th scope="row">{{ attendance.session.start|date:"d/m/Y H:i" }}</th>'
    "<td>{{ attendance.session.display_title }}<br>"
    "<small>{{ attendance.session.get_kind_display }}</small></td>"
    "<td>{% if attendance.session.venue %}{{ attendance.session.venue.name }} "
    "({{ attendance.session.venue.commune.name }}){% else %}"
    "{{ attendance.session.get_place_type_display }}{% endif %}</td>"
    "<td>{{ attendance.get_status_display }}</td>"
    "{% endfor %}"
)
NEW_SESSION_ROWS = (
    "{% for row in rows %}"
    '<th scope="row">{{ row.start }}</th>'
    "<td>{{ row.title }}<br><small>{{ row.kind }}</small></td>"
    "<td>{{ row.place }}</td>"
    "<td>{{ row.status }}</td>"
    "{% endfor %}"
)


def test_session_rows_show_what_the_model_displays(structure_a):
    """`session_rows` (labels translated once per page) writes exactly what the template
    wrote with `get_*_display` and the `date` filter: time zone, venue and commune,
    place type without a venue, title or kind, escaping."""
    from django.template import Context, Template

    from learners.admin_views.people import session_rows
    from learners.choices import PlaceType, SessionKind
    from learners.models import Attendance
    from tests.factories.learners import CommuneFactory, VenueFactory

    learner = LearnerFactory(structure=structure_a)
    venue = VenueFactory(
        structure=structure_a,
        name="Médiathèque <\"&'>",
        commune=CommuneFactory(insee_code="85191", name="Les Sables & co"),
    )
    utc = datetime.UTC
    cases = [
        (venue, PlaceType.VENUE, "", SessionKind.WORKSHOP, datetime.datetime(2026, 3, 28, 23, 30)),
        (None, PlaceType.HOME, "<b>Visite</b>", SessionKind.DROP_IN, datetime.datetime(2026, 7, 1)),
        (None, PlaceType.REMOTE, "", SessionKind.DROP_IN, datetime.datetime(2025, 12, 31, 23)),
    ]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.WAITING]
    for (place, place_type, title, kind, start), status in zip(cases, statuses, strict=True):
        session = SessionFactory(
            structure=structure_a,
            venue=place,
            place_type=place_type,
            title=title,
            kind=kind,
            start=start.replace(tzinfo=utc),
        )
        AttendanceFactory(session=session, learner=learner, status=status)
    attendances = list(
        Attendance.objects.filter(learner=learner)
        .select_related("session__venue__commune")
        .order_by("-session__start")
    )
    with timezone.override("Europe/Paris"):
        old = Template(OLD_SESSION_ROWS).render(Context({"attendances": attendances}))
        new = Template(NEW_SESSION_ROWS).render(Context({"rows": session_rows(attendances)}))
    assert new == old
    assert "29/03/2026 00:30" in new and "Les Sables &amp; co" in new
