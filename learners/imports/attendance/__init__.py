"""Import of sessions with their attendance (one row per person at a session).

The same file format as the "Présences" export (and the "Séances" export, without people,
imports sessions only). Rows that share a session repeat its columns; they must agree.

Sessions: known by "Identifiant séance" within the row's structure; otherwise (or when
that id is not known yet) by the structure, the start (date and time, 09:00 when no time
is given), the kind and the title. Unknown: created (the counsellor importing runs them).
People: by "Identifiant réseau" (someone the user sees), "Identifiant personne" (an id
used by the session's structure), else by name and birth year like the people import
(one person the session's structure already follows: attached and flagged; several: an
error; none: created, and, when someone in another structure matches a precise
description, flagged with a link request for the coordination: the one linking rule of
`learners.services.linking`, never an attach to another structure's record). The people
already known are never changed by this import (use the people import for that).
Attendance: "Présence" (présent by default), "Matériel", "Autonomie", "Orientation".

Speed: every look-up is prefetched into dicts in a few queries per 2,000 distinct keys;
session, person and attendance cells are parsed once per distinct text (memoised); writes
are bulk_create / bulk_update in batches of 2,000. Nothing runs a query per row.

The stages, one module each: `parse` (columns, cells), `resolve` (sessions and people
matched with the database), `plan` (what would change, reading only; `ops` holds it) and
`apply` (the writes).
"""

from .apply import apply_attendance
from .levels import attendance_records_read
from .ops import AttendanceOps, PersonRef, SessionPlan
from .parse import COLUMNS
from .plan import plan_attendance

__all__ = [
    "COLUMNS",
    "AttendanceOps",
    "PersonRef",
    "SessionPlan",
    "apply_attendance",
    "attendance_records_read",
    "plan_attendance",
]
