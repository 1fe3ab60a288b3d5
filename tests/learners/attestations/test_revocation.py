"""Revoking an attestation or a key, rotating a key: what the public page and the JWKS say."""

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from learners.choices import AttestationName
from learners.models import AttestationKey, AuditLog
from learners.services.attestations import (
    attestation_issue,
    attestation_key_revoke,
    attestation_key_rotate,
    attestation_revoke,
)

pytestmark = pytest.mark.django_db


def _issue(user, learner, competence):
    return attestation_issue(
        user=user,
        learner=learner,
        competence_ids=[competence.pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )


def _page(client, attestation) -> str:
    response = client.get(f"/attestations/{attestation.public_id}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _jwks_kids(client, structure) -> set[str]:
    keys = client.get(f"/attestations/emetteurs/{structure.pk}/cles.json").json()["keys"]
    return {k["kid"].rpartition("#")[2] for k in keys}


def test_valid_page_says_who_when_and_what(client, counsellor_a, odette, socle, structure_a):
    attestation = _issue(counsellor_a, odette, socle[0])
    page = _page(client, attestation)
    assert "Attestation valable" in page
    assert structure_a.name in page
    assert "Odette M." in page
    assert socle[0].name in page
    assert "Martin" not in page
    assert "Attestation révoquée" not in page


def test_revoked_attestation_shows_revoked(client, counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, socle[0])
    attestation_revoke(user=counsellor_a, attestation=attestation, reason="Erreur de saisie")
    page = _page(client, attestation)
    assert "Attestation révoquée" in page
    assert "Attestation valable" not in page
    assert AuditLog.objects.filter(detail=f"attestation révoquée {attestation.public_id}").exists()


def test_revoking_needs_a_reason(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, socle[0])
    with pytest.raises(ValidationError):
        attestation_revoke(user=counsellor_a, attestation=attestation, reason="   ")
    attestation.refresh_from_db()
    assert attestation.revoked_at is None


def test_another_structure_cannot_revoke(counsellor_a, counsellor_b, odette, socle):
    attestation = _issue(counsellor_a, odette, socle[0])
    with pytest.raises(PermissionDenied):
        attestation_revoke(user=counsellor_b, attestation=attestation, reason="Pas à nous")
    attestation.refresh_from_db()
    assert attestation.revoked_at is None


def test_rotated_key_still_verifies_old_and_new_uses_new(
    client, counsellor_a, odette, socle, structure_a
):
    old = _issue(counsellor_a, odette, socle[0])
    attestation_key_rotate(structure=structure_a)
    new = _issue(counsellor_a, odette, socle[2])
    assert new.key_id != old.key_id
    assert "Attestation valable" in _page(client, old)
    assert "Attestation valable" in _page(client, new)
    assert _jwks_kids(client, structure_a) == {old.key.thumbprint, new.key.thumbprint}
    assert (
        AttestationKey.objects.filter(structure=structure_a, retired_at__isnull=True).count() == 1
    )


def test_revoked_key_revokes_what_it_signed(
    client, coordinator, counsellor_a, odette, socle, structure_a
):
    old = _issue(counsellor_a, odette, socle[0])
    attestation_key_revoke(user=coordinator, key=old.key, reason="Clé exposée")
    new = _issue(counsellor_a, odette, socle[2])  # a new key is made
    page = _page(client, old)
    assert "Attestation révoquée" in page
    assert "clé de signature" in page
    assert "Attestation valable" in _page(client, new)
    assert _jwks_kids(client, structure_a) == {new.key.thumbprint}


def test_only_coordinators_revoke_keys(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, socle[0])
    with pytest.raises(PermissionDenied):
        attestation_key_revoke(user=counsellor_a, key=attestation.key, reason="Non")
    attestation.key.refresh_from_db()
    assert attestation.key.revoked_at is None


def test_rotation_command(counsellor_a, odette, socle, structure_a):
    old = _issue(counsellor_a, odette, socle[0])
    call_command("rotate_attestation_keys", structure=structure_a.pk)
    current = AttestationKey.objects.get(
        structure=structure_a, retired_at__isnull=True, revoked_at__isnull=True
    )
    assert current.pk != old.key_id
