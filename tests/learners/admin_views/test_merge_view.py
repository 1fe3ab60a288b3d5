"""Fusion de doublons through the admin: coordinators only; side by side; nothing lost."""

import pytest
from django.urls import reverse

from learners.choices import AttendanceStatus, AuditAction
from learners.models import Attendance, Carnet, Learner, LearnerStructure, Observation
from learners.services import carnet_issue, observation_record
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    level,
)
from tests.learners.admin_views.people_helpers import (
    assert_login_redirect,
    assert_refused,
    audit_rows,
    login,
)

pytestmark = pytest.mark.django_db

SEARCH = "learners_merge"
COMPARE = "learners_merge_compare"


@pytest.fixture
def twins(structure_a, structure_b, counsellor_a, counsellor_b, coordinator, socle):
    keep = LearnerFactory(
        structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=1948
    )
    remove = LearnerFactory(
        structure=structure_b,
        first_name="Helene",
        last_name="DURAND",
        birth_year=1948,
        commune=CommuneFactory(name="Venansault"),
    )
    shared = SessionFactory(structure=structure_a)
    only_a = SessionFactory(structure=structure_a)
    only_b = SessionFactory(structure=structure_b)
    AttendanceFactory(session=only_a, learner=keep)
    AttendanceFactory(session=shared, learner=keep, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=shared, learner=remove, status=AttendanceStatus.PRESENT)
    AttendanceFactory(session=only_b, learner=remove)
    for rank in (0, 1):
        observation_record(
            user=counsellor_a, learner=keep, competence=socle[0], level=level("socle", rank)
        )
    observation_record(
        user=counsellor_b, learner=remove, competence=socle[0], level=level("socle", 2)
    )
    carnet_issue(user=counsellor_b, learner=remove)
    return keep, remove


def compare_url(first, second):
    return reverse(COMPARE) + f"?a={first.pk}&b={second.pk}"


@pytest.mark.parametrize("role", ["counsellor_a", "counsellor_b", "partner_editor"])
def test_refused_to_everyone_but_coordinators(client, request, twins, role):
    keep, remove = twins
    login(client, request, role)
    for url in (reverse(SEARCH) + "?q=helene", compare_url(keep, remove)):
        response = client.get(url)
        assert_refused(response)
        assert "Durand" not in response.content.decode()
    response = client.post(
        reverse(COMPARE), {"a": keep.pk, "b": remove.pk, "keep": keep.pk, "confirm": "on"}
    )
    assert_refused(response)
    assert Learner.objects.filter(pk=remove.pk).exists()


def test_anonymous_is_sent_to_login(client, twins):
    keep, remove = twins
    assert_login_redirect(client.get(compare_url(keep, remove)))
    assert_login_redirect(client.get(reverse("learners_merge_result")))


def test_search_then_pick_two_records(client, request, twins):
    keep, remove = twins
    login(client, request, "coordinator")
    content = client.get(reverse(SEARCH), {"q": "helene durand"}).content.decode()
    assert "Choisir comme fiche 1" in content
    assert content.count("Durand") + content.count("DURAND") >= 2
    content = client.get(reverse(SEARCH), {"q": "helene", "a": keep.pk}).content.decode()
    assert f"?a={keep.pk}&amp;b={remove.pk}" in content
    # The first record is not offered as its own twin.
    assert f"b={keep.pk}" not in content


def test_side_by_side(client, request, twins, structure_a, structure_b):
    keep, remove = twins
    user = login(client, request, "coordinator")
    response = client.get(compare_url(keep, remove))
    assert response.status_code == 200
    first, second = response.context["sides"]
    assert (first.attendance_count, first.observation_count) == (2, 2)
    assert (second.attendance_count, second.observation_count) == (2, 1)
    assert second.active_carnet and not first.active_carnet
    assert [s.name for s in second.structures] == [structure_b.name]
    assert response.context["shared_sessions"] == 1
    content = response.content.decode()
    assert "Venansault" in content and keep.network_id in content
    reads = audit_rows(user=user, action=AuditAction.READ, detail="comparaison avant fusion")
    assert {row.learner_id for row in reads} == {keep.pk, remove.pk}


def test_merge_without_loss(client, request, twins, structure_a, structure_b):
    keep, remove = twins
    remove_network_id = remove.network_id
    shared_session_id = (
        Attendance.objects.filter(learner=remove, session__attendances__learner=keep)
        .values_list("session_id", flat=True)
        .get()
    )
    user = login(client, request, "coordinator")
    response = client.post(
        reverse(COMPARE),
        {"a": keep.pk, "b": remove.pk, "keep": str(keep.pk), "confirm": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_merge_result")

    assert not Learner.objects.filter(pk=remove.pk).exists()
    attendances = Attendance.objects.filter(learner=keep)
    assert attendances.count() == 3
    assert attendances.get(session_id=shared_session_id).status == AttendanceStatus.PRESENT
    assert Observation.objects.filter(learner=keep).count() == 3
    assert Carnet.objects.filter(learner=keep, revoked_at__isnull=True).count() == 1
    assert set(
        LearnerStructure.objects.filter(learner=keep).values_list("structure_id", flat=True)
    ) == {structure_a.pk, structure_b.pk}
    keep.refresh_from_db()
    assert keep.commune.name == "Venansault"  # blank field filled from the other record
    merge_row = audit_rows(user=user, action=AuditAction.MERGE)[-1]
    assert merge_row.learner_id == keep.pk and remove_network_id in merge_row.detail

    result = client.get(response["Location"])
    assert result.status_code == 200
    moved = result.context["result"]
    assert moved["attendance_moved"] == 1
    assert moved["attendance_combined"] == 1
    assert moved["observations_moved"] == 1
    assert moved["carnets_moved"] == 1
    assert moved["structures_added"] == [structure_b.name]
    content = result.content.decode()
    assert remove_network_id in content
    assert "3 présences et 3 observations." in content


def test_merge_keeps_the_second_record_when_chosen(client, request, twins):
    keep, remove = twins
    login(client, request, "coordinator")
    client.post(
        reverse(COMPARE), {"a": keep.pk, "b": remove.pk, "keep": str(remove.pk), "confirm": "on"}
    )
    assert not Learner.objects.filter(pk=keep.pk).exists()
    assert Attendance.objects.filter(learner=remove).count() == 3


def test_merge_needs_the_confirmation(client, request, twins):
    keep, remove = twins
    login(client, request, "coordinator")
    response = client.post(reverse(COMPARE), {"a": keep.pk, "b": remove.pk, "keep": keep.pk})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer la fusion" in response.content.decode()
    assert Learner.objects.filter(pk=remove.pk).exists()


@pytest.mark.parametrize("params", ["", "?a=1", "?a=x&b=y", "SAME"])
def test_bad_pairs_are_explained(client, request, twins, params):
    keep, _remove = twins
    login(client, request, "coordinator")
    if params == "SAME":
        params = f"?a={keep.pk}&b={keep.pk}"
    response = client.get(reverse(COMPARE) + params, follow=True)
    assert response.redirect_chain[-1][0] == reverse(SEARCH)
    assert "Choisissez deux fiches différentes" in response.content.decode()


def test_missing_record_is_404(client, request, twins):
    keep, _remove = twins
    login(client, request, "coordinator")
    assert client.get(reverse(COMPARE) + f"?a={keep.pk}&b=999999").status_code == 404


def test_result_without_a_merge_goes_back_to_search(client, request, twins):
    login(client, request, "coordinator")
    response = client.get(reverse("learners_merge_result"))
    assert response.status_code == 302 and response["Location"] == reverse(SEARCH)


def test_menu_items_for_coordinators_only(client, request):
    login(client, request, "counsellor_a")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(SEARCH) not in home and reverse("learners_audit") not in home
    login(client, request, "coordinator")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(SEARCH) in home and reverse("learners_audit") in home
