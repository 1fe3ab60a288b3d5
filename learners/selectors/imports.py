"""Reads of import jobs ("Mes imports"), scoped to who uploaded them.

Whoever uploaded a file sees their own jobs; a coordinator may see every job's status and
errors (the file itself stays with its uploader: the views never show it to others).
The user is a signed-in `User` (admin views), as jobs are filtered on their uploader.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db.models import QuerySet

from learners.models import ImportJob
from learners.roles import is_coordinator


def import_jobs_for_user(*, user: User, show_all: bool = False) -> QuerySet[ImportJob]:
    """The user's import jobs, or every job for a coordinator asking for all of them;
    without the file's content and preview (a list never shows them)."""
    jobs = ImportJob.objects.select_related("created_by").defer("content", "preview")
    if show_all and is_coordinator(user):
        return jobs
    return jobs.filter(created_by=user)


def import_job_get_for_user(*, user: User, job_id: uuid.UUID) -> ImportJob | None:
    """One job with its uploader and structure: the user's own, any for a coordinator;
    None otherwise (absent and out of scope give the same answer)."""
    job = ImportJob.objects.select_related("created_by", "structure").filter(pk=job_id)
    if not is_coordinator(user):
        job = job.filter(created_by=user)
    return job.first()
