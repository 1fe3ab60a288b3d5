"""Row-level access for the tracking app (model: Kolibri's `readable_by_user_filter`).

One place decides what a user may see, and every selector and service goes through it:

- coordinator (or superuser): everything;
- counsellor: the people linked to their structure (`LearnerStructure`: people it created,
  people who came to its sessions, people merged into those) and the sessions it owns;
- partner editor, anonymous or anyone else: nothing (empty querysets, never an exception
  that would say whether a record exists).

Counsellors may change what they may see; coordinators may change everything.
"""

from __future__ import annotations

from django.db.models import QuerySet

from learners.models import (
    Attendance,
    CompetenceSummary,
    Learner,
    LearnerStructure,
    Observation,
    Session,
    Venue,
)
from learners.roles import user_roles


def scope_structure_id(user) -> int | None | bool:
    """True for network-wide access, a structure id for a counsellor, None for nothing."""
    roles = user_roles(user)
    if roles.is_coordinator:
        return True
    if roles.is_counsellor:
        return roles.counsellor.structure_id
    return None


def learners_visible(user, *, include_anonymized: bool = False) -> QuerySet[Learner]:
    scope = scope_structure_id(user)
    if scope is None:
        return Learner.objects.none()
    qs = Learner.objects.all()
    if scope is not True:
        qs = qs.filter(structure_links__structure_id=scope)
    if not include_anonymized:
        qs = qs.filter(anonymized_at__isnull=True)
    return qs


def sessions_visible(user) -> QuerySet[Session]:
    scope = scope_structure_id(user)
    if scope is None:
        return Session.objects.none()
    if scope is True:
        return Session.objects.all()
    return Session.objects.filter(structure_id=scope)


def attendances_visible(user) -> QuerySet[Attendance]:
    scope = scope_structure_id(user)
    if scope is None:
        return Attendance.objects.none()
    if scope is True:
        return Attendance.objects.all()
    return Attendance.objects.filter(session__structure_id=scope)


def observations_visible(user) -> QuerySet[Observation]:
    """Observations of the people the user may see (all of them, whoever recorded them)."""
    scope = scope_structure_id(user)
    if scope is None:
        return Observation.objects.none()
    if scope is True:
        return Observation.objects.all()
    return Observation.objects.filter(learner__structure_links__structure_id=scope)


def summaries_visible(user) -> QuerySet[CompetenceSummary]:
    scope = scope_structure_id(user)
    if scope is None:
        return CompetenceSummary.objects.none()
    if scope is True:
        return CompetenceSummary.objects.all()
    return CompetenceSummary.objects.filter(learner__structure_links__structure_id=scope)


def venues_visible(user) -> QuerySet[Venue]:
    """Venues are public facts: every counsellor and coordinator may pick any of them."""
    if scope_structure_id(user) is None:
        return Venue.objects.none()
    return Venue.objects.all()


def can_access_learner(user, learner: Learner) -> bool:
    """May `user` see and change this person's record (one query for a counsellor)."""
    scope = scope_structure_id(user)
    if scope is None or learner.pk is None:
        return False
    if scope is True:
        return True
    return LearnerStructure.objects.filter(learner_id=learner.pk, structure_id=scope).exists()


def can_access_session(user, session: Session) -> bool:
    scope = scope_structure_id(user)
    if scope is None:
        return False
    return scope is True or session.structure_id == scope


def can_write_structure(user, structure_id: int | None) -> bool:
    """May `user` create sessions, people or venues for this structure."""
    scope = scope_structure_id(user)
    if scope is None or structure_id is None:
        return False
    return scope is True or scope == structure_id
