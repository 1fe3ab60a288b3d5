"""The retention job: exactly the inactive people, statistics identical, idempotent, audit
rows purged."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from learners.choices import AttendanceStatus, AuditAction
from learners.models import AuditLog, JobRun, JobStatus, Learner
from learners.selectors.statistics import StatisticsFilters, statistics_compute
from learners.services import privacy
from learners.services.privacy import (
    audit_log_purge,
    learners_anonymize_inactive,
    learners_inactive,
    learners_retention_run,
    months_before,
    retention_cutoff,
)
from learners.tasks import retention_run_task
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)


def local(day: datetime.date, hour=0, minute=0, second=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 16), 12, datetime.date(2025, 3, 16)),
        (datetime.date(2025, 3, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2026, 1, 10), 3, datetime.date(2025, 10, 10)),
        (datetime.date(2026, 1, 10), 24, datetime.date(2024, 1, 10)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_boundary_one_day_either_side(structure_a, settings):
    settings.RETENTION_MONTHS = 12
    cutoff_day = datetime.date(2025, 3, 16)
    assert retention_cutoff(today=TODAY) == local(cutoff_day)

    def person(when):
        return LearnerFactory(structure=structure_a, last_activity_at=when)

    day_before_end = person(local(cutoff_day - datetime.timedelta(days=1), 23, 59, 59))
    two_days = person(local(cutoff_day - datetime.timedelta(days=2), 10))
    at_cutoff = person(local(cutoff_day))
    cutoff_evening = person(local(cutoff_day, 23, 59))
    day_after = person(local(cutoff_day + datetime.timedelta(days=1), 9))
    recent = person(timezone.now())
    # Old activity date but registered for a session after the cutoff: kept.
    registered = person(local(datetime.date(2024, 1, 5)))
    AttendanceFactory(
        learner=registered,
        session=SessionFactory(structure=structure_a, start=at(TODAY + datetime.timedelta(days=3))),
        status=AttendanceStatus.REGISTERED,
    )

    assert learners_retention_run(today=TODAY) == 2
    anonymized = set(
        Learner.objects.filter(anonymized_at__isnull=False).values_list("pk", flat=True)
    )
    assert anonymized == {day_before_end.pk, two_days.pk}
    for kept in (at_cutoff, cutoff_evening, day_after, recent, registered):
        assert not Learner.objects.get(pk=kept.pk).is_anonymized

    # The next day, the person last active on the cutoff day goes too.
    assert learners_retention_run(today=TODAY + datetime.timedelta(days=1)) == 2
    assert Learner.objects.get(pk=at_cutoff.pk).is_anonymized
    assert Learner.objects.get(pk=cutoff_evening.pk).is_anonymized
    assert not Learner.objects.get(pk=day_after.pk).is_anonymized


def test_retention_months_setting_is_read(structure_a, settings):
    person = LearnerFactory(
        structure=structure_a, last_activity_at=local(datetime.date(2025, 12, 1))
    )
    settings.RETENTION_MONTHS = 12
    assert learners_retention_run(today=TODAY) == 0
    settings.RETENTION_MONTHS = 3
    assert learners_retention_run(today=TODAY) == 1
    assert Learner.objects.get(pk=person.pk).is_anonymized


def test_idempotent_and_batched(world):
    assert learners_anonymize_inactive(today=TODAY, batch_size=4) == len(world.people)
    rows = AuditLog.objects.filter(action=AuditAction.ANONYMIZE).count()
    assert rows == len(world.people)
    network_ids = set(Learner.objects.values_list("network_id", flat=True))
    assert learners_retention_run(today=TODAY) == 0
    assert AuditLog.objects.filter(action=AuditAction.ANONYMIZE).count() == rows
    assert set(Learner.objects.values_list("network_id", flat=True)) == network_ids


def test_a_spent_budget_leaves_the_rest_to_follow_up_tasks(world, settings, monkeypatch):
    """A first run on a large database stops between batches once its time budget is
    spent and queues a follow-up for the same day; the pieces anonymise everyone once."""
    settings.JOBS_SEND_BUDGET_SECONDS = 0  # one batch per piece
    monkeypatch.setattr(privacy, "RETENTION_BATCH", 2)
    result = retention_run_task.delay(today=TODAY.isoformat()).get()
    assert result["anonymized"] == 2 and result["remaining"] is True
    assert not learners_inactive(today=TODAY).exists()
    runs = JobRun.objects.filter(name="retention")
    assert runs.count() == (len(world.people) + 1) // 2
    assert {run.status for run in runs} == {JobStatus.OK}


def test_bounded_queries_per_batch(world, django_assert_max_num_queries):
    # One batch costs the same whatever its size (bulk writes, no query per person; one of
    # them looks through the day's import jobs for the people erased; two erase their
    # sign-ups and appointment requests on the agenda; one withdraws their attestations).
    with django_assert_max_num_queries(16):
        assert learners_anonymize_inactive(today=TODAY, batch_size=500) == 6


def _raw_figures() -> dict:
    """Hand-written SQL over the raw tables: what the dashboard is made of."""
    queries = {
        "people": (
            "SELECT COUNT(DISTINCT learner_id) FROM learners_attendance WHERE status='present'"
        ),
        "sessions": "SELECT COUNT(*) FROM learners_session",
        "presences": "SELECT COUNT(*) FROM learners_attendance WHERE status='present'",
        "by_birth_year": (
            "SELECT l.birth_year, COUNT(DISTINCT l.id) FROM learners_learner l "
            "JOIN learners_attendance a ON a.learner_id = l.id AND a.status='present' "
            "GROUP BY l.birth_year ORDER BY l.birth_year"
        ),
        "by_gender": (
            "SELECT l.gender, COUNT(DISTINCT l.id) FROM learners_learner l "
            "JOIN learners_attendance a ON a.learner_id = l.id AND a.status='present' "
            "GROUP BY l.gender ORDER BY l.gender"
        ),
        "by_status": (
            "SELECT l.social_status, COUNT(DISTINCT l.id) FROM learners_learner l "
            "JOIN learners_attendance a ON a.learner_id = l.id AND a.status='present' "
            "GROUP BY l.social_status ORDER BY l.social_status"
        ),
        "by_commune": (
            "SELECT l.commune_id, COUNT(DISTINCT l.id) FROM learners_learner l "
            "JOIN learners_attendance a ON a.learner_id = l.id AND a.status='present' "
            "GROUP BY l.commune_id ORDER BY l.commune_id"
        ),
        "observations": "SELECT COUNT(*) FROM learners_observation",
        "summaries": ("SELECT COUNT(*), SUM(levels_gained) FROM learners_competencesummary"),
    }
    figures = {}
    with connection.cursor() as cursor:
        for key, sql in queries.items():
            cursor.execute(sql)
            figures[key] = [tuple(row) for row in cursor.fetchall()]
    return figures


def test_dashboard_figures_identical_before_and_after(world, coordinator, counsellor_a):
    year = StatisticsFilters.year(2024)
    by_commune = StatisticsFilters.year(2024, commune_code=world.communes[0].pk)
    before = {
        "network": statistics_compute(user=coordinator, filters=year),
        "commune": statistics_compute(user=coordinator, filters=by_commune),
        "structure": statistics_compute(user=counsellor_a, filters=year),
    }
    raw_before = _raw_figures()
    assert before["network"]["people"] == 6
    assert before["network"]["presences"] == 12

    assert learners_retention_run(today=TODAY) == len(world.people)
    assert not Learner.objects.filter(anonymized_at__isnull=True).exists()

    after = {
        "network": statistics_compute(user=coordinator, filters=year),
        "commune": statistics_compute(user=coordinator, filters=by_commune),
        "structure": statistics_compute(user=counsellor_a, filters=year),
    }
    assert after == before
    assert _raw_figures() == raw_before


def test_audit_rows_purged_after_their_retention(world, settings):
    settings.AUDIT_RETENTION_MONTHS = 6
    person = world.people[1]
    old = AuditLog.objects.create(action=AuditAction.READ, learner=person, detail="ancienne")
    kept = AuditLog.objects.create(action=AuditAction.READ, learner=person, detail="récente")
    AuditLog.objects.filter(pk=old.pk).update(created_at=local(datetime.date(2025, 9, 15), 23))
    AuditLog.objects.filter(pk=kept.pk).update(created_at=local(datetime.date(2025, 9, 16), 0))
    assert audit_log_purge(today=TODAY) == 1
    assert not AuditLog.objects.filter(pk=old.pk).exists()
    assert AuditLog.objects.filter(pk=kept.pk).exists()


def test_command(world, capsys):
    call_command("anonymize_inactive", "--today", TODAY.isoformat(), "--dry-run")
    assert "6 personnes sans activité depuis 12 mois seraient anonymisées" in (
        capsys.readouterr().out
    )
    assert not Learner.objects.filter(anonymized_at__isnull=False).exists()
    call_command("anonymize_inactive", "--today", TODAY.isoformat())
    assert "6 personnes anonymisées" in capsys.readouterr().out
    assert Learner.objects.filter(anonymized_at__isnull=False).count() == 6


def test_command_rejects_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("anonymize_inactive", "--today", "16/03/2026")
