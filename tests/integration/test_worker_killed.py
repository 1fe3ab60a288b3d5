"""A worker killed with SIGKILL in the middle of a reminder run: a new worker takes the run
over once the broker's visibility timeout has passed (10 s here, CELERY_VISIBILITY_TIMEOUT;
600 s in production), and nobody gets two reminders.

The run is one task (a budget long enough for all messages), so what resumes it is Redis
handing the unacknowledged message out again, not a follow-up task. The person whose
message was being sent at the kill is "claimed, never confirmed": by design (at most once,
see learners.services.sending) they get no second message; the job summary counts them.
"""

import datetime
import os
import signal
import time
import uuid
from collections import Counter

import pytest
from celery import Celery
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import JobRun, JobStatus, ReminderSent
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
)

from .conftest import broker_required, worker_env, worker_start, worker_stop, worker_wait
from .test_reminders_worker import _mails

pytestmark = pytest.mark.celery_worker

TODAY = datetime.date(2026, 3, 16)
PEOPLE = 40
VISIBILITY_TIMEOUT = 10
# Resumed within the visibility timeout, plus kombu's restore check (every 10 s), plus a
# worker start and the rest of the run: generous on a loaded 2-core machine.
RESUME_BOUND = 120
# A Redis database of its own: the short timeout applies to every unacknowledged message
# of the database, and must not hand out another test run's tasks.
BROKER_URL = os.environ.get("CELERY_TEST_KILL_BROKER_URL", "redis://127.0.0.1:6379/15")


def _forty_people_tomorrow() -> list[str]:
    structure = StructureFactory(name="Espace France Services de Luçon")
    session = SessionFactory(
        structure=structure,
        title="Prendre rendez-vous chez le médecin en ligne",
        start=at(TODAY + datetime.timedelta(days=1), 10),
    )
    emails = []
    for i in range(PEOPLE):
        learner = LearnerFactory(
            structure=structure,
            contact_consent=True,
            contact_consent_at=timezone.now(),
            email=f"personne{i:02d}@example.org",
        )
        AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)
        emails.append(learner.email)
    return emails


def test_killed_worker_run_resumes_and_sends_nobody_twice(transactional_db, tmp_path):
    broker_required(BROKER_URL)
    emails = _forty_people_tomorrow()
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    env = worker_env(
        tmp_path,
        {
            "EMAIL_BACKEND": "tests.integration.slow_mail.SlowFileBackend",
            "SLOW_MAIL_SECONDS": "0.25",  # 40 messages: 10 s of sending
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "JOBS_SEND_BUDGET_SECONDS": "300",  # one task for the whole run
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_RESULT_BACKEND": BROKER_URL,
        },
    )
    client = Celery("test-client", broker=BROKER_URL, backend=BROKER_URL)
    client.conf.task_default_queue = queue
    first = worker_start(queue, env, tmp_path / "worker-1.log")
    second = None
    try:
        worker_wait(client, queue, first)
        result = client.send_task(
            "learners.reminders_send", kwargs={"today": TODAY.isoformat()}, queue=queue
        )
        deadline = time.monotonic() + 60
        while len(_mails(tmp_path / "mail")) < 8:
            assert time.monotonic() < deadline, "le worker n'a rien envoyé en 60 s"
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        before = len(_mails(tmp_path / "mail"))
        assert before < PEOPLE, "the run ended before the kill: slow the mail down"
        assert JobRun.objects.get(task_id=result.id).status == JobStatus.RUNNING

        second = worker_start(queue, env, tmp_path / "worker-2.log")
        worker_wait(client, queue, second)
        summary = result.get(timeout=RESUME_BOUND)  # the same task, delivered again
        elapsed = time.monotonic() - killed_at
        print(f"\nkilled after {before} messages; run finished {elapsed:.1f} s after the kill")
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        if second is not None:
            worker_stop(second)
        client.close()

    assert elapsed < RESUME_BOUND
    received = Counter(message["To"] for message in _mails(tmp_path / "mail"))
    assert max(received.values()) == 1, "someone got two reminders"
    missing = set(emails) - set(received)
    # Only the message being handed over at the kill may be lost: claimed, never confirmed.
    unconfirmed = ReminderSent.objects.filter(sent_at__isnull=True)
    assert len(missing) == unconfirmed.count() <= 1
    assert {c.attendance.learner.email for c in unconfirmed} == missing
    assert ReminderSent.objects.count() == PEOPLE
    assert summary["unconfirmed"] == len(missing)
    assert summary["sent"] == PEOPLE - before - len(missing)
    run = JobRun.objects.get(task_id=result.id)  # the killed run's row, completed
    assert run.status == JobStatus.OK and run.attempts == 2
