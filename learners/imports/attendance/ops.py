"""What the plan of an attendance file holds, between the planning and the writing."""

from __future__ import annotations

from typing import NamedTuple

from learners.models import Attendance, Learner


class Current(NamedTuple):
    """An attendance already recorded, as read for the comparison."""

    id: int
    status: str
    equipment: str
    autonomy: str
    referred_to: str


class SessionPlan:
    """One session of the file (new or existing) and what changes."""

    __slots__ = ("session", "line", "parsed", "is_new", "changed", "themes", "theme_change")

    def __init__(self, session, line, parsed, is_new):
        self.session = session
        self.line = line
        self.parsed = parsed
        self.is_new = is_new
        self.changed: dict = {}
        self.themes: set[int] | None = parsed.get("themes")
        self.theme_change: tuple[set[int], set[int]] | None = None


class PersonRef:
    """A person of the file: an existing learner, or a new one to create."""

    __slots__ = ("learner", "is_new", "line")

    def __init__(self, learner, is_new, line):
        self.learner = learner
        self.is_new = is_new
        self.line = line


class AttendanceOps:
    def __init__(self):
        self.sessions: dict[tuple, SessionPlan] = {}
        self.people: dict[tuple, PersonRef] = {}
        self.new_attendance: list[tuple[SessionPlan, PersonRef, dict]] = []
        self.updated_attendance: list[Attendance] = []
        self.update_fields: set[str] = set()
        # (new person, other structures' records they may be): link requests on apply.
        self.link_requests: list[tuple[Learner, list[int]]] = []
        # Competence levels to record: (session, person, competence id, level id).
        self.observations: list[tuple[SessionPlan, PersonRef, int, int]] = []
