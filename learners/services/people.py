"""People accompanied: creation, update and merge of duplicates. Every write is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from caching import versions
from common.types import AnyUser
from learners.choices import (
    STATUS_RICHNESS,
    AttendanceStatus,
    AuditAction,
    Gender,
    LegalBasis,
    SocialStatus,
)
from learners.models import (
    Attendance,
    Attestation,
    AuditLog,
    Booking,
    BookingStatus,
    CancelledBy,
    Carnet,
    Commune,
    CompetenceSummary,
    GuideRead,
    Learner,
    LearnerStructure,
    LinkRequest,
    Observation,
    SharingConsent,
    Structure,
)
from learners.roles import counsellor_structure, is_coordinator
from learners.scoping import can_access_learner, can_write_structure, holds_record

from ._common import apply_data, refuse
from .activity import structure_links_refresh
from .activity_records import activity_records_touch_for_people
from .audit import audit_log_record
from .bookings import waitlist_promote
from .linking import link_requests_close_for_merge
from .progress import summary_rebuild

REFRESH_CHUNK = 5000

LEARNER_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "birth_year",
        "commune",
        "gender",
        "social_status",
        "phone",
        "email",
        "contact_consent",
        "contact_consent_at",
        "legal_basis",
        "information_given_at",
        "notes",
    }
)


PRIVATE_FIELDS = frozenset({"phone", "email", "contact_consent", "contact_consent_at", "notes"})


def _consent_defaults(learner: Learner) -> None:
    if learner.contact_consent and learner.contact_consent_at is None:
        learner.contact_consent_at = timezone.now()
    if not learner.contact_consent:
        # Withdrawn (or never given) consent: no contact details are kept.
        learner.contact_consent_at = None
        learner.phone = ""
        learner.email = ""


def learner_create(
    *,
    user: AnyUser,
    first_name: str,
    last_name: str = "",
    birth_year: int | None = None,
    commune: Commune | None = None,
    gender: str = Gender.UNKNOWN,
    social_status: str = SocialStatus.UNKNOWN,
    phone: str = "",
    email: str = "",
    contact_consent: bool = False,
    contact_consent_at: datetime.datetime | None = None,
    legal_basis: str = LegalBasis.PUBLIC_INTEREST,
    information_given_at: datetime.date | None = None,
    notes: str = "",
    structure: Structure | None = None,
) -> Learner:
    """Create a person in `structure` (default: the counsellor's own structure; a
    coordinator must name one). Phone and e-mail need `contact_consent`, otherwise a French
    ValidationError names the field. Call `learner_match_candidates` first in the UI.
    """
    if structure is None:
        structure = counsellor_structure(user)
        if structure is None:
            if is_coordinator(user):
                raise ValidationError(
                    {"structure": _("Choisissez la structure qui accompagne la personne.")}
                )
            refuse(_("Vous n'avez pas accès au suivi des personnes."))
    if not can_write_structure(user, structure.pk):
        refuse(_("Vous ne pouvez créer une fiche que pour votre structure."))
    learner = Learner(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_year=birth_year,
        commune=commune,
        gender=gender,
        social_status=social_status,
        phone=phone.strip(),
        email=email.strip(),
        contact_consent=contact_consent,
        contact_consent_at=contact_consent_at,
        legal_basis=legal_basis,
        information_given_at=information_given_at,
        notes=notes.strip(),
        structure=structure,
    )
    if learner.contact_consent and learner.contact_consent_at is None:
        learner.contact_consent_at = timezone.now()
    learner.full_clean()
    with transaction.atomic():
        learner.save()
        LearnerStructure.objects.create(learner=learner, structure=structure)
        audit_log_record(user=user, action=AuditAction.CREATE, learner=learner)
    return learner


def learner_update(*, user: AnyUser, learner: Learner, data: dict) -> Learner:
    """Change some fields (keys of `data`, among LEARNER_FIELDS). Withdrawing the contact
    consent erases phone and e-mail. The audit row lists the changed field names only.
    Contact details and notes are changed only by who holds them (`holds_record`)."""
    if not can_access_learner(user, learner):
        refuse()
    if PRIVATE_FIELDS & set(data) and not holds_record(user, learner):
        refuse(
            _(
                "Les coordonnées et remarques de cette personne sont tenues par une autre "
                "structure : vous ne pouvez pas les modifier sans son accord."
            )
        )
    if learner.is_anonymized:
        refuse(_("Cette fiche a été anonymisée."))
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    changed = apply_data(learner, data, LEARNER_FIELDS)
    if "contact_consent" in changed:
        _consent_defaults(learner)
    elif learner.contact_consent and learner.contact_consent_at is None:
        learner.contact_consent_at = timezone.now()
    learner.full_clean()
    if not changed:
        return learner
    learner.last_activity_at = timezone.now()
    with transaction.atomic():
        learner.save()
        if {"birth_year", "gender"} & set(changed):
            # Counted by age band and gender in the activity records of their sessions.
            activity_records_touch_for_people(learner_ids=[learner.pk])
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=learner,
            detail="champs : " + ", ".join(sorted(changed)),
        )
    return learner


def learners_attendance_refresh(
    *, learner_ids: Iterable[int], touch: bool = False, now: datetime.datetime | None = None
) -> None:
    """Recompute `last_attended_on` (local date of the last session attended, "présent")
    of these people, one UPDATE per 5,000 people; with `touch`, also set `last_activity_at`
    to `now` (default: the current time). Then their structure links' copies."""
    learner_ids = sorted(set(learner_ids))
    if not learner_ids:
        return
    last_day = (
        Attendance.objects.filter(learner_id=OuterRef("pk"), status=AttendanceStatus.PRESENT)
        .order_by("-session__start")
        .annotate(day=TruncDate("session__start"))
        .values("day")[:1]
    )
    values: dict[str, Subquery | datetime.datetime] = {"last_attended_on": Subquery(last_day)}
    if touch:
        values["last_activity_at"] = now or timezone.now()
    for start in range(0, len(learner_ids), REFRESH_CHUNK):
        chunk = learner_ids[start : start + REFRESH_CHUNK]
        Learner.objects.filter(pk__in=chunk).update(**values)
    structure_links_refresh(learner_ids=learner_ids)


def _richer(a: Attendance, b: Attendance) -> Attendance:
    return a if STATUS_RICHNESS[a.status] >= STATUS_RICHNESS[b.status] else b


def learner_merge(*, user: AnyUser, keep: Learner, remove: Learner) -> Learner:
    """Merge the duplicate `remove` into `keep` (coordinators only) and delete `remove`.

    Nothing is lost: attendance moves (for a session both attended, the richer status is
    kept: présent > absent > excusé > inscrit > liste d'attente, and blank details are
    filled from the other), observations and attestations move and `keep`'s summaries are
    rebuilt, carnets and read guides move (if both have an active carnet, `remove`'s is
    revoked), the structures following either record follow the result, `keep`'s blank
    identity fields are filled from `remove`, and the audit history of `remove` is attached
    to `keep`.
    Visibility still follows who recorded what (each observation, attendance and audit
    row keeps its structure), so merging gives no structure the other's history; the
    notes and contact details of `remove` pass only when both records were created by the
    same structure (they are held by it). Sharing consents follow the person; link
    requests between the two records are closed.
    The merge itself is audited on `keep` with `remove`'s network id.
    """
    if not is_coordinator(user):
        refuse(_("Seule la coordination peut fusionner deux fiches."))
    if keep.pk == remove.pk:
        raise ValidationError(_("Choisissez deux fiches différentes."))
    with transaction.atomic():
        # Attendance rows merge in bulk (no signal): the agenda's places may change.
        versions.bump_now_and_on_commit(versions.AGENDA)
        locked = {
            lr.pk: lr
            for lr in Learner.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])
        }
        keep, remove = locked[keep.pk], locked[remove.pk]
        if keep.is_anonymized or remove.is_anonymized:
            raise ValidationError(_("Une fiche anonymisée ne peut pas être fusionnée."))
        moved_attendance, combined_sessions = _merge_attendance(keep=keep, remove=remove)
        combined = len(combined_sessions)
        # The online sign-ups follow the person (their carnet shows them).
        Booking.objects.filter(learner=remove).update(learner=keep)
        moved_observations = Observation.objects.filter(learner=remove).update(learner=keep)
        Attestation.objects.filter(learner=remove).update(learner=keep)
        CompetenceSummary.objects.filter(learner=remove).delete()
        _merge_carnets_and_reads(keep=keep, remove=remove)
        closed_requests = _merge_links(user=user, keep=keep, remove=remove)
        _merge_identity(keep=keep, remove=remove)
        keep.last_activity_at = timezone.now()
        remove_network_id = remove.network_id
        remove.delete()
        keep.full_clean()
        keep.save()
        learners_attendance_refresh(learner_ids=[keep.pk])
        # Every session of either record now counts one person, with `keep`'s band and gender.
        activity_records_touch_for_people(learner_ids=[keep.pk])
        summary_rebuild(learner=keep)
        for session_id in sorted(combined_sessions):
            # Two lines became one: a place may be free for the waiting list.
            waitlist_promote(session_id=session_id)
        audit_log_record(
            user=user,
            action=AuditAction.MERGE,
            learner=keep,
            detail=(
                f"fiche {remove_network_id} fusionnée : {moved_attendance} présences déplacées, "
                f"{combined} combinées, {moved_observations} observations, "
                f"demandes de rattachement traitées : {closed_requests}"
            ),
        )
    return keep


def _merge_attendance(*, keep: Learner, remove: Learner) -> tuple[int, set[int]]:
    """(moved, the sessions where lines were combined): attendance moves, or is combined
    with `keep`'s when both records attended the same session. An online sign-up marked
    present on the line removed points to the kept line instead (unless the kept line
    already has its own sign-up: then the removed one is closed, see `_bookings_repoint`)."""
    kept_by_session = {a.session_id: a for a in Attendance.objects.filter(learner=keep)}
    removed = list(Attendance.objects.filter(learner=remove))
    combined, duplicate_ids = [], []
    for attendance in removed:
        twin = kept_by_session.get(attendance.session_id)
        if twin is None:
            continue
        duplicate_ids.append(attendance.pk)
        richer = _richer(twin, attendance)
        other = attendance if richer is twin else twin
        twin.status = richer.status
        for field in ("equipment", "autonomy", "referred_to"):
            setattr(twin, field, getattr(richer, field) or getattr(other, field))
        combined.append(twin)
    if combined:
        Attendance.objects.bulk_update(combined, ["status", "equipment", "autonomy", "referred_to"])
    _bookings_repoint(duplicate_ids, {twin.session_id: twin.pk for twin in combined})
    Attendance.objects.filter(pk__in=duplicate_ids).delete()
    moved = Attendance.objects.filter(learner=remove).update(learner=keep)
    return moved, {twin.session_id for twin in combined}


def _bookings_repoint(duplicate_ids: list[int], twin_by_session: dict[int, int]) -> None:
    """Before the duplicate lines go: their sign-ups point to the kept line of the same
    session. One sign-up per line: when the kept line has its own, the other is closed
    (cancelled by the system, it was the same person signed up twice) rather than left
    holding a second place without a line."""
    taken = set(
        Booking.objects.filter(attendance_id__in=twin_by_session.values()).values_list(
            "attendance_id", flat=True
        )
    )
    for booking in Booking.objects.filter(attendance_id__in=duplicate_ids):
        twin_id = twin_by_session[booking.session_id]
        if twin_id not in taken:
            Booking.objects.filter(pk=booking.pk).update(attendance_id=twin_id)
            taken.add(twin_id)
        else:
            Booking.objects.filter(pk=booking.pk).update(
                attendance_id=None,
                status=BookingStatus.CANCELLED,
                cancelled_at=timezone.now(),
                cancelled_by=CancelledBy.SYSTEM,
                offered_until=None,
            )


def _merge_carnets_and_reads(*, keep: Learner, remove: Learner) -> None:
    # Carnets: keep at most one active.
    if Carnet.objects.active().filter(learner=keep).exists():
        Carnet.objects.active().filter(learner=remove).update(revoked_at=timezone.now())
    Carnet.objects.filter(learner=remove).update(learner=keep)
    read_by_keep = GuideRead.objects.filter(learner=keep).values("guide_id")
    GuideRead.objects.filter(learner=remove).exclude(guide_id__in=read_by_keep).update(learner=keep)
    GuideRead.objects.filter(learner=remove).delete()


def _merge_links(*, user: AnyUser, keep: Learner, remove: Learner) -> int:
    """Structures following, audit history, consents and link requests pass to `keep`;
    returns the number of link requests closed."""
    linked = LearnerStructure.objects.filter(learner=keep).values("structure_id")
    LearnerStructure.objects.filter(learner=remove).exclude(structure_id__in=linked).update(
        learner=keep
    )
    LearnerStructure.objects.filter(learner=remove).delete()
    AuditLog.objects.filter(learner=remove).update(learner=keep)
    # Consents are the person's: they follow; one active per structure.
    consenting = SharingConsent.objects.filter(learner=keep, revoked_at__isnull=True).values(
        "structure_id"
    )
    SharingConsent.objects.filter(learner=remove, structure_id__in=consenting).filter(
        revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    SharingConsent.objects.filter(learner=remove).update(learner=keep)
    closed_requests = link_requests_close_for_merge(user=user, keep=keep, removed_id=remove.pk)
    LinkRequest.objects.filter(learner=remove).update(learner=keep)
    LinkRequest.objects.filter(own_record=remove).update(own_record=keep)
    return closed_requests


def _merge_identity(*, keep: Learner, remove: Learner) -> None:
    """Fill what `keep` lacks from `remove` (in memory; the caller saves)."""
    for field in ("last_name", "birth_year", "commune_id", "information_given_at"):
        if not getattr(keep, field) and getattr(remove, field):
            setattr(keep, field, getattr(remove, field))
    # Notes and contact details are held by the structure that created the record
    # (`learners.scoping.holds_record`): another structure's never pass to it.
    same_holder = remove.structure_id == keep.structure_id
    if same_holder and remove.notes and remove.notes not in keep.notes:
        keep.notes = "\n".join(filter(None, (keep.notes, remove.notes)))[:500]
    for field, unknown in (("gender", Gender.UNKNOWN), ("social_status", SocialStatus.UNKNOWN)):
        if getattr(keep, field) == unknown:
            setattr(keep, field, getattr(remove, field))
    if same_holder and not keep.contact_consent and remove.contact_consent:
        keep.contact_consent = True
        keep.contact_consent_at = remove.contact_consent_at
        keep.phone, keep.email = remove.phone, remove.email
