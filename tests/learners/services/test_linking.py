"""learners.services.linking: the one rule that joins a person to a structure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import AuditLog, LearnerStructure, LinkRequest, SharingConsent
from learners.scoping import can_access_learner, has_consent
from learners.selectors.people import identity_is_precise, learner_link_match
from learners.services import carnet_issue, carnet_revoke
from learners.services.linking import (
    learner_link_request,
    learner_link_with_carnet_code,
    link_request_close,
    sharing_consent_record,
    sharing_consent_revoke,
)
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


@pytest.fixture
def code(josiane, counsellor_b):
    LearnerStructure.objects.get_or_create(learner=josiane, structure=josiane.structure)
    return carnet_issue(user=counsellor_b, learner=josiane)


def test_precise_identity():
    assert not identity_is_precise(first_name="Josiane", birth_year=None)
    assert not identity_is_precise(first_name="Josiane", birth_year=1951)
    assert not identity_is_precise(first_name="", last_name="Morel", birth_year=1951)
    assert identity_is_precise(first_name="Josiane", last_name="Morel", birth_year=1951)
    assert identity_is_precise(first_name="Josiane", birth_year=1951, commune=object())


def test_the_code_links_records_consent_and_is_audited(counsellor_a, structure_a, josiane, code):
    assert not can_access_learner(counsellor_a, josiane)
    assert learner_link_with_carnet_code(user=counsellor_a, code=code.lower()) == josiane
    assert can_access_learner(counsellor_a, josiane) and has_consent(counsellor_a, josiane)
    consent = SharingConsent.objects.get(learner=josiane, structure=structure_a)
    assert consent.given_by == counsellor_a and consent.given_at is not None
    row = AuditLog.objects.filter(learner=josiane, user=counsellor_a).get()
    assert row.action == AuditAction.UPDATE and "rattachement et accord" in row.detail
    assert row.structure == structure_a
    # Twice: no second consent, no second link.
    learner_link_with_carnet_code(user=counsellor_a, code=code)
    assert SharingConsent.objects.filter(learner=josiane).count() == 1
    assert LearnerStructure.objects.filter(learner=josiane, structure=structure_a).count() == 1


def test_a_revoked_code_or_an_anonymised_person_links_nothing(
    counsellor_a, counsellor_b, josiane, code
):
    carnet_revoke(user=counsellor_b, carnet=josiane.carnets.get())
    with pytest.raises(ValidationError):
        learner_link_with_carnet_code(user=counsellor_a, code=code)
    new_code = carnet_issue(user=counsellor_b, learner=josiane)
    josiane.anonymized_at = timezone.now()
    josiane.save()
    with pytest.raises(ValidationError):
        learner_link_with_carnet_code(user=counsellor_a, code=new_code)
    assert not can_access_learner(counsellor_a, josiane)


def test_linking_is_for_counsellors(coordinator, partner_editor, code):
    with pytest.raises(ValidationError):
        learner_link_with_carnet_code(user=coordinator, code=code)
    with pytest.raises(PermissionDenied):
        learner_link_with_carnet_code(user=partner_editor, code=code)


def test_a_match_never_names_another_structure_s_record(counsellor_a, josiane):
    match = learner_link_match(
        user=counsellor_a, first_name="josiane", last_name="MOREL", birth_year=1952
    )
    assert match.own == [] and match.other_ids == [josiane.pk]
    assert match.other_birth_years == [1951]
    # A first name alone: nothing of other structures.
    assert learner_link_match(user=counsellor_a, first_name="josiane").is_empty


def test_link_request_is_recorded_for_the_coordination(
    counsellor_a, coordinator, structure_a, josiane
):
    own = LearnerFactory(structure=structure_a, first_name="Josiane")
    [request] = learner_link_request(user=counsellor_a, learner_ids=[josiane.pk], own_record=own)
    assert (request.learner, request.own_record, request.structure) == (josiane, own, structure_a)
    assert not can_access_learner(counsellor_a, josiane)
    assert AuditLog.objects.filter(learner=josiane, detail__contains="demande").exists()
    with pytest.raises(PermissionDenied):
        link_request_close(user=counsellor_a, request=request, outcome="différentes")
    link_request_close(user=coordinator, request=request, outcome="différentes")
    assert LinkRequest.objects.get().closed_by == coordinator


def test_consent_in_person_needs_a_link_and_is_revocable_by_its_structure(
    counsellor_a, counsellor_b, coordinator, structure_a, josiane
):
    with pytest.raises(PermissionDenied):
        sharing_consent_record(user=counsellor_a, learner=josiane)
    LearnerStructure.objects.create(learner=josiane, structure=structure_a)
    with pytest.raises(ValidationError):
        sharing_consent_record(
            user=counsellor_a,
            learner=josiane,
            given_on=timezone.localdate() + timezone.timedelta(days=1),
        )
    consent = sharing_consent_record(user=counsellor_a, learner=josiane)
    assert consent.method == "en_personne" and has_consent(counsellor_a, josiane)
    with pytest.raises(PermissionDenied):
        sharing_consent_revoke(consent=consent, user=counsellor_b)
    sharing_consent_revoke(consent=consent, user=counsellor_a)
    assert not has_consent(counsellor_a, josiane)
    assert AuditLog.objects.filter(learner=josiane, detail__contains="retiré").exists()


def test_migration_0009_marks_the_consents_withdrawn_from_a_carnet(
    counsellor_a, counsellor_b, structure_a, structure_b, josiane, code
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "learners.migrations.0009_sharing_consent_revoked_from_carnet"
    )
    LearnerStructure.objects.create(learner=josiane, structure=structure_a)
    learner_link_with_carnet_code(user=counsellor_a, code=code)
    from_carnet = SharingConsent.objects.get(learner=josiane, structure=structure_a)
    sharing_consent_revoke(consent=from_carnet, carnet=josiane.carnets.get())
    on_request = sharing_consent_record(user=counsellor_b, learner=josiane, code=code)
    sharing_consent_revoke(consent=on_request, user=counsellor_b)
    # As before the field existed: only the audit log tells the two apart.
    SharingConsent.objects.update(revoked_from_carnet=False)
    migration.mark_carnet_withdrawals(apps, None)
    from_carnet.refresh_from_db()
    on_request.refresh_from_db()
    assert from_carnet.revoked_from_carnet and not on_request.revoked_from_carnet
