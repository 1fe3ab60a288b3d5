"""Import jobs are read through selectors: the uploader sees their own, a coordinator every
job (only when asking for all of them in the list), anyone else's job looks missing."""

import uuid

import pytest

from learners.models import ImportJob, ImportKind
from learners.selectors.imports import import_job_get_for_user, import_jobs_for_user

pytestmark = pytest.mark.django_db


def _job(user) -> ImportJob:
    return ImportJob.objects.create(
        kind=ImportKind.PEOPLE,
        created_by=user,
        original_name="personnes.csv",
        file_format="csv",
        content=b"secret",
    )


def test_jobs_list_is_the_users_own_unless_a_coordinator_asks_for_all(
    counsellor_a, counsellor_b, coordinator
):
    own, other = _job(counsellor_a), _job(counsellor_b)
    assert list(import_jobs_for_user(user=counsellor_a)) == [own]
    # Asking for all is a coordinator's right only.
    assert list(import_jobs_for_user(user=counsellor_a, show_all=True)) == [own]
    assert set(import_jobs_for_user(user=coordinator, show_all=True)) == {own, other}
    assert list(import_jobs_for_user(user=coordinator)) == []


def test_jobs_list_never_loads_the_file(counsellor_a):
    _job(counsellor_a)
    (job,) = import_jobs_for_user(user=counsellor_a)
    assert "content" in job.get_deferred_fields()


def test_one_job_out_of_scope_looks_missing(counsellor_a, counsellor_b, coordinator):
    job = _job(counsellor_a)
    assert import_job_get_for_user(user=counsellor_a, job_id=job.pk) == job
    assert import_job_get_for_user(user=coordinator, job_id=job.pk) == job
    assert import_job_get_for_user(user=counsellor_b, job_id=job.pk) is None
    assert import_job_get_for_user(user=counsellor_a, job_id=uuid.uuid4()) is None
