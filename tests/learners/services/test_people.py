import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import AuditLog, Learner, LearnerStructure
from learners.services import learner_create, learner_update
from tests.factories.learners import CommuneFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_counsellor_creates_a_person_in_their_structure(counsellor_a, structure_a):
    learner = learner_create(
        user=counsellor_a,
        first_name=" Hélène ",
        last_name="Le Bihan-Dupré",
        birth_year=1951,
        commune=CommuneFactory(),
    )
    learner.refresh_from_db()
    assert learner.structure == structure_a
    assert learner.first_name == "Hélène"
    assert learner.normalized_first_name == "helene"
    assert learner.normalized_name == "helenelebihandupre"
    assert len(learner.network_id) == 16
    assert LearnerStructure.objects.filter(learner=learner, structure=structure_a).exists()
    log = AuditLog.objects.get(learner=learner)
    assert (log.action, log.user, log.username) == (
        AuditAction.CREATE,
        counsellor_a,
        counsellor_a.username,
    )
    assert log.learner_network_id == learner.network_id
    assert "Hélène" not in log.detail


def test_network_ids_are_random_and_unique(counsellor_a):
    ids = {learner_create(user=counsellor_a, first_name=f"P{i}").network_id for i in range(20)}
    assert len(ids) == 20


def test_contact_details_need_recorded_consent(counsellor_a):
    with pytest.raises(ValidationError) as error:
        learner_create(user=counsellor_a, first_name="Paul", phone="06 12 34 56 78")
    assert "accord de la personne" in str(error.value.message_dict["phone"])
    with pytest.raises(ValidationError) as error:
        learner_create(user=counsellor_a, first_name="Paul", email="paul@example.org")
    assert "email" in error.value.message_dict
    assert not Learner.objects.exists()

    learner = learner_create(
        user=counsellor_a, first_name="Paul", email="paul@example.org", contact_consent=True
    )
    assert learner.contact_consent_at is not None


def test_model_clean_requires_consent_date():
    learner = Learner(first_name="Zoé", contact_consent=True, email="z@example.org")
    with pytest.raises(ValidationError) as error:
        learner.clean()
    assert "contact_consent_at" in error.value.message_dict


@pytest.mark.parametrize("year", [1850, timezone.localdate().year + 1])
def test_birth_year_is_range_checked(counsellor_a, year):
    with pytest.raises(ValidationError) as error:
        learner_create(user=counsellor_a, first_name="Léa", birth_year=year)
    assert "birth_year" in error.value.message_dict


def test_refusals(counsellor_a, structure_b, partner_editor, coordinator):
    with pytest.raises(PermissionDenied):
        learner_create(user=partner_editor, first_name="Marc")
    with pytest.raises(PermissionDenied):
        learner_create(user=counsellor_a, first_name="Marc", structure=structure_b)
    with pytest.raises(ValidationError) as error:
        learner_create(user=coordinator, first_name="Marc")
    assert "structure" in error.value.message_dict
    learner = learner_create(user=coordinator, first_name="Marc", structure=structure_b)
    assert learner.structure == structure_b


def test_update_logs_field_names_only_and_withdrawn_consent_erases_contact(counsellor_a):
    learner = learner_create(
        user=counsellor_a,
        first_name="Rose",
        phone="0600000000",
        contact_consent=True,
    )
    learner_update(user=counsellor_a, learner=learner, data={"last_name": "Durand"})
    learner.refresh_from_db()
    assert learner.normalized_name == "rosedurand"
    log = AuditLog.objects.filter(action=AuditAction.UPDATE).get()
    assert log.detail == "champs : last_name"
    assert "Durand" not in log.detail

    learner_update(user=counsellor_a, learner=learner, data={"contact_consent": False})
    learner.refresh_from_db()
    assert (learner.phone, learner.email, learner.contact_consent_at) == ("", "", None)


def test_update_out_of_scope_is_refused(counsellor_b, coordinator, structure_a):
    learner = LearnerFactory(structure=structure_a)
    with pytest.raises(PermissionDenied):
        learner_update(user=counsellor_b, learner=learner, data={"first_name": "X"})
    with pytest.raises(ValidationError) as error:
        learner_update(user=coordinator, learner=learner, data={"network_id": "x"})
    assert "non modifiables" in error.value.messages[0]


def test_update_touches_last_activity(counsellor_a, structure_a):
    learner = LearnerFactory(
        structure=structure_a, last_activity_at=timezone.now() - datetime.timedelta(days=300)
    )
    learner_update(user=counsellor_a, learner=learner, data={"birth_year": 1960})
    learner.refresh_from_db()
    assert timezone.now() - learner.last_activity_at < datetime.timedelta(minutes=1)
