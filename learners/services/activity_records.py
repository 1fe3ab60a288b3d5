"""Keep `Session.updated_at` the modification time of the session's activity record.

The read API publishes one anonymous activity record per session (its themes, competences,
counts of people present by age band and gender, anonymous participants) and warehouses
sync it incrementally with `filter[modification][depuis]`, which reads `Session.updated_at`.
`auto_now` only moves on `Session.save()`; the writes below change the record without
saving the session (attendance lines, anonymous counts, a person's birth year or gender,
bulk imports), so they call these functions in their own transaction: the new stamp
commits with the change it announces. They also refresh the sessions' participant
summaries (`learners.services.activity_summaries`), which the API reads on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import Attendance, Session

from .activity_summaries import activity_summaries_refresh


def activity_records_touch(*, session_ids: Iterable[int]) -> int:
    """Mark these sessions' records changed now (one UPDATE) and refresh their participant
    summaries; the number of sessions."""
    ids = sorted(set(session_ids))
    if not ids:
        return 0
    activity_summaries_refresh(session_ids=ids)
    return Session.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def activity_records_touch_for_people(*, learner_ids: Iterable[int]) -> int:
    """Mark changed the records of every session where these people were present (their
    age band or gender is counted there): their ids read, then `activity_records_touch`."""
    ids = sorted(set(learner_ids))
    if not ids:
        return 0
    attended = list(
        Attendance.objects.filter(learner_id__in=ids, status=AttendanceStatus.PRESENT)
        .values_list("session_id", flat=True)
        .distinct()
    )
    return activity_records_touch(session_ids=attended)
