"""The structure's side of appointment requests: a counsellor marks one « traitée » once
they called or wrote back."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.choices import AuditAction
from learners.models import AppointmentRequest, AppointmentRequestStatus
from learners.scoping import can_write_structure

from ._common import refuse
from .audit import audit_log_record


def appointment_request_handle(*, user: User, request: AppointmentRequest) -> AppointmentRequest:
    """Mark a new request handled (by `user`, now). Refused for another structure's venue
    or a request no longer new."""
    if not can_write_structure(user, request.venue.structure_id):
        refuse(_("Cette demande concerne un lieu d'une autre structure."))
    with transaction.atomic():
        locked = AppointmentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != AppointmentRequestStatus.NEW:
            raise ValidationError(_("Cette demande a déjà été traitée ou annulée."))
        locked.status = AppointmentRequestStatus.HANDLED
        locked.handled_at = timezone.now()
        locked.handled_by = user
        locked.save(update_fields=["status", "handled_at", "handled_by"])
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=None,
            detail=f"demande de rendez-vous {locked.pk} traitée",
        )
    return locked
