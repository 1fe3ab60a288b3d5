"""The rights of the people tracked: anonymisation (on request or after the retention
period) and the purge of old audit rows.

What anonymisation erases and what it keeps
-------------------------------------------
Erased: first name (replaced by "Anonyme"), last name, phone, e-mail, the contact consent
and its date, the date the person was informed, notes, the structure's external id and the
folded names used for matching. The network identifier is replaced by a fresh random one
and every carnet code is revoked, so nothing printed or exported before (a carnet card, a
spreadsheet with network ids) leads back to the record. The audit rows about the person
are detached from the record (they keep the OLD network id, so "who saw this person's
record" can still be answered for the audit period, but they no longer point at the
anonymous record); the anonymisation itself is logged the same way. Spreadsheet imports
that mention the person lose their file, preview lines and file name
(`learners.services.import_jobs`). Their sign-ups on the public agenda lose their first
name and contacts, and so do the sign-ups and appointment requests made with their phone
or e-mail and linked to no one, within the eraser's scope
(`learners.services.bookings_privacy.bookings_erase_for_learners`). Their attestations
are revoked and their signed text deleted: the public verification page (the QR code of a
printed attestation) then says only that it was withdrawn.

Kept, as statistical attributes: birth year, gender, social status, commune of residence,
the structures that accompanied the person, sessions, attendance, observations, competence
summaries and guides read. The issue requires the dashboard (age bands, gender, social
status, communes of residence) to stay identical. These attributes are quasi-identifiers:
published figures are protected by small-cell suppression (`learners.statistics`), and
the anonymous record is only visible to coordinators and counsellors, never searchable by
name. Strictly, this is "anonymisation of identity with statistical attributes retained".
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.types import AnyUser
from learners.choices import AuditAction
from learners.models import (
    Attendance,
    Attestation,
    AuditLog,
    Carnet,
    DigestSent,
    JobRun,
    Learner,
    LearnerStructure,
    ReminderSent,
)
from learners.models.people import network_id_generate
from learners.roles import is_coordinator
from learners.scoping import can_access_learner, scope_structure_id
from learners.selectors.privacy import months_before

from ._common import refuse
from .activity import structure_links_refresh
from .bookings_privacy import (
    ANONYMIZED_FIRST_NAME,
    AgendaMinimisation,
    agenda_minimise,
    bookings_erase_for_learners,
)
from .import_jobs import import_jobs_expire, import_jobs_scrub

logger = logging.getLogger(__name__)

# Reasons written in the audit row (no personal data: a fixed code and a label).
REASON_REQUEST = "demande de la personne"
REASON_RETENTION = "durée de conservation écoulée"
# The retention job works in batches of this many people (one transaction each).
ATTESTATION_ERASED_REASON = "données de la personne effacées"

RETENTION_BATCH = 500
# Job bookkeeping (no personal data) is kept this long.
JOB_LOG_RETENTION_DAYS = 180

ERASED_FIELDS = {
    "first_name": ANONYMIZED_FIRST_NAME,
    "last_name": "",
    "phone": "",
    "email": "",
    "contact_consent": False,
    "contact_consent_at": None,
    "information_given_at": None,
    "notes": "",
    "external_id": "",
    "normalized_first_name": "",
    "normalized_last_name": "",
    "normalized_name": "",
}
# Documented for the confirmation page and the register: what statistics keep.
RETAINED_FIELDS = ("birth_year", "gender", "social_status", "commune")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def retention_cutoff(*, today: datetime.date | None = None) -> datetime.datetime:
    """People whose last activity is before this instant are anonymised: midnight (local)
    starting the day `RETENTION_MONTHS` months before `today`. A person last active on
    15 March 2024 is kept on 15 March 2025 and anonymised from 16 March 2025."""
    today = today or timezone.localdate()
    return _local_midnight(months_before(today, settings.RETENTION_MONTHS))


def _attestations_erase(*, learner_ids: list[int], now: datetime.datetime) -> None:
    """An erased person's attestations are revoked and their signed text (first name and
    initial, competences) deleted: the public page then says only that it was withdrawn,
    and a QR code printed earlier no longer shows who it was."""
    not_yet = Q(revoked_at__isnull=True)
    Attestation.objects.filter(learner_id__in=learner_ids).update(
        credential_jws="",
        revoked_reason=Case(
            When(not_yet, then=Value(ATTESTATION_ERASED_REASON)), default=F("revoked_reason")
        ),
        revoked_at=Case(When(not_yet, then=Value(now)), default=F("revoked_at")),
    )


def _anonymize_locked(*, user: AnyUser | None, learners: list[Learner], reason: str) -> int:
    """Anonymise these (locked, not yet anonymised) people in a few queries."""
    if not learners:
        return 0
    import_jobs_scrub(learners=learners)  # before the names are erased: it looks for them
    # Before the contacts are erased: sign-ups made with them are erased too.
    bookings_erase_for_learners(user=user, learners=learners)
    now = timezone.now()
    old_ids = {learner.pk: learner.network_id for learner in learners}
    for learner in learners:
        for field, value in ERASED_FIELDS.items():
            setattr(learner, field, value)
        learner.network_id = network_id_generate()
        learner.anonymized_at = now
        learner.updated_at = now
    # bulk_update bypasses Learner.save(), which would fold "Anonyme" into the match keys.
    Learner.objects.bulk_update(
        learners, [*ERASED_FIELDS, "network_id", "anonymized_at", "updated_at"]
    )
    ids = list(old_ids)
    structure_links_refresh(learner_ids=ids)
    Carnet.objects.active().filter(learner_id__in=ids).update(revoked_at=now)
    _attestations_erase(learner_ids=ids, now=now)
    AuditLog.objects.filter(learner_id__in=ids).update(learner=None)
    # The anonymisation row names the record by its old network id, detached like the rest.
    author = user if user is not None and user.is_authenticated else None
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                user=author,
                username=author.get_username()[:150] if author is not None else "",
                action=AuditAction.ANONYMIZE,
                learner=None,
                learner_network_id=old_ids[pk],
                detail=f"anonymisation : {reason}"[:255],
            )
            for pk in ids
        ]
    )
    return len(ids)


def learner_erasure_is_coordinations(*, user: AnyUser, learner: Learner) -> bool:
    """True when `user` is a counsellor and another structure also follows the person:
    erasing them is then the coordination's act."""
    if is_coordinator(user):
        return False
    return (
        LearnerStructure.objects.filter(learner_id=learner.pk)
        .exclude(structure=scope_structure_id(user))
        .exists()
    )


def learner_anonymize(
    *, user: AnyUser | None = None, learner: Learner, reason: str = REASON_REQUEST
) -> Learner:
    """Anonymise one person now (see the module docstring for what is erased and kept).

    `user` None is the system (the retention job); otherwise a coordinator, or a
    counsellor of the only structure linked to the person (PermissionDenied for anyone
    else): erasing a person several structures follow is the coordination's act, logged
    like every anonymisation. Idempotent: an anonymised person is returned unchanged,
    with no new audit row.
    """
    if user is not None and not can_access_learner(user, learner):
        refuse()
    if user is not None and learner_erasure_is_coordinations(user=user, learner=learner):
        refuse(
            _(
                "Cette personne est suivie par plusieurs structures du réseau : seule la "
                "coordination peut effacer sa fiche. Transmettez-lui la demande."
            )
        )
    with transaction.atomic():
        locked = Learner.objects.select_for_update().get(pk=learner.pk)
        if locked.is_anonymized:
            return locked
        _anonymize_locked(user=user, learners=[locked], reason=reason)
    locked.refresh_from_db()
    return locked


def learners_inactive(*, today: datetime.date | None = None) -> QuerySet[Learner]:
    """People not yet anonymised, with no activity since `retention_cutoff` (their
    `last_activity_at`, maintained by every service that records something about them),
    and no attendance at a session from the cutoff on (a registration for a future
    session keeps a person, even if the record was imported with an old date)."""
    cutoff = retention_cutoff(today=today)
    recent = Attendance.objects.filter(learner_id=OuterRef("pk"), session__start__gte=cutoff)
    return Learner.objects.filter(anonymized_at__isnull=True, last_activity_at__lt=cutoff).filter(
        ~Exists(recent)
    )


def learners_anonymize_inactive(
    *,
    today: datetime.date | None = None,
    batch_size: int | None = None,
    budget: float | None = None,
) -> int:
    """Anonymise every inactive person, `batch_size` per transaction; returns how many.
    Idempotent (an anonymised person is never picked again) and safe to interrupt: each
    batch commits on its own, a rerun continues where it stopped. With a `budget`
    (seconds), no new batch starts once it is spent (`learners_inactive` then says who is
    left, for a follow-up run)."""
    batch_size = batch_size or RETENTION_BATCH
    total, last_id = 0, 0
    deadline = None if budget is None else time.monotonic() + budget
    while last_id == 0 or deadline is None or time.monotonic() < deadline:  # >= 1 batch
        with transaction.atomic():
            # Keyset pagination: each batch starts after the last one, so the scan does not
            # wade again through the people just anonymised.
            ids = list(
                learners_inactive(today=today)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_id = ids[-1]
            # Checked again under the lock: someone registered meanwhile is kept.
            locked = list(
                learners_inactive(today=today)
                .select_for_update(of=("self",))
                .filter(pk__in=ids)
                .order_by("pk")
            )
            total += _anonymize_locked(user=None, learners=locked, reason=REASON_RETENTION)
    return total


def audit_log_purge(*, today: datetime.date | None = None, batch_size: int = 5000) -> int:
    """Delete audit rows older than AUDIT_RETENTION_MONTHS; returns how many."""
    today = today or timezone.localdate()
    cutoff = _local_midnight(months_before(today, settings.AUDIT_RETENTION_MONTHS))
    return _delete_in_batches(AuditLog.objects.filter(created_at__lt=cutoff), batch_size)


def job_bookkeeping_purge(*, today: datetime.date | None = None) -> int:
    """Delete old job runs and sending records (no personal data; they only grow)."""
    today = today or timezone.localdate()
    cutoff = _local_midnight(today - datetime.timedelta(days=JOB_LOG_RETENTION_DAYS))
    deleted = _delete_in_batches(JobRun.objects.filter(started_at__lt=cutoff), 5000)
    deleted += _delete_in_batches(ReminderSent.objects.filter(claimed_at__lt=cutoff), 5000)
    deleted += _delete_in_batches(DigestSent.objects.filter(claimed_at__lt=cutoff), 5000)
    return deleted


def _delete_in_batches(qs: QuerySet[Any], batch_size: int) -> int:
    total = 0
    while True:
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        deleted, _details = qs.model.objects.filter(pk__in=ids).delete()
        total += deleted


def _counted(n: int, zero: str, text: str) -> str:
    """French says « aucune … » for zero (ngettext without a catalogue would take the
    plural: « 0 personnes »)."""
    return text % {"n": n} if n else zero


@dataclass
class RetentionResult:
    anonymized: int
    audit_rows_deleted: int
    import_jobs_expired: int
    job_rows_deleted: int
    remaining: bool = False  # people left to anonymise by a follow-up run (budget spent)
    agenda: AgendaMinimisation = dataclass_field(default_factory=AgendaMinimisation)

    @property
    def summary(self) -> str:
        """ "6 personnes anonymisées, aucune ligne du journal d'accès supprimée, …"."""
        n = (
            self.anonymized,
            self.audit_rows_deleted,
            self.import_jobs_expired,
            self.job_rows_deleted,
            self.agenda.total,
        )
        parts = [
            _counted(
                n[0],
                _("aucune personne anonymisée"),
                ngettext("%(n)d personne anonymisée", "%(n)d personnes anonymisées", n[0]),
            ),
            _counted(
                n[1],
                _("aucune ligne du journal d'accès supprimée"),
                ngettext(
                    "%(n)d ligne du journal d'accès supprimée",
                    "%(n)d lignes du journal d'accès supprimées",
                    n[1],
                ),
            ),
            _counted(
                n[2],
                _("aucun fichier d'import effacé"),
                ngettext("%(n)d fichier d'import effacé", "%(n)d fichiers d'import effacés", n[2]),
            ),
            _counted(
                n[3],
                _("aucune trace de tâche supprimée"),
                ngettext(
                    "%(n)d trace de tâche supprimée", "%(n)d traces de tâches supprimées", n[3]
                ),
            ),
            _counted(
                n[4],
                _("aucune inscription ni demande de rendez-vous allégée"),
                ngettext(
                    "%(n)d inscription ou demande de rendez-vous allégée",
                    "%(n)d inscriptions ou demandes de rendez-vous allégées",
                    n[4],
                ),
            ),
        ]
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "anonymized": self.anonymized,
            "audit_rows_deleted": self.audit_rows_deleted,
            "import_jobs_expired": self.import_jobs_expired,
            "job_rows_deleted": self.job_rows_deleted,
            "remaining": self.remaining,
            "agenda_contacts_after_session": self.agenda.contacts_after_session,
            "agenda_contacts_after_cancel": self.agenda.contacts_after_cancel,
            "agenda_first_names": self.agenda.first_names,
            "agenda_appointment_requests": self.agenda.appointment_requests,
            "summary": self.summary,
        }


def learners_retention_run(*, today: datetime.date | None = None) -> int:
    """The daily retention job; returns the number of people anonymised.
    See `retention_run` for the full result (the task and the command use it)."""
    return retention_run(today=today).anonymized


def retention_run(
    *, today: datetime.date | None = None, budget: float | None = None
) -> RetentionResult:
    """Anonymise the inactive people, purge old audit rows, erase abandoned import files,
    purge old job bookkeeping, and erase the agenda's contacts and names no longer needed
    (`learners.services.bookings_privacy.agenda_minimise`). Idempotent: a second run the
    same day does nothing. `budget` bounds the anonymisation (see
    `learners_anonymize_inactive`); `remaining` then says a follow-up run is needed."""
    imports_expired = import_jobs_expire()  # first: fewer jobs to look through below
    anonymized = learners_anonymize_inactive(today=today, budget=budget)
    audit_deleted = audit_log_purge(today=today)
    jobs_deleted = job_bookkeeping_purge(today=today)
    agenda = agenda_minimise(today=today)
    return RetentionResult(
        anonymized=anonymized,
        audit_rows_deleted=audit_deleted,
        import_jobs_expired=imports_expired,
        job_rows_deleted=jobs_deleted,
        agenda=agenda,
        # Only after progress: a follow-up never loops on someone it cannot anonymise.
        remaining=bool(budget is not None and anonymized)
        and learners_inactive(today=today).exists(),
    )


def retention_candidates_count(*, today: datetime.date | None = None) -> int:
    return learners_inactive(today=today).count()
