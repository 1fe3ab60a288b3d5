"""One definition of an active carnet: `active()` is not revoked, `openable()` also needs
its person not anonymised; the carnet a cookie names is re-read through it."""

import pytest
from django.utils import timezone

from learners.models import Carnet
from learners.selectors.carnets import carnet_openable_get
from learners.services import carnet_issue
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


def test_active_and_openable(counsellor_a, structure_a):
    kept, erased = LearnerFactory.create_batch(2, structure=structure_a)
    carnet_issue(user=counsellor_a, learner=kept)
    carnet_issue(user=counsellor_a, learner=kept)  # revokes the first code
    carnet_issue(user=counsellor_a, learner=erased)
    erased.anonymized_at = timezone.now()
    erased.save()

    assert Carnet.objects.count() == 3
    assert {c.learner for c in Carnet.objects.active()} == {kept, erased}
    (openable,) = Carnet.objects.openable()
    assert openable.learner == kept and openable.revoked_at is None

    assert carnet_openable_get(carnet_id=openable.pk) == openable
    for carnet in Carnet.objects.exclude(pk=openable.pk):
        assert carnet_openable_get(carnet_id=carnet.pk) is None
