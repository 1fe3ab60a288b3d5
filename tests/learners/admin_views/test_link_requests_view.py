"""« Demandes de rattachement »: the coordination's list of link requests, every role."""

import pytest
from django.urls import reverse

from learners.models import LinkRequest
from learners.services.linking import learner_link_request
from tests.factories.learners import LearnerFactory
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

pytestmark = pytest.mark.django_db
URL = reverse("learners_link_requests")


@pytest.fixture
def link_request(structure_a, structure_b, counsellor_b):
    existing = LearnerFactory(
        structure=structure_a, first_name="Andrée", last_name="Marchand", birth_year=1953
    )
    own = LearnerFactory(
        structure=structure_b, first_name="Andrée", last_name="Marchand", birth_year=1953
    )
    [request] = learner_link_request(user=counsellor_b, learner_ids=[existing.pk], own_record=own)
    return request


def test_coordinator_sees_and_closes_requests(
    client, request, link_request, django_assert_max_num_queries
):
    login(client, request, "coordinator")
    client.get(URL)  # warm the roles
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    html = response.content.decode()
    assert "Andrée Marchand" in html
    compare = reverse("learners_merge_compare")
    assert f"{compare}?a={link_request.learner_id}&amp;b={link_request.own_record_id}" in html
    response = client.post(URL, {"request": link_request.pk})
    assert response.status_code == 302
    link_request.refresh_from_db()
    assert link_request.closed_at is not None and link_request.outcome == "différentes"
    assert "Aucune demande en attente." in client.get(URL).content.decode()
    assert client.post(URL, {"request": "nope"}).status_code == 404


@pytest.mark.parametrize("role", ["counsellor_a", "counsellor_b", "partner_editor", "anonymous"])
def test_only_the_coordination_sees_requests(client, request, link_request, role):
    login(client, request, role)
    for response in (client.get(URL), client.post(URL, {"request": link_request.pk})):
        if role == "anonymous":
            assert_login_redirect(response)
        else:
            assert_refused(response)
    assert LinkRequest.objects.get().closed_at is None
