"""Attestations when the person's record changes: a merge of duplicates, an erasure."""

import html

import pytest
from django.core.exceptions import ValidationError

from learners.choices import AttestationName
from learners.models import Attestation
from learners.services import learner_merge
from learners.services.attestations import attestation_issue
from learners.services.privacy import learner_anonymize
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


def _issue(user, learner, competence):
    return attestation_issue(
        user=user,
        learner=learner,
        competence_ids=[competence.pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )


def test_a_merge_moves_the_duplicates_attestations(
    counsellor_a, coordinator, odette, socle, structure_a
):
    attestation = _issue(counsellor_a, odette, socle[0])
    keep = LearnerFactory(structure=structure_a, first_name="Odette", last_name="Martin")
    learner_merge(user=coordinator, keep=keep, remove=odette)
    attestation.refresh_from_db()
    assert attestation.learner_id == keep.pk


def test_an_erasure_withdraws_the_attestation_and_its_text(
    client, counsellor_a, coordinator, odette, socle
):
    attestation = _issue(counsellor_a, odette, socle[0])
    learner_anonymize(user=coordinator, learner=odette)
    attestation.refresh_from_db()
    assert attestation.revoked_at is not None and attestation.credential_jws == ""
    page = html.unescape(client.get(f"/attestations/{attestation.public_id}/").content.decode())
    assert "retirée" in page and "effacées" in page
    assert "Odette" not in page and socle[0].name not in page
    assert "Attestation valable" not in page


def test_no_attestation_for_an_erased_record(counsellor_a, coordinator, odette, socle):
    learner_anonymize(user=coordinator, learner=odette)
    odette.refresh_from_db()
    with pytest.raises(ValidationError):
        _issue(counsellor_a, odette, socle[0])
    assert not Attestation.objects.exists()


def test_the_verification_form_keeps_its_cookie_to_its_own_pages(client):
    """A visitor who scanned a QR code still gets cached guides (caching/cookies.py)."""
    response = client.get("/attestations/verifier/")
    assert response.cookies["csrftoken"]["path"] == "/attestations/"
