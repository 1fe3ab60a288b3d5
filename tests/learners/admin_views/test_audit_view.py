"""Journal d'accès: coordinators only; filters by person, user and dates; bounded queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import AuditLog
from learners.services import audit_log_record
from tests.factories.learners import LearnerFactory
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

pytestmark = pytest.mark.django_db

URL = "learners_audit"


@pytest.fixture
def log(structure_a, structure_b, counsellor_a, counsellor_b):
    helene = LearnerFactory(structure=structure_a, first_name="Hélène", last_name="Durand")
    marc = LearnerFactory(structure=structure_b, first_name="Marc", last_name="Roy")
    audit_log_record(user=counsellor_a, action=AuditAction.READ, learner=helene, detail="a")
    audit_log_record(user=counsellor_b, action=AuditAction.UPDATE, learner=marc, detail="b")
    old = audit_log_record(user=counsellor_b, action=AuditAction.READ, learner=marc, detail="c")
    AuditLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    return {"helene": helene, "marc": marc}


def details(response) -> set[str]:
    return {entry.detail for entry in response.context["entries"]}


@pytest.mark.parametrize("role", ["counsellor_a", "counsellor_b", "partner_editor"])
def test_refused_to_everyone_but_coordinators(client, request, log, role):
    login(client, request, role)
    response = client.get(reverse(URL))
    assert_refused(response)
    assert log["helene"].network_id not in response.content.decode()


def test_anonymous_is_sent_to_login(client, log):
    assert_login_redirect(client.get(reverse(URL)))


def test_coordinator_sees_every_row_newest_first(client, request, log, counsellor_a):
    login(client, request, "coordinator")
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert [e.detail for e in response.context["entries"]] == ["b", "a", "c"]
    content = response.content.decode()
    assert counsellor_a.username in content
    assert log["helene"].network_id in content and "Consultation" in content


def test_filter_by_person(client, request, log):
    login(client, request, "coordinator")
    assert details(client.get(reverse(URL), {"personne": "helene"})) == {"a"}
    assert details(client.get(reverse(URL), {"personne": "ROY marc"})) == {"b", "c"}
    network_id = log["marc"].network_id
    assert details(client.get(reverse(URL), {"personne": network_id})) == {"b", "c"}


def test_filter_by_network_id_survives_the_record(client, request, log):
    marc = log["marc"]
    network_id = marc.network_id
    AuditLog.objects.filter(learner=marc).update(learner=None)  # as after a deletion
    login(client, request, "coordinator")
    assert details(client.get(reverse(URL), {"personne": network_id})) == {"b", "c"}


def test_filter_by_user_and_dates(client, request, log, counsellor_b):
    login(client, request, "coordinator")
    assert details(client.get(reverse(URL), {"utilisateur": counsellor_b.username})) == {"b", "c"}
    today = timezone.localdate()
    recent = {"du": (today - datetime.timedelta(days=7)).isoformat(), "au": today.isoformat()}
    assert details(client.get(reverse(URL), recent)) == {"a", "b"}
    older = {"au": (today - datetime.timedelta(days=30)).strftime("%d/%m/%Y")}
    assert details(client.get(reverse(URL), older)) == {"c"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"du": "2024-13-45"}, "Saisissez une date valide"),
        ({"du": "2024-03-10", "au": "2024-03-01"}, "La date de fin est avant la date de début"),
    ],
)
def test_bad_filters_get_a_french_message(client, request, log, params, message):
    login(client, request, "coordinator")
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert response.context["entries"] == []


def test_query_count_does_not_grow(
    client, request, log, counsellor_a, django_assert_max_num_queries
):
    login(client, request, "coordinator")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(URL))
    learner = log["helene"]
    AuditLog.objects.bulk_create(
        AuditLog(
            user=counsellor_a,
            username=counsellor_a.username,
            action=AuditAction.READ,
            learner=learner,
            learner_network_id=learner.network_id,
        )
        for _n in range(120)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(URL), {"p": 2})
    assert len(response.context["entries"]) == 50
    assert "Page 2 sur 3" in response.content.decode()
