"""Pass 4, levels: each row's competence cells become observations to record (reading only).

A level equal to the last one recorded for the same person, competence and session is
left as it is (the same file imported twice changes nothing); every other level is a new
observation (observations are never changed: `learners.services.progress`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from learners.models import Observation

from .. import values as v
from ..common import CHUNK, CREATE, UNCHANGED, PlanLine, Record, chunked
from ..people import label_of
from .ops import AttendanceOps, PersonRef, SessionPlan
from .parse import Context

ENTITY = "observation"


class ObservationRows:
    def __init__(self, ctx: Context, ops: AttendanceOps):
        self.ctx, self.plan, self.ops = ctx, ctx.plan, ops
        self.levels = ctx.levels
        self.recorded = self._recorded()
        self.seen: set[tuple[int, int, int]] = set()

    def _recorded(self) -> dict[tuple[int, int, int], int]:
        """{(session, person, competence): the last level recorded} in the known sessions."""
        recorded: dict[tuple[int, int, int], int] = {}
        known = [sp.session.pk for sp in self.ops.sessions.values() if not sp.is_new]
        competence_ids = [c.pk for c in self.levels.competences.values()]
        for chunk in chunked(known, CHUNK):
            rows = (
                Observation.objects.filter(session_id__in=chunk, competence_id__in=competence_ids)
                .order_by("id")
                .values_list("session_id", "learner_id", "competence_id", "level_id")
            )
            for session_id, learner_id, competence_id, level_id in rows:
                recorded[(session_id, learner_id, competence_id)] = level_id
        return recorded

    def plan_rows(self, row_sessions: list[tuple[Record, tuple]]) -> None:
        for record, skey in row_sessions:
            levels = self._levels_of(record)
            sp = self.ops.sessions.get(skey)
            person = self.ops.people.get(("row", record.line))
            if not levels or sp is None or person is None:
                continue
            for competence_id, level in levels:
                self._plan_level(record.line, sp, person, competence_id, level)

    def _levels_of(self, record: Record) -> list[tuple[int, object]]:
        """[(competence id, level)] of the row's filled competence cells."""
        found = []
        for key, competence in self.levels.competences.items():
            text = record.values.get(key, "")
            if not text:
                continue
            try:
                level = self.levels.parse(key, text)
            except v.CellError as exc:
                self.plan.error(record.line, key, exc.message)
                continue
            if level is not None:
                found.append((competence.pk, level))
        return found

    def _plan_level(self, line: int, sp: SessionPlan, person: PersonRef, competence_id, level):
        same = (id(sp), id(person.learner), competence_id)
        if same in self.seen:  # the row is repeated: its attendance already says so
            return
        self.seen.add(same)
        if not sp.is_new and not person.is_new:
            last = self.recorded.get((sp.session.pk, person.learner.pk, competence_id))
            if last == level.pk:
                self.plan.tally(ENTITY, UNCHANGED)
                return
        self.ops.observations.append((sp, person, competence_id, level.pk))
        if not self.plan.wants(ENTITY, CREATE):
            self.plan.tally(ENTITY, CREATE)
            return
        self.plan.add(PlanLine(line, ENTITY, CREATE, self._label(sp, person, competence_id, level)))

    def _label(self, sp: SessionPlan, person: PersonRef, competence_id: int, level) -> str:
        learner = person.learner
        code = next(c.code for c in self.levels.competences.values() if c.pk == competence_id)
        day = timezone.localtime(sp.session.start).strftime("%d/%m/%Y")
        return _("%(person)s – %(code)s : %(level)s (séance du %(day)s)") % {
            "person": label_of(learner.first_name, learner.last_name, learner.birth_year),
            "code": code,
            "level": level.name,
            "day": day,
        }
