"""learner_anonymize: what is erased, what is kept, who may, idempotence."""

import pytest
from django.core.exceptions import PermissionDenied

from learners.choices import AuditAction, Gender, SocialStatus
from learners.models import Attendance, AuditLog, Carnet, CompetenceSummary, Learner, Observation
from learners.selectors.admin_people import people_search
from learners.selectors.people import learner_match_candidates
from learners.services import audit_log_record
from learners.services.privacy import ANONYMIZED_FIRST_NAME, learner_anonymize

pytestmark = pytest.mark.django_db


def test_identity_erased_statistics_kept(world, coordinator):
    josiane = world.people[0]
    before = {
        "attendances": Attendance.objects.filter(learner=josiane).count(),
        "observations": Observation.objects.filter(learner=josiane).count(),
        "summaries": CompetenceSummary.objects.filter(learner=josiane).count(),
    }
    old_network_id = josiane.network_id
    result = learner_anonymize(user=coordinator, learner=josiane, reason="demande de la personne")

    row = Learner.objects.get(pk=josiane.pk)
    assert result.pk == row.pk
    assert row.first_name == ANONYMIZED_FIRST_NAME
    assert row.last_name == row.phone == row.email == row.notes == row.external_id == ""
    assert row.contact_consent is False
    assert row.contact_consent_at is None
    assert row.information_given_at is None
    assert row.normalized_first_name == row.normalized_last_name == row.normalized_name == ""
    assert row.anonymized_at is not None
    assert row.network_id != old_network_id
    assert len(row.network_id) == 16
    # Statistical attributes and activity stay.
    assert (row.birth_year, row.gender, row.social_status, row.commune_id) == (
        1948,
        Gender.FEMALE,
        SocialStatus.RETIRED,
        world.communes[0].pk,
    )
    assert row.structure_id == josiane.structure_id
    assert before == {
        "attendances": Attendance.objects.filter(learner=josiane).count(),
        "observations": Observation.objects.filter(learner=josiane).count(),
        "summaries": CompetenceSummary.objects.filter(learner=josiane).count(),
    }
    assert before["attendances"] == 3
    # The carnet no longer opens.
    assert not Carnet.objects.filter(learner=row, revoked_at__isnull=True).exists()
    assert Carnet.objects.filter(learner=row).count() == 1
    # Nobody else was touched.
    assert Learner.objects.filter(anonymized_at__isnull=False).count() == 1


def test_audit_history_detached_and_anonymisation_logged(world, coordinator, counsellor_a):
    josiane = world.people[0]
    old_network_id = josiane.network_id
    audit_log_record(user=counsellor_a, action=AuditAction.READ, learner=josiane, detail="x")
    learner_anonymize(user=coordinator, learner=josiane, reason="demande de la personne")

    assert not AuditLog.objects.filter(learner=josiane).exists()
    history = AuditLog.objects.filter(learner_network_id=old_network_id).order_by("id")
    assert [entry.action for entry in history] == [AuditAction.READ, AuditAction.ANONYMIZE]
    entry = history.last()
    assert entry.user == coordinator
    assert entry.username == coordinator.username
    assert entry.detail == "anonymisation : demande de la personne"
    # Nothing in the log points at the new identifier.
    new_id = Learner.objects.get(pk=josiane.pk).network_id
    assert not AuditLog.objects.filter(learner_network_id=new_id).exists()


def test_idempotent(world, coordinator):
    josiane = world.people[0]
    first = learner_anonymize(user=coordinator, learner=josiane)
    rows = AuditLog.objects.count()
    second = learner_anonymize(user=coordinator, learner=josiane)
    assert second.network_id == first.network_id
    assert second.anonymized_at == first.anonymized_at
    assert AuditLog.objects.count() == rows


def test_system_may_anonymize_without_a_user(world):
    learner = learner_anonymize(learner=world.people[1], reason="durée de conservation écoulée")
    assert learner.is_anonymized
    entry = AuditLog.objects.get(action=AuditAction.ANONYMIZE)
    assert entry.user is None and entry.username == ""


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", True),
        ("counsellor_a", True),  # the person's structure
        ("counsellor_b", False),  # another structure, never linked to this person
        ("partner_editor", False),
    ],
)
def test_who_may_anonymize(world, request, role, allowed):
    user = request.getfixturevalue(role)
    marcel = world.people[1]  # structure A only
    if allowed:
        assert learner_anonymize(user=user, learner=marcel).is_anonymized
    else:
        with pytest.raises(PermissionDenied):
            learner_anonymize(user=user, learner=marcel)
        assert not Learner.objects.get(pk=marcel.pk).is_anonymized


def test_anonymous_user_is_refused(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        learner_anonymize(user=AnonymousUser(), learner=world.people[1])


def test_anonymized_people_cannot_be_found_by_name(world, coordinator, counsellor_a):
    josiane = world.people[0]
    assert list(people_search(user=counsellor_a, query="josiane")) == [josiane]
    learner_anonymize(user=coordinator, learner=josiane)
    assert list(people_search(user=counsellor_a, query="josiane")) == []
    assert list(people_search(user=coordinator, query="anonyme")) == []
    assert (
        learner_match_candidates(user=counsellor_a, first_name="Josiane", last_name="Mercier") == []
    )
