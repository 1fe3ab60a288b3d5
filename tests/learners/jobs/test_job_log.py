"""JobRun rows for successes and real failures; the admin page and home panel, per role."""

import datetime

import pytest
from celery.exceptions import Retry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from learners.models import JobRun, JobStatus
from learners.services.job_log import error_text
from learners.tasks import reminders_send_task, retention_run_task
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

from .smtp import closed_port, use_smtp
from .test_reminders import TODAY, consenting, register, tomorrow  # noqa: F401

pytestmark = pytest.mark.django_db


def test_success_row(world):
    result = retention_run_task.apply(kwargs={"today": "2026-03-16"}).get()
    run = JobRun.objects.get()
    assert run.name == "retention"
    assert run.status == JobStatus.OK
    assert run.attempts == 1
    assert run.task_id
    assert run.finished_at >= run.started_at
    assert run.summary == result["summary"]
    assert run.summary.startswith("6 personnes anonymisées, ")
    assert run.error == ""
    # No personal data in the summary.
    for person in world.people:
        assert person.first_name not in run.summary


def test_real_smtp_failure_is_logged(structure_a, tomorrow, settings):  # noqa: F811
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    use_smtp(settings, closed_port())
    # Eagerly, Celery's autoretry raises Retry instead of running again: logged as failed.
    with pytest.raises(Retry):
        reminders_send_task.apply(kwargs={"today": TODAY.isoformat()})
    run = JobRun.objects.get()
    assert run.name == "reminders"
    assert run.status == JobStatus.FAILED
    assert run.finished_at is not None
    assert run.error.startswith("ConnectionRefusedError")
    assert "anne@example.org" not in run.error


def test_command_failure_is_logged_and_reported_in_french(structure_a, tomorrow, settings):  # noqa: F811
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    use_smtp(settings, closed_port())
    with pytest.raises(CommandError, match="La tâche a échoué : ConnectionRefusedError"):
        call_command("send_reminders", "--today", TODAY.isoformat())
    run = JobRun.objects.get()
    assert (run.status, run.origin) == (JobStatus.FAILED, "commande")


def test_error_text_masks_personal_data():
    error = RuntimeError(
        "{'jeanne.martin@example.org': (550, b'User unknown')} rappel 06 12 34 56 78, "
        "+33 6 12 34 56 78 ; serveur 127.0.0.1:2525"
    )
    text = error_text(error)
    assert "jeanne.martin" not in text and "example.org" not in text
    assert "06 12" not in text and "+33" not in text
    assert "[courriel]" in text and "[numéro]" in text
    assert "127.0.0.1:2525" in text  # technical details stay readable


# --- Admin page ----------------------------------------------------------------------------

URL = reverse("learners_jobs")


@pytest.fixture
def runs(db):
    now = timezone.now()
    ok = JobRun.objects.create(
        name="reminders",
        started_at=now - datetime.timedelta(hours=3),
        finished_at=now - datetime.timedelta(hours=3),
        status=JobStatus.OK,
        summary="3 envoyés, 0 déjà envoyé",
    )
    failed = JobRun.objects.create(
        name="retention",
        started_at=now - datetime.timedelta(hours=1),
        finished_at=now - datetime.timedelta(hours=1),
        status=JobStatus.FAILED,
        attempts=6,
        error="OperationalError: database is locked",
    )
    stale = JobRun.objects.create(
        name="weekly_digest",
        started_at=now - datetime.timedelta(hours=5),
        status=JobStatus.RUNNING,
    )
    return ok, failed, stale


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", 200),
        ("counsellor_a", 403),
        ("partner_editor", 403),
        ("anonymous", "login"),
    ],
)
def test_page_for_coordinators_only(client, request, runs, role, expected):
    login(client, request, role)
    response = client.get(URL)
    if expected == "login":
        assert_login_redirect(response)
    elif expected == 403:
        assert_refused(response)
        assert "database is locked" not in response.content.decode()
    else:
        assert response.status_code == 200


def test_failures_highlighted(client, coordinator, runs):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert 'class="prv-row-failed"' in html
    assert "Échec" in html
    assert "OperationalError: database is locked" in html
    assert "3 envoyés, 0 déjà envoyé" in html
    assert "Interrompue ?" in html  # the run "en cours" for 5 hours
    assert "Durée de conservation : anonymisation et purges" in html
    only_failures = client.get(URL + "?echecs=1").content.decode()
    assert "database is locked" in only_failures
    assert "3 envoyés, 0 déjà envoyé" not in only_failures


def test_page_query_count_does_not_grow(client, coordinator, runs, django_assert_max_num_queries):
    client.force_login(coordinator)
    client.get(URL)
    with django_assert_max_num_queries(40) as small:
        client.get(URL)
    now = timezone.now()
    JobRun.objects.bulk_create(
        [
            JobRun(name="reminders", started_at=now, status=JobStatus.FAILED, error="x")
            for _i in range(30)
        ]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_home_panel_shows_recent_failures_to_coordinators(client, coordinator, counsellor_a, runs):
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tâches de fond en échec" in html
    assert URL + "?echecs=1" in html
    client.force_login(counsellor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tâches de fond en échec" not in html
    assert URL not in html  # no menu item either
