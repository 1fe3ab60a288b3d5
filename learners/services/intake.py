"""Bringing a person in, in one transaction each: create their record (and ask the
coordination to link it to another structure's record of the same person), register
them to a session. The admin views call one of these and open no transaction themselves:
when the registration is refused, the record created just before is not kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from learners.models import Attendance, Learner, Session, Structure

from .linking import learner_link_request, learner_link_with_carnet_code
from .people import learner_create
from .sessions import attendance_register


class RegistrationRefused(Exception):
    """The session refused the person (it is full and the waiting list was not asked
    for): nothing was saved. `message` is the French refusal to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Registration:
    learner: Learner
    attendance: Attendance


def learner_create_with_link_request(
    *,
    user: User,
    details: Mapping[str, Any],
    structure: Structure | None = None,
    linked_ids: Sequence[int] = (),
    source: str = "formulaire",
) -> Learner:
    """Create a person (`details`: `learner_create`'s keyword arguments) and, when
    `linked_ids` names other structures' records the matcher found, ask the coordination
    whether they are the same person (`learner_link_request`)."""
    with transaction.atomic():
        return _create_and_request_link(
            user=user, details=details, structure=structure, linked_ids=linked_ids, source=source
        )


def _create_and_request_link(
    *,
    user: User,
    details: Mapping[str, Any],
    structure: Structure | None,
    linked_ids: Sequence[int],
    source: str,
) -> Learner:
    # Inside the caller's transaction (no savepoint of its own).
    learner = learner_create(user=user, structure=structure, **details)
    if linked_ids:
        learner_link_request(
            user=user, learner_ids=list(linked_ids), own_record=learner, source=source
        )
    return learner


def learner_create_and_register(
    *,
    user: User,
    session: Session,
    details: Mapping[str, Any],
    waitlist: bool = False,
    linked_ids: Sequence[int] = (),
) -> Registration:
    """Create a person in the session's structure (with a link request as
    `learner_create_with_link_request`) and register them (`attendance_register`).
    A full session raises `RegistrationRefused` and keeps nothing; a bad record raises
    `learner_create`'s ValidationError."""
    with transaction.atomic():
        learner = _create_and_request_link(
            user=user,
            details=details,
            structure=session.structure,
            linked_ids=linked_ids,
            source="feuille de présence",
        )
        try:
            attendance = attendance_register(
                user=user, session=session, learner=learner, waitlist=waitlist
            )
        except ValidationError as exc:
            raise RegistrationRefused(" ".join(str(m) for m in exc.messages)) from exc
    return Registration(learner=learner, attendance=attendance)


def learner_link_with_code_and_register(
    *, user: User, session: Session, code: str, candidate_ids: Sequence[int]
) -> Learner:
    """The person shows their carnet code: link their record to the user's structure with
    their consent (`learner_link_with_carnet_code`), then register them. Any refusal
    (wrong code, full session) keeps nothing."""
    with transaction.atomic():
        learner = learner_link_with_carnet_code(
            user=user, code=code, candidate_ids=list(candidate_ids)
        )
        attendance_register(user=user, session=session, learner=learner)
    return learner
