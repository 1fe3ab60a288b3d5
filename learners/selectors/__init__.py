"""Reads of the tracking app. Every selector returning personal data takes the requesting
`user` first (keyword-only) and scopes by role through `learners.scoping`: a counsellor
sees their structure's people and sessions, a coordinator everything, anyone else nothing
(empty results; single-object getters raise the model's DoesNotExist, as for a missing row).
"""

from learners.age_bands import (
    AgeBand,
    AgeBand2021,
    age_at,
    age_band,
    age_band_expression,
    age_band_label,
)

from .carnets import AtelierAttended, CarnetOverview, carnet_overview
from .dashboard import CounsellorDashboard, ProgressedLearner, StuckItem, counsellor_dashboard
from .people import (
    LearnerProgress,
    MatchCandidate,
    audit_logs_for_user,
    communes_nearby,
    learner_get_for_user,
    learner_match_candidates,
    learner_match_pairs,
    learners_for_user,
    progress_for_learner,
)
from .progress import CompetenceProgress, competence_progress_list
from .sessions import (
    AttendanceSheet,
    SheetLine,
    session_attendance_sheet,
    session_get_for_user,
    sessions_for_user,
    sessions_with_free_places,
    with_seats,
)

__all__ = [
    "AgeBand",
    "AgeBand2021",
    "AtelierAttended",
    "AttendanceSheet",
    "CarnetOverview",
    "CompetenceProgress",
    "CounsellorDashboard",
    "LearnerProgress",
    "MatchCandidate",
    "ProgressedLearner",
    "SheetLine",
    "StuckItem",
    "age_at",
    "age_band",
    "age_band_expression",
    "age_band_label",
    "audit_logs_for_user",
    "carnet_overview",
    "communes_nearby",
    "competence_progress_list",
    "counsellor_dashboard",
    "learner_get_for_user",
    "learner_match_candidates",
    "learner_match_pairs",
    "learners_for_user",
    "progress_for_learner",
    "session_attendance_sheet",
    "session_get_for_user",
    "sessions_for_user",
    "sessions_with_free_places",
    "with_seats",
]
