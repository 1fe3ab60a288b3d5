"""learner_attach_to_structure: a counsellor recognises a person followed elsewhere."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import AuditLog, LearnerStructure
from learners.scoping import can_access_learner
from learners.services.sharing import learner_attach_to_structure
from tests.factories.learners import CommuneFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def josiane(structure_b):
    return LearnerFactory(
        structure=structure_b,
        first_name="Josiane",
        last_name="Morel",
        birth_year=1951,
        commune=CommuneFactory(name="Venansault"),
    )


def test_attach_gives_access_and_is_audited(counsellor_a, structure_a, josiane):
    assert not can_access_learner(counsellor_a, josiane)
    created = learner_attach_to_structure(
        user=counsellor_a,
        learner=josiane,
        first_name="josiane",
        last_name="MOREL",
        birth_year=1952,  # within the match's tolerance
    )
    assert created
    assert can_access_learner(counsellor_a, josiane)
    row = AuditLog.objects.get(learner=josiane, user=counsellor_a)
    assert row.action == AuditAction.UPDATE and str(structure_a.pk) in row.detail
    # Twice: nothing more.
    assert not learner_attach_to_structure(
        user=counsellor_a, learner=josiane, first_name="Josiane", last_name="Morel", birth_year=1951
    )
    assert LearnerStructure.objects.filter(learner=josiane).count() == 2
    assert AuditLog.objects.filter(learner=josiane).count() == 1


@pytest.mark.parametrize(
    ("first_name", "last_name", "birth_year"),
    [("Josiane", "Moreau", 1951), ("Josette", "Morel", 1951), ("Josiane", "Morel", 1960)],
)
def test_attach_refuses_a_record_the_description_does_not_match(
    counsellor_a, josiane, first_name, last_name, birth_year
):
    with pytest.raises(PermissionDenied):
        learner_attach_to_structure(
            user=counsellor_a,
            learner=josiane,
            first_name=first_name,
            last_name=last_name,
            birth_year=birth_year,
        )
    assert not can_access_learner(counsellor_a, josiane)


def test_attach_needs_last_name_and_birth_year(counsellor_a, josiane):
    for last_name, year in (("", 1951), ("Morel", None)):
        with pytest.raises(ValidationError):
            learner_attach_to_structure(
                user=counsellor_a,
                learner=josiane,
                first_name="Josiane",
                last_name=last_name,
                birth_year=year,
            )


def test_attach_refuses_anonymised_records(counsellor_a, josiane):
    josiane.anonymized_at = timezone.now()
    josiane.save()
    with pytest.raises(PermissionDenied):
        learner_attach_to_structure(
            user=counsellor_a,
            learner=josiane,
            first_name="Josiane",
            last_name="Morel",
            birth_year=1951,
        )


def test_attach_is_for_counsellors(coordinator, partner_editor, josiane):
    with pytest.raises(ValidationError):
        learner_attach_to_structure(
            user=coordinator,
            learner=josiane,
            first_name="Josiane",
            last_name="Morel",
            birth_year=1951,
        )
    with pytest.raises(PermissionDenied):
        learner_attach_to_structure(
            user=partner_editor,
            learner=josiane,
            first_name="Josiane",
            last_name="Morel",
            birth_year=1951,
        )
