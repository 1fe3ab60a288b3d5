"""Sessions, registration and the attendance sheet."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caching import versions
from common.types import AnyUser
from learners.choices import (
    SEAT_TAKING_STATUSES,
    AttendanceStatus,
    AuditAction,
    Autonomy,
    Equipment,
    ObservationSource,
    PlaceType,
    SessionKind,
)
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    AnonymousParticipants,
    Attendance,
    Booking,
    BookingStatus,
    CancelledBy,
    Counsellor,
    Learner,
    LearnerStructure,
    Observation,
    Session,
    SessionSeries,
    Structure,
    Venue,
)
from learners.roles import counsellor_profile, counsellor_structure, is_coordinator
from learners.scoping import can_access_learner, can_access_session, learners_visible
from learners.selectors.places import booking_seats_count, seats_taken_count
from workshops.models import AtelierPage, Audience, Competence, Level, Theme

from ._common import apply_data, refuse
from .activity import structure_links_refresh
from .activity_records import activity_records_touch
from .audit import audit_log_record, audit_log_record_many
from .bookings import booking_cancel, waitlist_promote
from .people import learners_attendance_refresh
from .progress import summaries_refresh

SESSION_FIELDS = frozenset(
    {
        "kind",
        "title",
        "atelier",
        "place_type",
        "venue",
        "start",
        "duration_minutes",
        "capacity",
        "level",
        "is_published",
        "waitlist_capacity",
        "what_to_bring",
        "accessibility_note",
    }
)
SESSION_M2M = ("counsellors", "themes", "competences", "audiences")


def publication_default(kind: str, place_type: str = PlaceType.VENUE) -> bool:
    """Ateliers, temps d'échange and permanences in a venue are offered in the public
    agenda unless the counsellor says otherwise; an individual appointment never is, nor
    a session at home or remote."""
    return kind != SessionKind.INDIVIDUAL and place_type == PlaceType.VENUE


def _publication_check(session: Session) -> None:
    """The rules of the public agenda, whatever form or import set the fields: an
    individual appointment is never published (it names one person's slot), and a
    published session needs a venue the public can find."""
    if not session.is_published:
        return
    if session.kind == SessionKind.INDIVIDUAL:
        raise ValidationError(
            {
                "is_published": _(
                    "Un rendez-vous individuel n'est jamais publié dans l'agenda : "
                    "décochez « publiée dans l'agenda »."
                )
            }
        )
    if session.place_type != PlaceType.VENUE:
        raise ValidationError(
            {
                "is_published": _(
                    "Seule une séance dans un lieu d'activité peut être publiée dans l'agenda : "
                    "choisissez le lieu, ou décochez « publiée dans l'agenda »."
                )
            }
        )


def agenda_bump_for(*sessions: Session) -> None:
    """What the public agenda shows changed if any of these sessions is published (before
    or after the change: pass both states)."""
    if any(s.is_published for s in sessions):
        versions.bump_now_and_on_commit(versions.AGENDA)


def _full_message(capacity: int) -> str:
    return ngettext(
        "Cette séance est complète : sa %(capacity)d place est déjà prise. Inscrivez la "
        "personne sur la liste d'attente ou proposez-lui une autre séance.",
        "Cette séance est complète : ses %(capacity)d places sont déjà prises. Inscrivez la "
        "personne sur la liste d'attente ou proposez-lui une autre séance.",
        capacity,
    ) % {"capacity": capacity}


def _refuse_if_cancelled(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(
            _(
                "Cette séance est annulée : on n'y inscrit plus personne et on n'y note plus "
                "de présence."
            )
        )


def session_create(
    *,
    user: User,
    start: datetime.datetime,
    kind: str | None = None,
    structure: Structure | None = None,
    atelier: AtelierPage | None = None,
    duration_minutes: int | None = None,
    place_type: str = PlaceType.VENUE,
    venue: Venue | None = None,
    counsellors: Iterable[Counsellor] | None = None,
    themes: Iterable[Theme] | None = None,
    competences: Iterable[Competence] | None = None,
    capacity: int | None = None,
    level: str | None = None,
    title: str = "",
    anonymous_counts: Mapping[tuple[str, str], int] | None = None,
    public: Mapping[str, Any] | None = None,
    audiences: Iterable[Audience] | None = None,
    series: SessionSeries | None = None,
) -> Session:
    """Schedule a session. From an atelier curriculum, what is not given is pre-filled:
    kind "atelier", title, duration, level, capacity (its maximum group size), themes and
    competences. `structure` defaults to the counsellor's; `counsellors` to the user's own
    counsellor profile. `anonymous_counts`, if given, are set in the same transaction
    (`session_anonymous_participants_set`). `public` may set the agenda fields
    (`is_published`, default `publication_default(kind)`; `waitlist_capacity`,
    `what_to_bring`, `accessibility_note`); an individual appointment is never
    published."""
    structure = _creation_structure(user, structure)
    values = _SessionValues(
        kind or "", title, duration_minutes, level, capacity, themes, competences
    )
    if atelier is not None:
        atelier = atelier.specific
        values = _filled_from_atelier(values, atelier)
    if not values.kind:
        raise ValidationError({"kind": _("Choisissez le type de séance.")})
    if counsellors is None:
        counsellors = [profile] if (profile := counsellor_profile(user)) is not None else []
    session = Session(
        kind=values.kind,
        title=values.title.strip(),
        atelier=atelier,
        structure=structure,
        place_type=place_type,
        venue=venue,
        start=start,
        duration_minutes=values.duration_minutes or 60,
        capacity=values.capacity,
        level=values.level or "",
        series=series,
        created_by=user,
    )
    apply_data(session, _public_values(values.kind, place_type, public), PUBLIC_FIELDS)
    session.full_clean()
    _publication_check(session)
    with transaction.atomic():
        session.save()
        session.counsellors.set(list(counsellors))
        session.themes.set(list(values.themes or []))
        session.competences.set(list(values.competences or []))
        session.audiences.set(list(audiences or []))
        agenda_bump_for(session)
        if anonymous_counts is not None:
            session_anonymous_participants_set(user=user, session=session, counts=anonymous_counts)
    return session


PUBLIC_FIELDS = frozenset(
    {"is_published", "waitlist_capacity", "what_to_bring", "accessibility_note"}
)


def _public_values(kind: str, place_type: str, public: Mapping[str, Any] | None) -> dict[str, Any]:
    """The agenda fields of a new session: those given, the publication by default."""
    values = dict(public or {})
    if values.get("is_published") is None:
        values["is_published"] = publication_default(kind, place_type)
    for name in ("what_to_bring", "accessibility_note"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if values.get("waitlist_capacity") is None:
        values.pop("waitlist_capacity", None)
    return values


def _creation_structure(user: AnyUser, structure: Structure | None) -> Structure:
    """The structure a new session belongs to: the one given (a counsellor's own only),
    else the counsellor's; a coordinator must choose one."""
    if structure is None:
        structure = counsellor_structure(user)
        if structure is None:
            if is_coordinator(user):
                raise ValidationError({"structure": _("Choisissez la structure de la séance.")})
            refuse(_("Vous n'avez pas accès au suivi des séances."))
    elif not is_coordinator(user) and structure.pk != getattr(
        counsellor_structure(user), "pk", None
    ):
        refuse(_("Vous ne pouvez créer une séance que pour votre structure."))
    return structure


@dataclass(frozen=True)
class _SessionValues:
    """What a curriculum may fill in on a new session (None: not given)."""

    kind: str
    title: str
    duration_minutes: int | None
    level: str | None
    capacity: int | None
    themes: Iterable[Theme] | None
    competences: Iterable[Competence] | None


def _filled_from_atelier(values: _SessionValues, atelier: AtelierPage) -> _SessionValues:
    """`values` with what was not given taken from the curriculum."""
    return _SessionValues(
        kind=values.kind or SessionKind.WORKSHOP,
        title=values.title or atelier.title,
        duration_minutes=values.duration_minutes or atelier.duration_minutes,
        level=atelier.level if values.level is None else values.level,
        capacity=atelier.group_size_max if values.capacity is None else values.capacity,
        themes=list(atelier.themes.all()) if values.themes is None else values.themes,
        competences=(
            list(atelier.competences.all()) if values.competences is None else values.competences
        ),
    )


def session_update(
    *,
    user: AnyUser,
    session: Session,
    data: Mapping,
    anonymous_counts: Mapping[tuple[str, str], int] | None = None,
) -> Session:
    """Change fields (SESSION_FIELDS) and/or the sets `counsellors`, `themes`, `competences`,
    `audiences`. A capacity below the places already taken is refused; so is a new date
    or venue while people signed up online (`session_move` tells them); a cancelled
    session is no longer changed. `anonymous_counts`, if given, are set in the same
    transaction (`session_anonymous_participants_set`)."""
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez modifier que les séances de votre structure."))
    if session.is_cancelled:
        raise ValidationError(_("Cette séance est annulée : elle ne se modifie plus."))
    data = _stripped(data)
    m2m = {name: data.pop(name) for name in SESSION_M2M if name in data}
    previous_start, previous_venue = session.start, session.venue_id
    was_published = session.is_published
    apply_data(session, data, SESSION_FIELDS)
    session.full_clean()
    _publication_check(session)
    moved = session.start != previous_start or session.venue_id != previous_venue
    with transaction.atomic():
        if moved and Booking.objects.filter(session_id=session.pk).live().exists():
            raise ValidationError(
                {
                    "start": _(
                        "Des personnes sont inscrites en ligne : pour changer la date ou le "
                        "lieu, utilisez « Déplacer la séance », qui les prévient."
                    )
                }
            )
        _capacity_check(session)
        session.save()
        for name, values in m2m.items():
            getattr(session, name).set(list(values))
        if session.start != previous_start:
            # Moved: the last attendance date of the people present may change.
            present = session.attendances.filter(status=AttendanceStatus.PRESENT)
            learners_attendance_refresh(learner_ids=present.values_list("learner_id", flat=True))
        if anonymous_counts is not None:
            session_anonymous_participants_set(user=user, session=session, counts=anonymous_counts)
        if was_published or session.is_published:
            versions.bump_now_and_on_commit(versions.AGENDA)
        # More places (or none limited any more): the waiting list moves up first.
        waitlist_promote(session_id=session.pk)
    return session


def _stripped(data: Mapping) -> dict:
    data = dict(data)
    for name in ("title", "what_to_bring", "accessibility_note"):
        if name in data:
            data[name] = (data[name] or "").strip()
    return data


def _capacity_check(session: Session) -> None:
    """A capacity below the places already taken is refused (French, on `capacity`)."""
    if session.capacity is None:
        return
    taken = seats_taken_count(session.pk)
    if taken > session.capacity:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(taken)d personne est déjà inscrite : prévoyez au moins %(taken)d place.",
                    "%(taken)d personnes sont déjà inscrites : prévoyez au moins %(taken)d places.",
                    taken,
                )
                % {"taken": taken}
            }
        )


def session_anonymous_participants_set(
    *, user: AnyUser, session: Session, counts: Mapping[tuple[str, str], int]
) -> list[AnonymousParticipants]:
    """Replace the counts of unregistered participants: {(age_band, gender): count}."""
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez modifier que les séances de votre structure."))
    rows = []
    for (age_band, gender), count in counts.items():
        if not count:
            continue
        row = AnonymousParticipants(session=session, age_band=age_band, gender=gender, count=count)
        row.full_clean(exclude=["session"], validate_unique=False, validate_constraints=False)
        rows.append(row)
    with transaction.atomic():
        session.anonymous_participants.all().delete()
        created = AnonymousParticipants.objects.bulk_create(rows)
        activity_records_touch(session_ids=[session.pk])
        return created


def attendance_register(
    *,
    user: User,
    session: Session,
    learner: Learner,
    waitlist: bool = False,
) -> Attendance:
    """Register a person for a session. When every place is taken, refuses with a French
    ValidationError, or puts the person on the waiting list if `waitlist` is true.
    Registering again returns the existing attendance (a waiting-list entry moves up if a
    place is free)."""
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez inscrire des personnes qu'aux séances de votre structure."))
    if not can_access_learner(user, learner):
        refuse()
    if learner.is_anonymized:
        refuse(_("Cette fiche a été anonymisée."))
    with transaction.atomic():
        # Lock the session row: two counsellors cannot both take the last place.
        locked = Session.objects.select_for_update().get(pk=session.pk)
        _refuse_if_cancelled(locked)
        existing = Attendance.objects.filter(session=locked, learner=learner).first()
        if existing is not None and existing.status != AttendanceStatus.WAITING:
            return existing
        taken = seats_taken_count(locked.pk)
        full = locked.capacity is not None and taken >= locked.capacity
        if full and not waitlist:
            assert locked.capacity is not None  # full implies a capacity
            raise ValidationError(_full_message(locked.capacity))
        status = AttendanceStatus.WAITING if full else AttendanceStatus.REGISTERED
        if existing is not None:
            if existing.status != status:
                existing.status = status
                existing.recorded_by = user
                existing.save(update_fields=["status", "recorded_by", "updated_at"])
            attendance = existing
        else:
            attendance = Attendance(
                session=locked, learner=learner, status=status, recorded_by=user
            )
            attendance.full_clean(validate_unique=False, validate_constraints=False)
            attendance.save()
        LearnerStructure.objects.bulk_create(
            [LearnerStructure(learner=learner, structure_id=locked.structure_id)],
            ignore_conflicts=True,
        )
        structure_links_refresh(learner_ids=[learner.pk])
        Learner.objects.filter(pk=learner.pk).update(last_activity_at=timezone.now())
        activity_records_touch(session_ids=[locked.pk])
        audit_log_record(
            user=user,
            action=AuditAction.CREATE if existing is None else AuditAction.UPDATE,
            learner=learner,
            detail=f"inscription séance {locked.pk} ({status})",
        )
        agenda_bump_for(locked)
    return attendance


def attendance_remove(*, user: AnyUser, session: Session, learner: Learner) -> None:
    """Take a person off a session's sheet (registered by mistake, or no longer coming to
    a session that has not taken place): the attendance line is deleted, the person's
    last attendance and the seat are freed, and the removal is audited. Refused with a
    French ValidationError when levels were recorded for the person in this session:
    observations are never deleted, so such a person is marked absent instead."""
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez modifier que les séances de votre structure."))
    if not can_access_learner(user, learner):
        refuse()
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        attendance = Attendance.objects.filter(session=locked, learner=learner).first()
        if attendance is None:
            raise ValidationError(
                _("%(name)s n'est pas sur la feuille de cette séance.")
                % {"name": learner.display_name}
            )
        if Observation.objects.filter(session=locked, learner=learner).exists():
            raise ValidationError(
                _(
                    "Des niveaux ont été notés pour %(name)s pendant cette séance : la ligne "
                    "ne peut plus être retirée. Si la personne n'est pas venue, marquez-la "
                    "absente."
                )
                % {"name": learner.display_name}
            )
        status = attendance.status
        booking = Booking.objects.filter(attendance=attendance).first()
        attendance.delete()  # the sign-up's link to it is set to NULL
        if booking is not None:
            _checked_in_booking_withdraw(booking, locked)
        waitlist_promote(session_id=locked.pk)
        learners_attendance_refresh(learner_ids=[learner.pk])
        activity_records_touch(session_ids=[locked.pk])
        audit_log_record(
            user=user,
            action=AuditAction.DELETE,
            learner=learner,
            detail=f"retrait de la séance {locked.pk} ({status})",
        )
        agenda_bump_for(locked)


def _checked_in_booking_withdraw(booking: Booking, session: Session) -> None:
    """The person of an online sign-up marked present is taken off the sheet: the sign-up
    is cancelled by the structure (it does not come back holding a place the counsellor
    just freed). Before the session the person is told (`booking_cancel`, notice
    « désinscription »); after it, the sign-up is only closed, without a message."""
    booking.attendance_id = None
    if session.start > timezone.now():
        booking_cancel(booking=booking, by=CancelledBy.STRUCTURE)
        return
    Booking.objects.filter(pk=booking.pk, status__in=BOOKING_ACTIVE_STATUSES).update(
        status=BookingStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancelled_by=CancelledBy.STRUCTURE,
        offered_until=None,
        updated_at=timezone.now(),
    )


@dataclass
class SheetRow:
    """One line of an attendance sheet as the counsellor filled it.

    `levels` maps a competence id (one of the session's competences) to a level id of its
    framework; leave a competence out (or None) to record nothing for it. Levels are only
    accepted for people marked present.
    """

    learner_id: int
    status: str = AttendanceStatus.PRESENT
    equipment: str = ""
    autonomy: str = ""
    referred_to: str = ""
    levels: dict[int, int | None] = field(default_factory=dict)


@dataclass
class SheetSaveResult:
    created: int
    updated: int
    observations: int


def _coerce_row(row: SheetRow | Mapping) -> SheetRow:
    if isinstance(row, SheetRow):
        return row
    return SheetRow(**row)


def attendance_sheet_save(
    *, user: User, session: Session, rows: Iterable[SheetRow | Mapping]
) -> SheetSaveResult:
    """Save a whole attendance sheet in one transaction and a bounded number of queries
    (it does not grow with the number of rows): statuses, equipment, autonomy, referral,
    and the levels observed on the session's competences (new observations dated on the
    session day, skipped when the same level was already recorded for this session), the
    summaries, the people's last attendance, and one audit row per person.

    Rows may be `SheetRow`s or dicts with the same keys. People not in `rows` are left as
    they are. A new "inscrit" row beyond the capacity is refused; people marked present
    always are recorded (they came). Errors are French ValidationErrors naming the row.
    """
    if not can_access_session(user, session):
        refuse(_("Vous ne pouvez saisir que les séances de votre structure."))
    sheet = [_coerce_row(row) for row in rows]
    if not sheet:
        return SheetSaveResult(created=0, updated=0, observations=0)
    learner_ids = [row.learner_id for row in sheet]
    if len(set(learner_ids)) != len(learner_ids):
        raise ValidationError(_("Une même personne apparaît deux fois sur la feuille."))
    _sheet_rows_check(session, sheet)

    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        _refuse_if_cancelled(session)
        learners = _sheet_learners(user, sheet)
        existing = {a.learner_id: a for a in session.attendances.all()}
        _sheet_capacity_check(session, sheet, existing)
        created, updated = _sheet_attendances_write(user, session, sheet, existing)
        observations = _sheet_observations_write(user, session, sheet)
        waitlist_promote(session_id=session.pk)  # a line no longer « inscrit » frees a place
        learners_attendance_refresh(learner_ids=learner_ids, touch=True)
        activity_records_touch(session_ids=[session.pk])
        audit_log_record_many(
            user=user,
            action=AuditAction.UPDATE,
            learners=[learners[learner_id] for learner_id in learner_ids],
            detail=f"feuille de présence séance {session.pk}",
        )
        agenda_bump_for(session)
    return SheetSaveResult(created=created, updated=updated, observations=observations)


def _sheet_rows_check(session: Session, rows: list[SheetRow]) -> None:
    """Refuse the first row with an unknown value or a level that does not fit (a French
    ValidationError naming the row). Two queries, whatever the number of rows."""
    competence_framework = dict(session.competences.values_list("id", "framework_id"))
    level_ids = {lv for row in rows for lv in row.levels.values() if lv is not None}
    levels = {lv.pk: lv for lv in Level.objects.filter(pk__in=level_ids)}
    for index, row in enumerate(rows, start=1):
        errors = _sheet_row_errors(row, competence_framework, levels)
        if errors:
            raise ValidationError(
                _("Ligne %(row)d : %(errors)s.") % {"row": index, "errors": ", ".join(errors)}
            )


def _sheet_row_errors(
    row: SheetRow, competence_framework: dict[int, int], levels: dict[int, Level]
) -> list[str]:
    errors = []
    if row.status not in AttendanceStatus.values:
        errors.append(_("présence inconnue"))
    if row.equipment and row.equipment not in Equipment.values:
        errors.append(_("matériel inconnu"))
    if row.autonomy and row.autonomy not in Autonomy.values:
        errors.append(_("autonomie inconnue"))
    if len(row.referred_to) > 200:
        errors.append(_("orientation trop longue (200 caractères au plus)"))
    recorded = {c: lv for c, lv in row.levels.items() if lv is not None}
    if recorded and row.status != AttendanceStatus.PRESENT:
        errors.append(_("un niveau ne se note que pour une personne présente"))
    for competence_id, level_id in recorded.items():
        if competence_id not in competence_framework:
            errors.append(_("compétence non travaillée dans cette séance"))
        elif level_id not in levels:
            errors.append(_("niveau inconnu"))
        elif levels[level_id].framework_id != competence_framework[competence_id]:
            errors.append(_("niveau d'un autre référentiel que la compétence"))
    return errors


def _sheet_learners(user: AnyUser, rows: list[SheetRow]) -> dict[int, Learner]:
    """The rows' people, {id: Learner}; a person out of scope or anonymised refuses the
    row (the same words as a missing one)."""
    learners = {
        lr.pk: lr
        for lr in learners_visible(user, include_anonymized=True).filter(
            pk__in=[row.learner_id for row in rows]
        )
    }
    for index, row in enumerate(rows, start=1):
        learner = learners.get(row.learner_id)
        if learner is None or learner.is_anonymized:
            raise ValidationError(_("Ligne %(row)d : personne introuvable.") % {"row": index})
    return learners


def _sheet_capacity_check(
    session: Session, rows: list[SheetRow], existing: dict[int, Attendance]
) -> None:
    """A new "inscrit" beyond the capacity is refused; people marked present always are
    recorded (they came). The places held by online sign-ups count too (one rule:
    `learners.selectors.places`)."""
    if session.capacity is None:
        return
    by_row = {row.learner_id: row.status for row in rows}
    taken = (
        booking_seats_count(session.pk)
        + sum(
            1
            for learner_id, a in existing.items()
            if by_row.get(learner_id, a.status) in SEAT_TAKING_STATUSES
        )
        + sum(
            1
            for row in rows
            if row.learner_id not in existing and row.status in SEAT_TAKING_STATUSES
        )
    )
    newly_registered = [
        row
        for row in rows
        if row.status == AttendanceStatus.REGISTERED
        and getattr(existing.get(row.learner_id), "status", None) not in SEAT_TAKING_STATUSES
    ]
    if newly_registered and taken > session.capacity:
        raise ValidationError(_full_message(session.capacity))


def _sheet_attendances_write(
    user: User, session: Session, rows: list[SheetRow], existing: dict[int, Attendance]
) -> tuple[int, int]:
    """New and changed lines in one upsert on (learner, session): far less work than an
    UPDATE of CASE clauses. A changed line replaces the fields below; the row keeps its id
    and creation date. Returns (created, updated)."""
    created = updated = 0
    to_write = []
    for row in rows:
        attendance = existing.get(row.learner_id)
        values = {
            "status": row.status,
            "equipment": row.equipment,
            "autonomy": row.autonomy,
            "referred_to": row.referred_to.strip(),
        }
        if attendance is None:
            created += 1
        elif any(getattr(attendance, k) != v for k, v in values.items()):
            updated += 1
        else:
            continue
        to_write.append(
            Attendance(session=session, learner_id=row.learner_id, recorded_by=user, **values)
        )
    Attendance.objects.bulk_create(
        to_write,
        update_conflicts=True,
        unique_fields=["learner", "session"],
        update_fields=[
            "status",
            "equipment",
            "autonomy",
            "referred_to",
            "recorded_by",
            "updated_at",
        ],
    )
    LearnerStructure.objects.bulk_create(
        [
            LearnerStructure(learner_id=row.learner_id, structure_id=session.structure_id)
            for row in rows
        ],
        ignore_conflicts=True,
    )
    return created, updated


def _sheet_observations_write(user: User, session: Session, rows: list[SheetRow]) -> int:
    """Levels: append an observation unless this session already has the same level, then
    refresh the summaries (structure links once, with the attendance dates just after).
    Returns the number of observations recorded."""
    latest_here: dict[tuple[int, int], int] = {}
    for learner_id, competence_id, level_id in (
        Observation.objects.filter(session=session, learner_id__in=[row.learner_id for row in rows])
        .order_by("id")
        .values_list("learner_id", "competence_id", "level_id")
    ):
        latest_here[(learner_id, competence_id)] = level_id
    observed_on = session.local_date
    observations = [
        Observation(
            learner_id=row.learner_id,
            competence_id=competence_id,
            level_id=level_id,
            source=ObservationSource.COUNSELLOR,
            session=session,
            structure_id=session.structure_id,
            observed_on=observed_on,
            author=user,
        )
        for row in rows
        for competence_id, level_id in row.levels.items()
        if level_id is not None and latest_here.get((row.learner_id, competence_id)) != level_id
    ]
    Observation.objects.bulk_create(observations)
    summaries_refresh(pairs={(o.learner_id, o.competence_id) for o in observations}, links=False)
    return len(observations)
