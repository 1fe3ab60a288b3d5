"""ImportJob lifecycle: progress page, retries with backoff, idempotence, retention."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from learners import tasks
from learners.imports import import_job_create, import_job_progress, import_jobs_expire
from learners.imports.jobs import PROGRESS_KEY
from learners.models import ImportJob, ImportStatus, Learner

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Prénom", "Nom"], ["Ana", "Roux"], ["Bo", "Lenoir"]]


def ready_job(user) -> ImportJob:
    job = import_job_create(user=user, kind="people", filename="p.csv", content=csv_bytes(ROWS))
    assert job.status == ImportStatus.READY
    return job


def test_running_job_shows_its_progress_and_refreshes(client, counsellor_a):
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total_rows=8000)
    cache.set(PROGRESS_KEY.format(job.pk), 3000)
    job.refresh_from_db()
    assert import_job_progress(job) == 3000
    client.force_login(counsellor_a)
    html = client.get(reverse("learners_import_job", kwargs={"job_id": job.pk})).content.decode()
    assert "3000 lignes traitées sur 8000" in html
    assert '<progress id="import-progress"' in html and 'value="3000"' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Vous pouvez quitter cette page" in html
    listing = client.get(reverse("learners_imports")).content.decode()
    assert "En cours" in listing


def test_transient_database_errors_are_retried_then_the_job_fails(monkeypatch, counsellor_a):
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    calls = []

    def unavailable(*, job_id):
        calls.append(job_id)
        raise OperationalError("server closed the connection unexpectedly")

    # A database outage cannot be produced in a test: the service is replaced by one
    # that fails like it, to check the task's retry policy.
    monkeypatch.setattr(tasks, "import_job_run", unavailable)
    # Eagerly, Celery replays retries only when eager exceptions do not propagate.
    monkeypatch.setitem(tasks.import_job_run_task.app.conf, "task_eager_propagates", False)
    result = tasks.import_job_run_task.apply(args=[str(job.pk)])
    assert result.get() == "failed"
    assert len(calls) == tasks.IMPORT_MAX_RETRIES + 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "rien n'a été importé" in job.errors[0]["message"]
    assert bytes(job.content) == b""
    assert not Learner.objects.exists()


def test_an_import_past_the_soft_time_limit_fails_and_says_so(monkeypatch, counsellor_a):
    """The soft limit (below the broker's visibility timeout) interrupts the import, whose
    transaction rolls back: the job says nothing was imported instead of staying "en
    cours"."""
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    def too_long(*, job_id):
        raise SoftTimeLimitExceeded()  # what Celery raises in the task at the soft limit

    monkeypatch.setattr(tasks, "import_job_run", too_long)
    assert tasks.import_job_run_task.apply(args=[str(job.pk)]).get() == "failed"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "pris trop de temps" in job.errors[0]["message"]


def test_retry_delay_grows_and_is_capped(settings):
    delays = [tasks.import_retry_delay(n) for n in range(8)]
    assert 10 <= delays[0] <= 15 and 20 <= delays[1] <= 25 and 40 <= delays[2] <= 45
    # Below the visibility timeout: a task waiting for its countdown is unacknowledged.
    assert max(delays) <= settings.CELERY_VISIBILITY_TIMEOUT // 2 < 600


def test_a_job_runs_once(counsellor_a):
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    assert tasks.import_job_run_task.apply(args=[str(job.pk)]).get() == ImportStatus.DONE
    assert Learner.objects.count() == 2
    # Delivered twice (acks_late), or re-run by hand: nothing happens.
    assert tasks.import_job_run_task.apply(args=[str(job.pk)]).get() == ImportStatus.DONE
    assert Learner.objects.count() == 2
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_whose_user_lost_access_fails_cleanly(counsellor_a):
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    counsellor_a.groups.clear()
    counsellor_a.refresh_from_db()
    assert tasks.import_job_run_task.apply(args=[str(job.pk)]).get() == ImportStatus.FAILED
    assert not Learner.objects.exists()


def test_old_previews_and_files_are_erased(counsellor_a):
    job = ready_job(counsellor_a)
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert import_jobs_expire() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert bytes(job.content) == b"" and job.preview == {}
