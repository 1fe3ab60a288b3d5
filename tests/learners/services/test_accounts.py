"""Counsellor accounts: user + profile + group in one step, coordinators only."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from learners.models import Counsellor
from learners.roles import counsellor_structure
from learners.services.accounts import counsellor_account_create, counsellor_account_update
from tests.factories.learners import CommuneFactory

pytestmark = pytest.mark.django_db


def test_create_and_update(coordinator, structure_a, structure_b):
    commune = CommuneFactory()
    counsellor = counsellor_account_create(
        created_by=coordinator,
        username="  lea.moreau ",
        first_name="Léa",
        last_name="Moreau",
        email="lea@example.org",
        structure=structure_a,
        communes=[commune],
    )
    user = counsellor.user
    assert user.username == "lea.moreau" and not user.has_usable_password()
    assert counsellor_structure(user) == structure_a
    counsellor_account_update(
        user=coordinator,
        counsellor=counsellor,
        data={"last_name": "Moreau-Petit", "is_active": False, "structure": structure_b},
    )
    user.refresh_from_db()
    counsellor.refresh_from_db()
    assert user.last_name == "Moreau-Petit" and not user.is_active
    assert counsellor.structure == structure_b


def test_only_coordinators(counsellor_a, structure_a):
    with pytest.raises(PermissionDenied):
        counsellor_account_create(
            created_by=counsellor_a,
            username="x",
            first_name="X",
            last_name="Y",
            email="x@example.org",
            structure=structure_a,
        )
    with pytest.raises(PermissionDenied):
        counsellor_account_update(
            user=counsellor_a, counsellor=counsellor_a.counsellor, data={"first_name": "Z"}
        )


def test_weak_password_is_refused_and_nothing_is_created(coordinator, structure_a):
    with pytest.raises(ValidationError) as error:
        counsellor_account_create(
            created_by=coordinator,
            username="faible",
            first_name="F",
            last_name="G",
            password="azerty",
            structure=structure_a,
        )
    assert "password" in error.value.error_dict
    assert not get_user_model().objects.filter(username="faible").exists()
    assert not Counsellor.objects.filter(user__username="faible").exists()
