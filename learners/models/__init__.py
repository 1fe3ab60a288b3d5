"""Tracking models: communes, structures, counsellors, venues, people, sessions, attendance,
competence progress, carnets and the audit log. Personal data is never registered as a
Wagtail snippet: admin screens are ModelViewSets scoped by `learners.selectors`."""

from .activity_summaries import SessionActivitySummary
from .attestations import Attestation, AttestationKey
from .audit import AuditLog
from .bookings import (
    BOOKING_ACTIVE_STATUSES,
    BOOKING_SEAT_STATUSES,
    AppointmentRequest,
    AppointmentRequestStatus,
    Booking,
    BookingStatus,
    CancelledBy,
    MessageChannel,
    MessageKind,
    MessageSent,
    SessionSeries,
    SignupScope,
)
from .carnets import Carnet, GuideRead
from .geography import Commune
from .imports import ImportJob, ImportKind, ImportStatus
from .jobs import DigestSent, JobRun, JobStatus, ReminderSent, SessionChangeSent
from .organisations import Counsellor, Structure, Venue
from .people import Learner, LearnerStructure
from .progress import CompetenceSummary, Observation
from .sessions import AnonymousParticipants, Attendance, Session
from .sharing import ConsentMethod, LinkRequest, SharingConsent
from .statistics import StatisticsSnapshot

__all__ = [
    "BOOKING_ACTIVE_STATUSES",
    "BOOKING_SEAT_STATUSES",
    "AppointmentRequest",
    "AppointmentRequestStatus",
    "Booking",
    "BookingStatus",
    "CancelledBy",
    "MessageChannel",
    "MessageKind",
    "MessageSent",
    "SessionSeries",
    "SessionActivitySummary",
    "SignupScope",
    "AnonymousParticipants",
    "Attestation",
    "AttestationKey",
    "Attendance",
    "AuditLog",
    "Carnet",
    "Commune",
    "CompetenceSummary",
    "ConsentMethod",
    "Counsellor",
    "DigestSent",
    "GuideRead",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "JobRun",
    "JobStatus",
    "Learner",
    "LearnerStructure",
    "LinkRequest",
    "Observation",
    "ReminderSent",
    "Session",
    "SessionChangeSent",
    "SharingConsent",
    "StatisticsSnapshot",
    "Structure",
    "Venue",
]
