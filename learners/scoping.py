"""Row-level access for the tracking app (model: Kolibri's `readable_by_user_filter`).

One place decides what a user may see, and every selector and service goes through it:

- coordinator (or superuser): everything;
- counsellor: the people linked to their structure (`LearnerStructure`: people it created,
  people who came to its sessions, people merged into those) and the sessions it owns;
- partner editor, anonymous or anyone else: nothing (empty querysets, never an exception
  that would say whether a record exists).

Linking is not reading. A link lets a structure recognise and count the person (first and
last name, birth year, commune, gender, social status) and record its own sessions and
observations; it shows that structure only the history it recorded itself: attendances at
its sessions, observations it recorded (`Observation.structure`), audit entries of its
staff (`AuditLog.structure`). The rest of the record (the other structures' history,
self-assessments, contact details and notes) is read only with the person's consent given
to that structure (`SharingConsent`, active while not revoked). The structure that created
the record also holds its contact details, notes and the person's self-assessments
(`holds_record`). See the README's privacy section.

Counsellors may change what they may see; coordinators may change everything.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from common.types import AnyUser
from learners.models import (
    Attendance,
    CompetenceSummary,
    Learner,
    LearnerStructure,
    Observation,
    Session,
    SharingConsent,
    Structure,
)
from learners.roles import user_roles


def scope_structure_id(user: AnyUser | None) -> int | None | bool:
    """True for network-wide access, a structure id for a counsellor, None for nothing."""
    roles = user_roles(user)
    if roles.is_coordinator:
        return True
    if roles.is_counsellor and roles.counsellor is not None:
        return roles.counsellor.structure_id
    return None


def learners_visible(user: AnyUser, *, include_anonymized: bool = False) -> QuerySet[Learner]:
    scope = scope_structure_id(user)
    if scope is None:
        return Learner.objects.none()
    qs = Learner.objects.all()
    if scope is not True:
        qs = qs.filter(structure_links__structure_id=scope)
    if not include_anonymized:
        qs = qs.filter(anonymized_at__isnull=True)
    return qs


def sessions_visible(user: AnyUser) -> QuerySet[Session]:
    scope = scope_structure_id(user)
    if scope is None:
        return Session.objects.none()
    if scope is True:
        return Session.objects.all()
    return Session.objects.filter(structure_id=scope)


def attendances_visible(user: AnyUser) -> QuerySet[Attendance]:
    scope = scope_structure_id(user)
    if scope is None:
        return Attendance.objects.none()
    if scope is True:
        return Attendance.objects.all()
    return Attendance.objects.filter(session__structure_id=scope)


def observations_visible(user: AnyUser) -> QuerySet[Observation]:
    """Observations the user's structure recorded itself (everything for a coordinator).
    A person's page adds, with their consent, the others' (`observations_of_learner`)."""
    scope = scope_structure_id(user)
    if scope is None:
        return Observation.objects.none()
    if scope is True:
        return Observation.objects.all()
    return Observation.objects.filter(structure_id=scope)


def consented_learner_ids(structure_id: int) -> QuerySet:
    """Ids of the people whose active consent this structure holds (a subquery)."""
    return SharingConsent.objects.filter(structure_id=structure_id, revoked_at__isnull=True).values(
        "learner_id"
    )


def has_consent(user: AnyUser, learner: Learner) -> bool:
    """Coordinators read everything; a counsellor's structure with the person's active
    consent reads the whole record."""
    scope = scope_structure_id(user)
    if scope is None or learner.pk is None:
        return False
    if scope is True:
        return True
    return SharingConsent.objects.filter(
        learner_id=learner.pk, structure_id=scope, revoked_at__isnull=True
    ).exists()


def holds_record(user: AnyUser, learner: Learner, *, consent: bool | None = None) -> bool:
    """May `user` read and change the contact details, notes and self-assessments of this
    (visible) person: coordinator, the creating structure, or a structure with consent.
    Pass `consent` when already known, to save a query."""
    scope = scope_structure_id(user)
    if scope is None:
        return False
    if scope is True or learner.structure_id == scope:
        return True
    return has_consent(user, learner) if consent is None else consent


def observations_of_learner(
    user: AnyUser, learner: Learner, *, consent: bool | None = None
) -> QuerySet[Observation]:
    """The observations of one (visible) person the user may read: their structure's own,
    plus self-assessments for the holder of the record, plus everything with consent."""
    scope = scope_structure_id(user)
    qs = Observation.objects.filter(learner_id=learner.pk)
    if scope is None:
        return qs.none()
    if scope is True:
        return qs
    if consent is None:
        consent = has_consent(user, learner)
    if consent:
        return qs
    if learner.structure_id == scope:
        return qs.filter(Q(structure_id=scope) | Q(structure__isnull=True, source="auto"))
    return qs.filter(structure_id=scope)


def attendances_of_learner(
    user: AnyUser, learner: Learner, *, consent: bool | None = None
) -> QuerySet[Attendance]:
    """The attendances of one (visible) person the user may read: at their structure's
    sessions, or all of them with the person's consent."""
    scope = scope_structure_id(user)
    qs = Attendance.objects.filter(learner_id=learner.pk)
    if scope is None:
        return qs.none()
    if scope is True:
        return qs
    if consent is None:
        consent = has_consent(user, learner)
    return qs if consent else qs.filter(session__structure_id=scope)


def summaries_readable_filter(structure_id: int) -> Q:
    """Summaries a structure may read whole: the person consented to it, or every
    observation behind the summary was recorded by this structure."""
    foreign = Observation.objects.filter(
        learner_id=OuterRef("learner_id"), competence_id=OuterRef("competence_id")
    ).exclude(structure_id=structure_id)
    # Q | Exists is a Q at run time (Q._combine takes any conditional expression); the stubs
    # only type Q | Q, so mypy falls back to Exists.__ror__ (Combinable).
    readable = Q(learner_id__in=consented_learner_ids(structure_id)) | ~Exists(foreign)
    return readable  # type: ignore[return-value]


def summaries_visible(user: AnyUser) -> QuerySet[CompetenceSummary]:
    """Competence summaries of the people the user may see, for a counsellor only those
    it may read whole (`summaries_readable_filter`)."""
    scope = scope_structure_id(user)
    if scope is None:
        return CompetenceSummary.objects.none()
    if scope is True:
        return CompetenceSummary.objects.all()
    return CompetenceSummary.objects.filter(
        summaries_readable_filter(scope), learner__structure_links__structure_id=scope
    )


def structures_choosable(user: AnyUser) -> QuerySet[Structure]:
    """The structures a form lets the user choose for what they create (a session, an
    import's default structure): every one, by name, for the coordination; none for
    anyone else, whose records always go to their own structure."""
    if scope_structure_id(user) is True:
        return Structure.objects.order_by("name")
    return Structure.objects.none()


def can_access_learner(user: AnyUser, learner: Learner) -> bool:
    """May `user` see the person's identity and record its own sessions and observations
    on them (one query for a counsellor). Not their history: see the module docstring."""
    scope = scope_structure_id(user)
    if scope is None or learner.pk is None:
        return False
    if scope is True:
        return True
    return LearnerStructure.objects.filter(learner_id=learner.pk, structure_id=scope).exists()


def can_access_session(user: AnyUser, session: Session) -> bool:
    scope = scope_structure_id(user)
    if scope is None:
        return False
    return scope is True or session.structure_id == scope


def can_write_structure(user: AnyUser, structure_id: int | None) -> bool:
    """May `user` create sessions, people or venues for this structure."""
    scope = scope_structure_id(user)
    if scope is None or structure_id is None:
        return False
    return scope is True or scope == structure_id
