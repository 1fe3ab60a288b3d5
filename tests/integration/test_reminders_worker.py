"""Reminders through a real Celery worker and Redis: run twice, one e-mail per person; and a
mail server that is down makes the job retry with backoff, logged as such."""

import datetime
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import JobRun, JobStatus, ReminderSent, Session
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
)
from tests.learners.jobs.smtp import closed_port

pytestmark = pytest.mark.celery_worker

TODAY = datetime.date(2026, 3, 16)
SEPARATOR = "-" * 79


def _people_for_tomorrow():
    structure = StructureFactory(name="Mairie de Mouilleron-le-Captif")
    session = SessionFactory(
        structure=structure,
        title="Faire ses démarches sur le site des impôts",
        start=at(TODAY + datetime.timedelta(days=1), 14),
    )

    def person(first_name, email, consent=True, status=AttendanceStatus.REGISTERED):
        learner = LearnerFactory(
            structure=structure,
            first_name=first_name,
            contact_consent=consent,
            contact_consent_at=timezone.now() if consent else None,
            email=email,
        )
        AttendanceFactory(session=session, learner=learner, status=status)
        return learner

    expected = [
        person("Agathe", "agathe@example.org"),
        person("Bruno", "bruno@example.org"),
        person("Céline", "celine@example.org"),
    ]
    person("Dominique", "", consent=False)
    person("Étienne", "")
    person("Fabienne", "fabienne@example.org", status=AttendanceStatus.WAITING)
    return expected


def _mails(folder: Path) -> list:
    """Every message the file-based backend wrote (one file per connection)."""
    messages = []
    if not folder.exists():
        return messages
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text().split(SEPARATOR):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip().encode(), policy=policy.default))
    return messages


def test_reminder_job_run_twice_sends_one_email_per_person(celery_worker_process):
    client, queue, tmp_path = celery_worker_process
    expected = _people_for_tomorrow()

    kwargs = {"today": TODAY.isoformat()}
    first = client.send_task("learners.reminders_send", kwargs=kwargs, queue=queue)
    second = client.send_task("learners.reminders_send", kwargs=kwargs, queue=queue)
    results = [first.get(timeout=60), second.get(timeout=60)]

    messages = _mails(tmp_path / "mail")
    recipients = sorted(message["To"] for message in messages)
    assert recipients == sorted(learner.email for learner in expected)
    assert sum(result["sent"] for result in results) == 3
    assert sorted(result["skipped"] for result in results) == [0, 3]
    for message in messages:
        assert "Faire ses démarches sur le site des impôts" in message.get_content()
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 3
    runs = JobRun.objects.filter(name="reminders")
    assert sorted(run.task_id for run in runs) == sorted([first.id, second.id])
    assert {run.status for run in runs} == {JobStatus.OK}


class TestMailServerDown:
    @pytest.fixture
    def celery_worker_env(self):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(closed_port()),
            "EMAIL_TIMEOUT": "2",
        }

    def test_retried_with_backoff_and_logged(self, celery_worker_process):
        client, queue, tmp_path = celery_worker_process
        _people_for_tomorrow()
        result = client.send_task(
            "learners.reminders_send", kwargs={"today": TODAY.isoformat()}, queue=queue
        )
        deadline = time.monotonic() + 60
        run = None
        while time.monotonic() < deadline:
            run = JobRun.objects.filter(task_id=result.id).first()
            if run is not None and run.attempts >= 3 and run.status == JobStatus.RETRYING:
                break
            time.sleep(0.2)
        assert run is not None, "le worker n'a rien écrit dans le journal des tâches"
        assert run.attempts >= 3, run.attempts
        assert run.status == JobStatus.RETRYING
        assert "ConnectionRefusedError" in run.error
        assert JobRun.objects.filter(name="reminders").count() == 1  # one row for all attempts
        assert not ReminderSent.objects.exists()  # nothing claimed, so the next try sends


class TestRunInPieces:
    """A run longer than its time budget goes on in follow-up tasks, on the same queue."""

    @pytest.fixture
    def celery_worker_env(self):
        return {
            "EMAIL_BACKEND": "tests.integration.slow_mail.SlowFileBackend",
            "SLOW_MAIL_SECONDS": "0.3",
            "JOBS_SEND_BUDGET_SECONDS": "1",
        }

    def test_pieces_add_up_to_one_email_per_person(self, celery_worker_process):
        client, queue, tmp_path = celery_worker_process
        expected = _people_for_tomorrow()
        for i in range(5):
            expected.append(_people_for_tomorrow_extra(i))
        client.send_task(
            "learners.reminders_send", kwargs={"today": TODAY.isoformat()}, queue=queue
        )
        deadline = time.monotonic() + 60
        while ReminderSent.objects.filter(sent_at__isnull=False).count() < len(expected):
            assert time.monotonic() < deadline, "les tâches de suite n'ont pas tout envoyé"
            time.sleep(0.2)
        while JobRun.objects.filter(name="reminders").exclude(status=JobStatus.OK).exists():
            assert time.monotonic() < deadline
            time.sleep(0.2)
        recipients = sorted(message["To"] for message in _mails(tmp_path / "mail"))
        assert recipients == sorted(learner.email for learner in expected)
        # A piece sends while under its 1 s budget: at most 4 messages of 0.3 s, so the 8
        # reminders take at least two pieces (a third may find nothing left to send).
        assert JobRun.objects.filter(name="reminders").count() >= 2


def _people_for_tomorrow_extra(i: int):
    """One more person registered at the session of `_people_for_tomorrow`."""
    session = Session.objects.get()
    learner = LearnerFactory(
        structure=session.structure,
        first_name=f"Personne{i}",
        contact_consent=True,
        contact_consent_at=timezone.now(),
        email=f"personne{i}@example.org",
    )
    AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)
    return learner
