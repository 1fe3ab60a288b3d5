"""Carnet codes: issue (shown once), revoke, open from the public page, mark guides read.

`carnet_open` applies no rate limit: the public page opens carnets through
`learners.services.carnet_opening.carnet_open_attempt`, which does. See `learners.codes` for
the alphabet, the hashing and the entropy arithmetic.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.choices import AuditAction
from learners.codes import code_generate, code_hash, code_normalize
from learners.models import Carnet, GuideRead, Learner
from learners.scoping import can_access_learner, holds_record
from workshops.models import GuidePage

from ._common import refuse
from .audit import audit_log_record

ISSUE_ATTEMPTS = 5


def carnet_issue(*, user: User, learner: Learner) -> str:
    """Give the person a new carnet code and return it in plain form (format it for print
    with `learners.codes.code_format`). The code is never stored nor shown again: only its
    HMAC is kept. The person's previous active code, if any, is revoked."""
    # The code opens the person's whole carnet: only who holds the record gives it.
    if not can_access_learner(user, learner) or not holds_record(user, learner):
        refuse()
    if learner.is_anonymized:
        refuse(_("Cette fiche a été anonymisée."))
    with transaction.atomic():
        replaced = Carnet.objects.active().filter(learner=learner).update(revoked_at=timezone.now())
        for _attempt in range(ISSUE_ATTEMPTS):
            code = code_generate()
            try:
                with transaction.atomic():
                    Carnet.objects.create(
                        learner=learner, code_hash=code_hash(code), created_by=user
                    )
                break
            except IntegrityError:  # pragma: no cover - one chance in 1e14 per code
                continue
        else:  # pragma: no cover
            raise RuntimeError("Could not draw a unique carnet code")
        audit_log_record(
            user=user,
            action=AuditAction.CREATE,
            learner=learner,
            detail="carnet remis" + (" (ancien code révoqué)" if replaced else ""),
        )
    return code


def carnet_revoke(*, user: AnyUser, carnet: Carnet) -> Carnet:
    """Revoke a code (lost card, request of the person). Idempotent."""
    if not can_access_learner(user, carnet.learner) or not holds_record(user, carnet.learner):
        refuse()
    if carnet.revoked_at is None:
        carnet.revoked_at = timezone.now()
        with transaction.atomic():
            carnet.save(update_fields=["revoked_at"])
            audit_log_record(
                user=user,
                action=AuditAction.UPDATE,
                learner=carnet.learner,
                detail="carnet révoqué",
            )
    return carnet


def carnet_open(*, code: str) -> Carnet | None:
    """The active carnet for what a person typed (spaces, hyphens and case forgiven), with
    its `learner` loaded, or None. Records the opening (date, count, audit row without user).
    No rate limit: for the public page, see `carnet_open_attempt`."""
    from .carnet_opening import carnet_find, carnet_opening_record

    normalized = code_normalize(code)
    if normalized is None:
        return None
    carnet = carnet_find(code=normalized)
    return None if carnet is None else carnet_opening_record(carnet=carnet)


def carnet_mark_guide_read(*, carnet: Carnet, guide: GuidePage, read: bool = True) -> bool:
    """Mark (or with `read=False`, unmark) a guide as read by the carnet's person, so the
    carnet stops suggesting it. Returns True when something changed."""
    if not carnet.is_active:
        return False
    if read:
        _row, created = GuideRead.objects.get_or_create(learner_id=carnet.learner_id, guide=guide)
        return created
    deleted, _details = GuideRead.objects.filter(learner_id=carnet.learner_id, guide=guide).delete()
    return bool(deleted)
