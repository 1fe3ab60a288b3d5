"""`load_demo` tells a newcomer which demo logins must enrol an authenticator app: without
it, the page that follows the coordinator's password looks like a failed login."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings

from demo.management.commands.load_demo import two_factor_notice
from learners.roles import COORDINATORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users():
    users = get_user_model().objects
    users.create_superuser("admin", "admin@example.org", "x")
    coordinator = users.create_user("coordination", password="x", is_staff=True)
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    users.create_user("camille.martin", password="x", is_staff=True)
    return ["admin", "coordination", "camille.martin"]


@override_settings(ADMIN_2FA_REQUIRED_FOR_COORDINATORS=True)
def test_names_the_coordinators_who_must_enrol(demo_users):
    notice = two_factor_notice(demo_users)
    assert "Validation en deux étapes obligatoire" in notice
    assert "« admin » et « coordination » doivent installer une application" in notice
    assert "camille.martin" not in notice


@override_settings(ADMIN_2FA_REQUIRED_FOR_COORDINATORS=True)
def test_one_coordinator_in_the_singular(demo_users):
    notice = two_factor_notice(["coordination", "camille.martin"])
    assert "« coordination » doit installer une application" in notice
    assert "sur son téléphone" in notice and "ses codes de secours" in notice


@override_settings(ADMIN_2FA_REQUIRED_FOR_COORDINATORS=False)
def test_silent_when_not_required(demo_users):
    assert two_factor_notice(demo_users) == ""
