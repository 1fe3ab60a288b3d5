"""Migration 0008 fills the recording structure of existing observations and audit rows."""

import importlib

import pytest
from django.apps import apps

from learners.choices import ObservationSource
from learners.models import AuditLog, Observation
from tests.factories.learners import LearnerFactory, SessionFactory, level

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "learners.migrations.0008_sharing_consent_and_recording_structure"
)


def test_old_rows_get_the_structure_that_recorded_them(
    structure_a, structure_b, counsellor_b, counsellor_a, socle
):
    person = LearnerFactory(structure=structure_a)
    comp, lvl = socle[0], level("socle", 1)
    session_b = SessionFactory(structure=structure_b)

    def old(**fields):
        observation = Observation.objects.create(
            learner=person, competence=comp, level=lvl, observed_on="2025-01-01", **fields
        )
        Observation.objects.filter(pk=observation.pk).update(structure=None)
        return observation.pk

    in_session = old(session=session_b)
    by_author = old(author=counsellor_b)
    unknown = old()
    self_assessed = old(source=ObservationSource.SELF)
    entry = AuditLog.objects.create(user=counsellor_b, action="read", learner=person)
    AuditLog.objects.filter(pk=entry.pk).update(structure=None)

    migration.fill_recording_structures(apps, None)

    structures = dict(Observation.objects.values_list("pk", "structure_id"))
    assert structures[in_session] == structure_b.pk
    assert structures[by_author] == structure_b.pk
    assert structures[unknown] == structure_a.pk  # the record's creator
    assert structures[self_assessed] is None  # the person's own
    assert AuditLog.objects.get(pk=entry.pk).structure_id == structure_b.pk
