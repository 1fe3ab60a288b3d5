"""Keep `Session.updated_at` the modification time of the session's activity record.

The read API publishes one anonymous activity record per session (its themes, competences,
counts of people present by age band and gender, anonymous participants) and warehouses
sync it incrementally with `filter[modification][depuis]`, which reads `Session.updated_at`.
`auto_now` only moves on `Session.save()`; the writes below change the record without
saving the session (attendance lines, anonymous counts, a person's birth year or gender,
bulk imports), so they call these functions in their own transaction: the new stamp
commits with the change it announces.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import Attendance, Session


def activity_records_touch(*, session_ids: Iterable[int]) -> int:
    """Mark these sessions' records changed now (one UPDATE); the number of sessions."""
    ids = sorted(set(session_ids))
    if not ids:
        return 0
    return Session.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def activity_records_touch_for_people(*, learner_ids: Iterable[int]) -> int:
    """Mark changed the records of every session where these people were present (their
    age band or gender is counted there): one UPDATE with a subquery."""
    ids = sorted(set(learner_ids))
    if not ids:
        return 0
    attended = Attendance.objects.filter(
        learner_id__in=ids, status=AttendanceStatus.PRESENT
    ).values("session_id")
    return Session.objects.filter(pk__in=attended).update(updated_at=timezone.now())
