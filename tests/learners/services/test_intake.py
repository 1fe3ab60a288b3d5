"""Creating a person and registering them is one transaction: a refusal keeps nothing."""

import pytest
from django.core.exceptions import ValidationError

from learners.choices import AttendanceStatus
from learners.models import Learner, LinkRequest
from learners.services import attendance_register
from learners.services.intake import (
    RegistrationRefused,
    learner_create_and_register,
    learner_create_with_link_request,
)
from tests.factories.learners import LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_create_and_register_in_the_sessions_structure(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=1)
    registration = learner_create_and_register(
        user=counsellor_a, session=session, details={"first_name": "Odile", "last_name": "Rabaud"}
    )
    assert registration.learner.structure == structure_a
    assert registration.attendance.learner == registration.learner
    assert registration.attendance.status == AttendanceStatus.REGISTERED


def test_a_full_session_keeps_no_record(counsellor_a, structure_a, structure_b):
    session = SessionFactory(structure=structure_a, capacity=1)
    attendance_register(
        user=counsellor_a, session=session, learner=LearnerFactory(structure=structure_a)
    )
    elsewhere = LearnerFactory(structure=structure_b, first_name="Odile", last_name="Rabaud")
    before = Learner.objects.count()
    with pytest.raises(RegistrationRefused) as refusal:
        learner_create_and_register(
            user=counsellor_a,
            session=session,
            details={"first_name": "Odile", "last_name": "Rabaud"},
            linked_ids=[elsewhere.pk],
        )
    assert refusal.value.message.startswith("Cette séance est complète")
    assert Learner.objects.count() == before
    assert not LinkRequest.objects.exists()

    # The waiting list takes the person, with the link request.
    registration = learner_create_and_register(
        user=counsellor_a,
        session=session,
        details={"first_name": "Odile", "last_name": "Rabaud"},
        waitlist=True,
        linked_ids=[elsewhere.pk],
    )
    assert registration.attendance.status == AttendanceStatus.WAITING
    assert LinkRequest.objects.count() == 1


def test_a_bad_record_raises_the_creation_error(counsellor_a, structure_a):
    with pytest.raises(ValidationError):
        learner_create_with_link_request(
            user=counsellor_a,
            details={"first_name": "Odile", "phone": "0601020304"},
            structure=structure_a,
        )
    assert not Learner.objects.exists()
