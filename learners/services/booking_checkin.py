"""« Présent » on an online sign-up, from the attendance sheet: the sign-up becomes a
person's attendance. The person is the record the counsellor chose (a precise match of
`learners.selectors.session_bookings.booking_learner_match`, a record picked among the
structure's, or one created through the « nouvelle personne » flow): never a blind
duplicate. One transaction: the attendance « présent » (created, or an existing line of
that person updated), `booking.attendance` and `booking.learner`, the person's link to
the structure, their last attendance, the audit row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.choices import AttendanceStatus
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    Attendance,
    Booking,
    BookingStatus,
    Learner,
    LearnerStructure,
    Session,
)
from learners.scoping import can_access_learner, can_access_session

from ._common import refuse
from .activity import structure_links_refresh
from .activity_records import activity_records_touch
from .bookings_audit import booking_check_in_log
from .intake import _create_and_request_link
from .linking import learner_link_with_carnet_code
from .people import learners_attendance_refresh
from .sessions import agenda_bump_for


def booking_check_in(*, user: User, booking: Booking, learner: Learner) -> Attendance:
    """Mark the person of a sign-up present at its session as `learner` (a record the
    user may access: the sign-up's own carnet link, or one the counsellor chose). Done
    again, returns the attendance already made. Refused (French ValidationError) for a
    cancelled session or sign-up, another record than the one already linked, or an
    anonymised record; nothing changes then."""
    session = booking.session
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez noter que les séances de votre structure."))
    carnet_link = booking.learner_id is not None and booking.learner_id == learner.pk
    if not carnet_link and not can_access_learner(user, learner):
        refuse()
    if learner.is_anonymized:
        raise ValidationError(_("Cette fiche a été anonymisée."))
    with transaction.atomic():
        locked_session = Session.objects.select_for_update().get(pk=session.pk)
        if locked_session.is_cancelled:
            raise ValidationError(_("Cette séance est annulée : on n'y note plus de présence."))
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        done = _already_checked_in(locked, learner)
        if done is not None:
            return done
        attendance = _present(user, locked_session, learner)
        if Booking.objects.filter(attendance=attendance).exclude(pk=locked.pk).exists():
            raise ValidationError(
                _("Présence déjà notée pour %(name)s par une autre inscription.")
                % {"name": learner.display_name}
            )
        locked.attendance, locked.learner = attendance, learner
        if locked.status != BookingStatus.CONFIRMED:
            locked.status = BookingStatus.CONFIRMED  # came from the waiting list: they came
        locked.save(update_fields=["attendance", "learner", "status", "updated_at"])
        LearnerStructure.objects.bulk_create(
            [LearnerStructure(learner=learner, structure_id=locked_session.structure_id)],
            ignore_conflicts=True,
        )
        structure_links_refresh(learner_ids=[learner.pk])
        learners_attendance_refresh(learner_ids=[learner.pk], touch=True)
        activity_records_touch(session_ids=[locked_session.pk])
        booking_check_in_log(user=user, booking=locked)
        agenda_bump_for(locked_session)
    booking.attendance, booking.learner, booking.status = attendance, learner, locked.status
    return attendance


def _already_checked_in(booking: Booking, learner: Learner) -> Attendance | None:
    """The attendance of a sign-up already marked present as this person; refuses a
    cancelled sign-up or one linked to someone else."""
    if booking.attendance_id is not None:
        attendance = Attendance.objects.get(pk=booking.attendance_id)
        if attendance.learner_id != learner.pk:
            raise ValidationError(_("Cette inscription est déjà rattachée à une autre personne."))
        return attendance
    if booking.status not in BOOKING_ACTIVE_STATUSES:
        raise ValidationError(_("Cette inscription a été annulée."))
    if booking.learner_id is not None and booking.learner_id != learner.pk:
        raise ValidationError(_("Cette inscription est déjà rattachée à une autre personne."))
    return None


def _present(user: User, session: Session, learner: Learner) -> Attendance:
    attendance = Attendance.objects.filter(session=session, learner=learner).first()
    if attendance is None:
        attendance = Attendance(
            session=session, learner=learner, status=AttendanceStatus.PRESENT, recorded_by=user
        )
        attendance.full_clean(validate_unique=False, validate_constraints=False)
        attendance.save()
    elif attendance.status != AttendanceStatus.PRESENT:
        attendance.status, attendance.recorded_by = AttendanceStatus.PRESENT, user
        attendance.updated_at = timezone.now()
        attendance.save(update_fields=["status", "recorded_by", "updated_at"])
    return attendance


def booking_check_in_new_person(
    *,
    user: User,
    booking: Booking,
    details: Mapping[str, Any],
    linked_ids: Sequence[int] = (),
) -> Attendance:
    """Create the person's record in the session's structure (the « nouvelle personne »
    flow, after the counsellor saw the possible matches; with a link request when they
    asked for one), then mark them present: one transaction, nothing kept if refused."""
    with transaction.atomic():
        learner = _create_and_request_link(
            user=user,
            details=details,
            structure=booking.session.structure,
            linked_ids=linked_ids,
            source="feuille de présence",
        )
        return booking_check_in(user=user, booking=booking, learner=learner)


def booking_check_in_with_code(
    *, user: User, booking: Booking, code: str, candidate_ids: Sequence[int]
) -> Attendance:
    """The person shows their carnet code: link their record (with their consent), then
    mark them present. Any refusal keeps nothing."""
    with transaction.atomic():
        learner = learner_link_with_carnet_code(
            user=user, code=code, candidate_ids=list(candidate_ids)
        )
        return booking_check_in(user=user, booking=booking, learner=learner)
