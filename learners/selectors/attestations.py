"""Reads for attestations: which competences a person may be attested on, the attestations
a user or a carnet may list, and the public verification of one credential.

Eligibility (`Structure.attestation_basis`, the issuing structure's choice):
- « niveau » (default): competences whose best level observed reaches the upper half of
  the framework's scale (socle: « Acquis » or « Autonome »; CRCN: 5 and above), from the
  observations the user may read (the structure's own, or all with the person's consent);
- « cycle »: competences worked in the sessions of a cycle (`SessionSeries`) of the
  structure whose every past session the person attended (present), the cycle being over;
- « les_deux »: either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from jwcrypto import jwk

from common.types import AnyUser
from learners.attestations.jwt import VerificationFailed, Verified, credential_verify
from learners.attestations.keys import public_key
from learners.choices import AttendanceStatus, AttestationBasis
from learners.models import (
    Attendance,
    Attestation,
    AttestationKey,
    Carnet,
    Learner,
    Session,
    Structure,
)
from learners.roles import counsellor_structure, user_roles
from learners.scoping import can_access_learner
from learners.selectors.people import progress_for_learner
from learners.selectors.progress import can_do_threshold
from workshops.models import Competence, Level


@dataclass(frozen=True)
class EligibleCompetence:
    competence: Competence
    level: Level | None  # the best level observed (None: worked in a cycle, not observed)
    reason: str  # "niveau" or "cycle"


def issuing_structure(*, user: AnyUser, learner: Learner) -> Structure | None:
    """A counsellor issues for their structure; a coordinator for the record's structure."""
    own = counsellor_structure(user)
    if own is not None:
        return own
    return learner.structure if user_roles(user).is_coordinator else None


def _by_level(user: AnyUser, learner: Learner) -> dict[int, EligibleCompetence]:
    progress = progress_for_learner(user=user, learner_id=learner.pk, attendance_limit=0)
    return {
        item.competence.pk: EligibleCompetence(item.competence, item.best_level, "niveau")
        for item in progress.competences
        if item.best_level.rank >= can_do_threshold(item.min_rank, item.max_rank)
    }


def _completed_series_ids(learner: Learner, structure: Structure) -> list[int]:
    """The structure's cycles that are over and whose every session the person attended."""
    now = timezone.now()
    attended = Attendance.objects.filter(
        learner=learner, session__series__structure=structure
    ).values("session__series_id")
    sessions = list(
        Session.objects.filter(series_id__in=attended).values_list("pk", "series_id", "start")
    )
    present = set(
        Attendance.objects.filter(
            learner=learner,
            status=AttendanceStatus.PRESENT,
            session_id__in=[pk for pk, _series, _start in sessions],
        ).values_list("session_id", flat=True)
    )
    by_series: dict[int, list[tuple[int, datetime.datetime]]] = {}
    for pk, series_id, start in sessions:
        by_series.setdefault(series_id, []).append((pk, start))
    return [
        series_id
        for series_id, items in by_series.items()
        if all(start <= now and pk in present for pk, start in items)
    ]


def _by_cycle(learner: Learner, structure: Structure) -> dict[int, EligibleCompetence]:
    series_ids = _completed_series_ids(learner, structure)
    if not series_ids:
        return {}
    competences = (
        Competence.objects.filter(sessions__series_id__in=series_ids)
        .select_related("framework")
        .distinct()
    )
    return {c.pk: EligibleCompetence(c, None, "cycle") for c in competences}


def attestation_eligible_competences(
    *, user: AnyUser, learner: Learner
) -> list[EligibleCompetence]:
    """The competences `user` may put on an attestation for `learner` (empty when the user
    may issue none)."""
    structure = issuing_structure(user=user, learner=learner)
    if structure is None or not can_access_learner(user, learner):
        return []
    # Read again: the structure may come from the user's cached roles (`user_roles`).
    basis = (
        Structure.objects.filter(pk=structure.pk)
        .values_list("attestation_basis", flat=True)
        .first()
    )
    found: dict[int, EligibleCompetence] = {}
    if basis in (AttestationBasis.CYCLE, AttestationBasis.EITHER):
        found.update(_by_cycle(learner, structure))
    if basis in (AttestationBasis.LEVEL, AttestationBasis.EITHER):
        found.update(_by_level(user, learner))  # a level observed says more than a cycle
    return sorted(
        found.values(),
        key=lambda e: (e.competence.framework.name, e.competence.sort_order, e.competence.code),
    )


def _with_details(qs: QuerySet[Attestation]) -> QuerySet[Attestation]:
    return qs.select_related("structure", "key").prefetch_related(
        Prefetch("competences", queryset=Competence.objects.order_by("code"))
    )


def attestations_for_person_page(*, user: AnyUser, learner: Learner) -> list[Attestation]:
    """A coordinator sees them all; a counsellor those of their own structure."""
    roles = user_roles(user)
    qs = Attestation.objects.filter(learner=learner)
    if not roles.is_coordinator:
        structure = counsellor_structure(user)
        if structure is None:
            return []
        qs = qs.filter(structure=structure)
    return list(_with_details(qs))


def attestations_for_page(*, user: AnyUser, learner: Learner) -> dict:
    """The person's page context: their attestations the user sees, and the structure the
    user would issue for (None: the user issues none)."""
    structure = issuing_structure(user=user, learner=learner)
    return {
        "attestations": attestations_for_person_page(user=user, learner=learner),
        "issuing_structure_id": structure.pk if structure is not None else None,
        "reason_max": Attestation._meta.get_field("revoked_reason").max_length,
    }


def attestation_for_revoking(*, user: AnyUser, attestation_id: int) -> Attestation | None:
    """The attestation when `user` may revoke it (its structure's counsellor, a
    coordinator), else None (the view answers 404)."""
    qs = Attestation.objects.select_related("structure", "key", "learner")
    if not user_roles(user).is_coordinator:
        structure = counsellor_structure(user)
        if structure is None:
            return None
        qs = qs.filter(structure=structure)
    return qs.filter(pk=attestation_id).first()


def attestations_for_carnet(*, carnet: Carnet) -> list[Attestation]:
    return list(_with_details(Attestation.objects.filter(learner_id=carnet.learner_id)))


def attestation_for_carnet(*, carnet: Carnet, public_id: str) -> Attestation | None:
    return (
        _with_details(Attestation.objects.filter(learner_id=carnet.learner_id))
        .filter(public_id=public_id)
        .first()
    )


# --- Public verification ---------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationResult:
    """What the public page says. `reason` is set when the signature does not check."""

    valid_signature: bool
    reason: str = ""
    credential: dict | None = None
    attestation: Attestation | None = None

    @property
    def revoked(self) -> bool:
        return self.attestation is not None and self.attestation.is_revoked

    @property
    def key_revoked(self) -> bool:
        return self.attestation is not None and self.attestation.key.revoked_at is not None

    @property
    def valid(self) -> bool:
        return self.valid_signature and self.attestation is not None and not self.revoked


def _key_for(kid: str) -> jwk.JWK | None:
    """Our own keys only, found by the thumbprint after the `#` (nothing fetched)."""
    thumbprint = kid.rpartition("#")[2]
    if not thumbprint or len(thumbprint) > 64:
        return None
    key = AttestationKey.objects.filter(thumbprint=thumbprint).only("public_jwk").first()
    return public_key(key.public_jwk) if key is not None else None


def _result(verified: Verified) -> VerificationResult:
    public_id = verified.credential["id"].rstrip("/").rpartition("/")[2]
    attestation = (
        _with_details(Attestation.objects.filter(public_id=public_id))
        .filter(key__thumbprint=verified.kid.rpartition("#")[2])
        .first()
    )
    return VerificationResult(
        valid_signature=True, credential=verified.credential, attestation=attestation
    )


def attestation_verify_token(*, token: str) -> VerificationResult:
    """Verify a credential pasted or uploaded on the public page."""
    try:
        verified = credential_verify(token, key_for=_key_for)
    except VerificationFailed as failure:
        return VerificationResult(valid_signature=False, reason=failure.reason)
    if not isinstance(verified.credential.get("id"), str):
        return VerificationResult(valid_signature=False, reason="claims")
    return _result(verified)


def attestation_verify_public(*, public_id: str) -> VerificationResult | None:
    """The stored credential checked again (signature with its key); None when unknown."""
    attestation = Attestation.objects.filter(public_id=public_id).only("credential_jws").first()
    if attestation is None:
        return None
    if not attestation.credential_jws:  # erased with the person's data (services.privacy)
        return VerificationResult(valid_signature=False, reason="erased")
    return attestation_verify_token(token=attestation.credential_jws)


def structure_public_keys(*, structure_id: int) -> list[dict] | None:
    """The JWKS of a structure: its keys in use or rotated (a revoked key is withdrawn, so
    other verifiers refuse what it signed). None when the structure does not exist."""
    if not Structure.objects.filter(pk=structure_id).exists():
        return None
    return list(
        AttestationKey.objects.filter(structure_id=structure_id, revoked_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("public_jwk", flat=True)
    )


def structure_for_profile(*, structure_id: int) -> Structure | None:
    return Structure.objects.filter(pk=structure_id).only("name").first()


def structure_keys(*, structure: Structure) -> list[AttestationKey]:
    """A structure's keys, newest first, for the coordinators' key page (never the private
    half: it is deferred)."""
    return list(
        AttestationKey.objects.filter(structure=structure)
        .defer("private_jwk_encrypted")
        .order_by("-created_at", "-id")
    )
