"""Writes of the tracking app. Keyword-only arguments; the first is the acting `user`
(checked against `learners.scoping`: PermissionDenied when out of scope); French
ValidationErrors for bad input; every write touching a person records an AuditLog row.
"""

from .audit import audit_log_record, audit_log_record_many
from .carnet_opening import carnet_open_attempt
from .carnets import carnet_issue, carnet_mark_guide_read, carnet_open, carnet_revoke
from .communes import CommuneLoadResult, communes_load
from .organisations import (
    counsellor_create,
    counsellor_update,
    structure_create,
    structure_update,
    venue_create,
    venue_update,
)
from .people import learner_create, learner_merge, learner_update, learners_attendance_refresh
from .progress import observation_record, summaries_refresh, summary_rebuild
from .sessions import (
    SheetRow,
    SheetSaveResult,
    attendance_register,
    attendance_remove,
    attendance_sheet_save,
    session_anonymous_participants_set,
    session_create,
    session_update,
)

__all__ = [
    "CommuneLoadResult",
    "SheetRow",
    "SheetSaveResult",
    "attendance_register",
    "attendance_remove",
    "attendance_sheet_save",
    "audit_log_record",
    "audit_log_record_many",
    "carnet_issue",
    "carnet_mark_guide_read",
    "carnet_open",
    "carnet_open_attempt",
    "carnet_revoke",
    "communes_load",
    "counsellor_create",
    "counsellor_update",
    "learner_create",
    "learner_merge",
    "learner_update",
    "learners_attendance_refresh",
    "observation_record",
    "session_anonymous_participants_set",
    "session_create",
    "session_update",
    "structure_create",
    "structure_update",
    "summaries_refresh",
    "summary_rebuild",
    "venue_create",
    "venue_update",
]
