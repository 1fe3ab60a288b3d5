"""Writes for attestations: issue (sign) one, revoke one, rotate or revoke a structure's key.

Issuing: a counsellor of a structure the person is linked to, or a coordinator (for the
record's structure), chooses among the eligible competences
(`learners.selectors.attestations`) and the name shown, as the person chooses. The key is
made on the structure's first issue. Issuing and revoking are audited like any write on a
person's record (the detail names the attestation, never personal data).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.attestations import keys as key_tools
from learners.attestations.documents import CompetenceLine, CredentialFacts, credential_document
from learners.attestations.jwt import credential_sign
from learners.attestations.urls import issuer_url, key_id, site_base_url, verification_url
from learners.choices import AttestationName, AuditAction
from learners.models import Attestation, AttestationKey, Learner, Structure
from learners.roles import counsellor_structure, user_roles
from learners.scoping import can_access_learner
from learners.selectors.attestations import (
    EligibleCompetence,
    attestation_eligible_competences,
    issuing_structure,
)
from learners.services._common import refuse
from learners.services.audit import audit_log_record
from workshops.models import Level

REASON_MAX = 300


def attestation_key_current(*, structure: Structure) -> AttestationKey:
    """The structure's key in use, made on first need (RSA 2048, private half encrypted)."""
    current = AttestationKey.objects.filter(
        structure=structure, retired_at__isnull=True, revoked_at__isnull=True
    ).first()
    return current or _key_create(structure)


def _key_create(structure: Structure) -> AttestationKey:
    private = key_tools.key_generate()
    thumbprint = key_tools.key_thumbprint(private)
    key = AttestationKey(
        structure=structure,
        thumbprint=thumbprint,
        public_jwk=key_tools.public_jwk(private, kid=key_id(structure.pk, thumbprint)),
        private_jwk_encrypted=key_tools.private_encrypt(private),
    )
    key.full_clean()
    key.save()
    return key


@transaction.atomic
def attestation_key_rotate(*, structure: Structure) -> AttestationKey:
    """Retire the key in use (it keeps verifying what it signed) and make a new one."""
    Structure.objects.select_for_update().filter(pk=structure.pk).first()
    AttestationKey.objects.filter(
        structure=structure, retired_at__isnull=True, revoked_at__isnull=True
    ).update(retired_at=timezone.now())
    return _key_create(structure)


@transaction.atomic
def attestation_key_revoke(*, user: AnyUser, key: AttestationKey, reason: str) -> AttestationKey:
    """Coordinators only: every credential the key signed shows as revoked from now on; the
    next issue makes a new key."""
    if not user_roles(user).is_coordinator:
        refuse(_("Seule la coordination peut révoquer une clé."))
    reason = _reason(reason)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_reason = reason
        key.full_clean()
        key.save(update_fields=["revoked_at", "revoked_reason"])
    return key


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Indiquez le motif de la révocation."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("Le motif compte au plus %(max)d caractères.") % {"max": REASON_MAX}
        )
    return reason


def holder_name(learner: Learner, name_shown: str) -> str:
    """« Odette M. » (first name, initial of the surname), or "" when the person chose none."""
    if name_shown == AttestationName.NONE:
        return ""
    initial = learner.last_name.strip()[:1].upper()
    return f"{learner.first_name.strip()} {initial}." if initial else learner.first_name.strip()


def _lines(chosen: list[EligibleCompetence]) -> tuple[CompetenceLine, ...]:
    framework_ids = {e.competence.framework_id for e in chosen}
    scales: dict[int, list[str]] = {}
    for level in Level.objects.filter(framework_id__in=framework_ids).order_by("rank"):
        scales.setdefault(level.framework_id, []).append(level.name)
    return tuple(
        CompetenceLine(
            code=e.competence.code,
            name=e.competence.name,
            framework=e.competence.framework.name,
            framework_url=site_base_url() + "/",
            levels=tuple(scales.get(e.competence.framework_id, [])),
            level_reached=e.level.name if e.level is not None else "",
        )
        for e in chosen
    )


def _chosen(
    user: AnyUser, learner: Learner, competence_ids: Iterable[int]
) -> list[EligibleCompetence]:
    eligible = {
        e.competence.pk: e for e in attestation_eligible_competences(user=user, learner=learner)
    }
    wanted = set(competence_ids)
    if not wanted:
        raise ValidationError(_("Choisissez au moins une compétence."))
    if not wanted <= set(eligible):
        raise ValidationError(
            _(
                "Une compétence choisie ne peut pas figurer sur l'attestation : elle n'a pas "
                "atteint le niveau demandé."
            )
        )
    return [e for pk, e in eligible.items() if pk in wanted]


@transaction.atomic
def attestation_issue(
    *, user: AnyUser, learner: Learner, competence_ids: Iterable[int], name_shown: str
) -> Attestation:
    roles = user_roles(user)
    if not (roles.is_coordinator or roles.is_counsellor) or not can_access_learner(user, learner):
        refuse()
    structure = issuing_structure(user=user, learner=learner)
    if structure is None:
        refuse()
    if learner.is_anonymized:
        raise ValidationError(_("Une fiche anonymisée ne peut pas recevoir d'attestation."))
    if name_shown not in AttestationName.values:
        raise ValidationError(_("Choisissez le nom qui figurera sur l'attestation."))
    chosen = _chosen(user, learner, competence_ids)
    key = attestation_key_current(structure=structure)
    attestation = Attestation(
        learner=learner,
        structure=structure,
        key=key,
        name_shown=name_shown,
        issued_at=timezone.now(),
        issued_by_id=user.pk if user.is_authenticated else None,
    )
    facts = CredentialFacts(
        credential_id=verification_url(attestation.public_id),
        subject_id=f"urn:uuid:{uuid.uuid4()}",
        issuer_id=issuer_url(structure.pk),
        issuer_name=structure.name,
        site_url=site_base_url() + "/",
        valid_from=attestation.issued_at,
        holder_name=holder_name(learner, name_shown),
        competences=_lines(chosen),
    )
    private = key_tools.private_decrypt(key.private_jwk_encrypted)
    attestation.credential_jws = credential_sign(
        credential_document(facts), key=private, kid=key_id(structure.pk, key.thumbprint)
    )
    attestation.full_clean(exclude=["competences"])
    attestation.save()
    attestation.competences.set([e.competence for e in chosen])
    audit_log_record(
        user=user,
        action=AuditAction.CREATE,
        learner=learner,
        detail=f"attestation délivrée {attestation.public_id}",
    )
    return attestation


@transaction.atomic
def attestation_revoke(*, user: AnyUser, attestation: Attestation, reason: str) -> Attestation:
    """The issuing structure's counsellors, or a coordinator."""
    roles = user_roles(user)
    own = counsellor_structure(user)
    if not (roles.is_coordinator or (own is not None and own.pk == attestation.structure_id)):
        raise PermissionDenied(
            _("Seule la structure qui l'a délivrée peut révoquer cette attestation.")
        )
    reason = _reason(reason)
    if attestation.revoked_at is None:
        attestation.revoked_at = timezone.now()
        attestation.revoked_reason = reason
        attestation.revoked_by_id = user.pk
        attestation.full_clean(exclude=["competences"])
        attestation.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=attestation.learner,
            detail=f"attestation révoquée {attestation.public_id}",
        )
    return attestation
