"""The one rule for joining a person to a structure, used by every path that may find an
existing person: the "nouvelle personne" form, the sheet's quick add, the people and
attendance imports, and the coordination's merge.

- A structure may be shown, with their name, only records it already follows
  (`LearnerStructure`); the coordination sees every record.
- Another structure's record is never opened nor attached on a name match. The matcher
  says only « une personne née en 1953 est déjà suivie par une autre structure du
  réseau », and only for a description precise enough not to enumerate people
  (`identity_is_precise`: first name, birth year, and the last name or the commune). The
  matching itself is a read (`learners.selectors.people.learner_link_match`).
- The person decides: showing their carnet code to the counsellor links the record AND
  records their consent to share it with that structure (`learner_link_with_carnet_code`);
  only the person holds the code. Otherwise the counsellor asks the coordination
  (`learner_link_request`), creating their own record meanwhile; the coordination joins
  the two records with the merge tool, which gives neither structure the other's history.
- A consent can also be recorded by a counsellor with the person present
  (`sharing_consent_record`): dated within the last week, with the carnet code when the
  person holds an active carnet or withdrew that consent from it, and is withdrawn by the
  person from their carnet or on request (`sharing_consent_revoke`). Everything here is
  written to the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.choices import AuditAction
from learners.codes import code_hash, code_normalize
from learners.models import (
    Carnet,
    ConsentMethod,
    Learner,
    LearnerStructure,
    LinkRequest,
    SharingConsent,
    Structure,
)
from learners.roles import counsellor_structure, is_coordinator
from learners.scoping import can_access_learner, scope_structure_id

from ._common import refuse
from .activity import structure_links_refresh
from .audit import audit_log_record


def _link_and_refresh(*, learner: Learner, structure_id: int) -> bool:
    created = not LearnerStructure.objects.filter(
        learner=learner, structure_id=structure_id
    ).exists()
    if created:
        LearnerStructure.objects.bulk_create(
            [LearnerStructure(learner=learner, structure_id=structure_id)],
            ignore_conflicts=True,
        )
        structure_links_refresh(learner_ids=[learner.pk])
    return created


def _consent_give(
    *,
    user: AnyUser,
    learner: Learner,
    structure_id: int,
    method: str,
    given_at: datetime.datetime,
) -> SharingConsent:
    consent = SharingConsent.objects.filter(
        learner=learner, structure_id=structure_id, revoked_at__isnull=True
    ).first()
    if consent is not None:
        return consent
    consent = SharingConsent(
        learner=learner,
        structure_id=structure_id,
        method=method,
        given_at=given_at,
        given_by=user if user.is_authenticated else None,
    )
    consent.full_clean(validate_constraints=False)
    consent.save()
    return consent


def _counsellor_structure_or_refuse(user: AnyUser) -> Structure:
    structure = counsellor_structure(user)
    if structure is None:
        if is_coordinator(user):
            raise ValidationError(_("La coordination voit déjà toutes les fiches."))
        refuse(_("Vous n'avez pas accès au suivi des personnes."))
    return structure


def _carnet_for_code(code: str) -> Carnet | None:
    """The active carnet of a person not erased whose code this is, or None. The one code
    check of every path where the person shows their code to a counsellor."""
    normalized = code_normalize(code)
    if normalized is None:
        return None
    return (
        Carnet.objects.openable()
        .select_related("learner")
        .filter(code_hash=code_hash(normalized))
        .first()
    )


def learner_link_with_carnet_code(
    *, user: AnyUser, code: str, candidate_ids: Container[int] | None = None
) -> Learner:
    """The person shows their carnet code: their record is linked to the counsellor's
    structure and their consent to share it with that structure is recorded, at once.
    With `candidate_ids` (the records the matcher found), the code must belong to one of
    them. A wrong code, a revoked one, or one of someone else: the same refusal."""
    structure = _counsellor_structure_or_refuse(user)
    carnet = _carnet_for_code(code)
    if carnet is None or (candidate_ids is not None and carnet.learner_id not in candidate_ids):
        raise ValidationError(
            _("Ce code ne correspond pas à la personne décrite : vérifiez-le avec elle.")
        )
    learner = carnet.learner
    with transaction.atomic():
        linked = _link_and_refresh(learner=learner, structure_id=structure.pk)
        _consent_give(
            user=user,
            learner=learner,
            structure_id=structure.pk,
            method=ConsentMethod.CARNET_CODE,
            given_at=timezone.now(),
        )
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=learner,
            detail=(
                f"structure {structure.pk} : "
                + ("rattachement et " if linked else "")
                + "accord de partage (code du carnet)"
            ),
        )
    return learner


def learner_link_request(
    *,
    user: AnyUser,
    learner_ids: Iterable[int],
    own_record: Learner | None = None,
    source: str = "formulaire",
) -> list[LinkRequest]:
    """Ask the coordination to check whether the person of `own_record` (the record the
    counsellor's structure creates meanwhile) is one of `learner_ids` (other structures'
    records the matcher found). Nothing is attached nor shown: one request per record,
    written to the audit log of both."""
    scope = scope_structure_id(user)
    if scope is None:
        refuse(_("Vous n'avez pas accès au suivi des personnes."))
    structure_id = own_record.structure_id if own_record is not None else scope
    if structure_id is True or structure_id is None:
        raise ValidationError(_("Indiquez la structure qui demande le rattachement."))
    existing = list(Learner.objects.filter(pk__in=set(learner_ids), anonymized_at__isnull=True))
    requests = [
        LinkRequest(
            learner=learner,
            own_record=own_record,
            structure_id=structure_id,
            requested_by=user if user.is_authenticated else None,
            source=source,
        )
        for learner in existing
        if own_record is None or learner.pk != own_record.pk
    ]
    with transaction.atomic():
        LinkRequest.objects.bulk_create(requests)
        for request in requests:
            audit_log_record(
                user=user,
                action=AuditAction.UPDATE,
                learner=request.learner,
                detail=f"demande de rattachement de la structure {structure_id} ({source})",
            )
    return requests


def link_requests_record_many(
    *, user: AnyUser, pairs: Iterable[tuple[Learner, Iterable[int]]], source: str
) -> int:
    """Imports: one request per (own record, other structure's record ids), in bulk."""
    requests = [
        LinkRequest(
            learner_id=other_id,
            own_record=own,
            structure_id=own.structure_id,
            requested_by=user if user.is_authenticated else None,
            source=source,
        )
        for own, other_ids in pairs
        for other_id in other_ids
        if other_id != own.pk
    ]
    LinkRequest.objects.bulk_create(requests)
    return len(requests)


def link_request_close(*, user: User, request: LinkRequest, outcome: str) -> LinkRequest:
    """The coordination closes a request (`outcome`: "fusionnées", "rattachée",
    "différentes")."""
    if not is_coordinator(user):
        refuse(_("Seule la coordination traite les demandes de rattachement."))
    if request.closed_at is None:
        request.closed_at = timezone.now()
        request.closed_by = user
        request.outcome = outcome[:30]
        request.save(update_fields=["closed_at", "closed_by", "outcome"])
    return request


def link_requests_close_for_merge(*, user: AnyUser, keep: Learner, removed_id: int) -> int:
    """After a merge, the requests between the two records are answered."""
    from django.db.models import Q

    return (
        LinkRequest.objects.filter(closed_at__isnull=True)
        .filter(
            Q(learner=keep, own_record_id=removed_id) | Q(learner_id=removed_id, own_record=keep)
        )
        .update(closed_at=timezone.now(), closed_by=user, outcome="fusionnées")
    )


# An in-person consent is recorded while the person is there, or within days when the
# counsellor writes up a session afterwards: never an agreement dated back to open a whole
# history the person never saw shared.
IN_PERSON_CONSENT_MAX_DAYS = 7


def sharing_consent_record(
    *, user: AnyUser, learner: Learner, given_on: datetime.date | None = None, code: str = ""
) -> SharingConsent:
    """A counsellor records the person's consent, given in person, to share their whole
    record with the counsellor's structure (which must already follow them).

    The person stays in control, since another structure's history is opened by it:
    - the date is today or one of the last `IN_PERSON_CONSENT_MAX_DAYS` days: the consent
      is recorded with the person present, not backdated to any day of the past;
    - when the person holds an active carnet, their code (`code`, which they show) is
      required: the same check as `learner_link_with_carnet_code`, and the consent is then
      recorded as given with the code. Without a carnet (the person may have none) the
      counsellor's word is enough; it is logged, and the carnet lists it as soon as one is
      issued, with its « Retirer mon accord » button;
    - once the person withdrew that structure's consent from their carnet, only their
      code gives it again, whether they hold an active carnet or not.
    Every refusal raises `ValidationError` with `code="carnet_code"` or `"given_on"` (the
    form field it concerns) and writes nothing. The answer tells a structure that follows
    the person whether they hold a carnet; the person is present and can say so anyway."""
    structure = _counsellor_structure_or_refuse(user)
    if not can_access_learner(user, learner) or learner.is_anonymized:
        refuse()
    given_on = _consent_date_check(given_on)
    shown = bool(code.strip())
    _consent_code_check(learner=learner, structure=structure, code=code, shown=shown)
    given_at = timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))
    with transaction.atomic():
        consent = _consent_give(
            user=user,
            learner=learner,
            structure_id=structure.pk,
            method=ConsentMethod.CARNET_CODE if shown else ConsentMethod.IN_PERSON,
            given_at=min(given_at, timezone.now()),
        )
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=learner,
            detail=(
                f"structure {structure.pk} : accord de partage recueilli en personne"
                + (" (code du carnet)" if shown else " (sans carnet)")
            ),
        )
    return consent


def _consent_date_check(given_on: datetime.date | None) -> datetime.date:
    """The consent's date: today by default, never in the future nor backdated beyond
    `IN_PERSON_CONSENT_MAX_DAYS`."""
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise ValidationError(_("Cette date est dans le futur."), code="given_on")
    if given_on < today - datetime.timedelta(days=IN_PERSON_CONSENT_MAX_DAYS):
        raise ValidationError(
            _(
                "L'accord se recueille avec la personne présente : indiquez une date des "
                "%(days)s derniers jours."
            )
            % {"days": IN_PERSON_CONSENT_MAX_DAYS},
            code="given_on",
        )
    return given_on


def _consent_code_check(*, learner: Learner, structure: Structure, code: str, shown: bool) -> None:
    """The carnet code, when shown, must be the person's; it is required when they hold an
    active carnet or withdrew this structure's consent from their carnet."""
    if shown:
        carnet = _carnet_for_code(code)
        if carnet is None or carnet.learner_id != learner.pk:
            raise ValidationError(
                _("Ce code ne correspond pas à cette personne : vérifiez-le avec elle."),
                code="carnet_code",
            )
    elif SharingConsent.objects.filter(
        learner=learner, structure=structure, revoked_from_carnet=True
    ).exists():
        raise ValidationError(
            _(
                "La personne a retiré cet accord depuis son carnet : pour le redonner, "
                "elle doit vous montrer le code de son carnet."
            ),
            code="carnet_code",
        )
    elif Carnet.objects.active().filter(learner=learner).exists():
        raise ValidationError(
            _(
                "Cette personne a un carnet : saisissez le code qu'elle vous montre pour "
                "enregistrer son accord."
            ),
            code="carnet_code",
        )


def sharing_consent_revoke(
    *, consent: SharingConsent, user: AnyUser | None = None, carnet: Carnet | None = None
) -> SharingConsent:
    """Withdraw a consent: by the person from their open carnet (`carnet`), or by a
    counsellor of the structure that holds it, or the coordination (`user`). Idempotent."""
    if carnet is not None:
        if not carnet.is_active or carnet.learner_id != consent.learner_id:
            refuse()
    else:
        scope = scope_structure_id(user)
        if scope is None or (scope is not True and scope != consent.structure_id):
            refuse()
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_from_carnet = carnet is not None
        with transaction.atomic():
            consent.save(update_fields=["revoked_at", "revoked_from_carnet"])
            audit_log_record(
                user=user,
                action=AuditAction.UPDATE,
                learner=consent.learner,
                detail=(
                    f"structure {consent.structure_id} : accord de partage retiré"
                    + (" depuis le carnet" if carnet is not None else "")
                ),
            )
    return consent
