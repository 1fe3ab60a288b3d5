"""An erased person's name is nowhere in the imports: not in a preview waiting for
confirmation, nor in a finished job's flagged lines or error messages, nor in a file name,
nor in MEDIA_ROOT; and every import's file name is neutral after a day anyway."""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from learners.imports import import_job_confirm, import_job_create, import_jobs_expire
from learners.models import ImportJob, ImportStatus, Learner
from learners.services.privacy import learner_anonymize, retention_run
from tests.learners.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Prénom", "Nom", "Courriel", "Accord pour être contactée"]
TRACES = ("dupont", "jeanne", "jeanne.dupont@example.org")


def row(first, last, email=""):
    return [first, last, email, "oui" if email else ""]


def _upload(user, filename, rows):
    job = import_job_create(
        user=user, kind="people", filename=filename, content=csv_bytes([HEADER, *rows])
    )
    assert job.status == ImportStatus.READY, job.errors
    return job


def _job_text(job: ImportJob) -> str:
    """Everything an import job row holds, as one lower-case text."""
    return " ".join(
        [
            job.original_name,
            json.dumps(job.preview, ensure_ascii=False),
            json.dumps(job.errors, ensure_ascii=False),
            json.dumps(job.summary, ensure_ascii=False),
            bytes(job.content).decode("cp1252", errors="replace"),
        ]
    ).lower()


def _media_traces() -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = Path(folder) / name
            text = (name + " " + path.read_bytes().decode("latin-1")).lower()
            found += [f"{path}: {trace}" for trace in TRACES if trace in text]
    return found


def test_erased_person_is_nowhere_in_the_imports(counsellor_a):
    jeanne = row("Jeanne", "Dupont", "jeanne.dupont@example.org")
    first = _upload(counsellor_a, "inscriptions atelier mars.csv", [jeanne, row("Ana", "Roux")])
    import_job_confirm(user=counsellor_a, job=first)
    person = Learner.objects.get(last_name="Dupont")
    # A second file, named after her, with a new e-mail: previewed, not yet confirmed.
    pending = _upload(
        counsellor_a,
        "Dupont Jeanne - mise à jour.csv",
        [row("Jeanne", "Dupont", "j.dupont@example.org"), row("Bo", "Lenoir")],
    )
    assert pending.status == ImportStatus.READY
    assert "dupont" in _job_text(pending)
    # Someone else's pending import, without her: left alone.
    other = _upload(counsellor_a, "ateliers avril.csv", [row("Léa", "Martin")])
    Path(settings.MEDIA_ROOT, "guide.txt").write_text("Guide des ateliers")

    learner_anonymize(user=counsellor_a, learner=person)

    for job in ImportJob.objects.all():
        text = _job_text(job)
        assert not [t for t in TRACES if t in text], (job.status, text)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.CANCELLED
    assert bytes(pending.content) == b"" and pending.preview == {}
    assert pending.original_name == f"import-{pending.pk.hex[:8]}.csv"
    assert "une personne de ce fichier a été effacée" in pending.errors[0]["message"]
    # Confirming the cancelled preview cannot write her back.
    with pytest.raises(Exception, match="n'attend plus de confirmation"):
        import_job_confirm(user=counsellor_a, job=pending)
    assert not Learner.objects.filter(last_name="Dupont").exists()
    other.refresh_from_db()
    assert other.status == ImportStatus.READY and other.original_name == "ateliers avril.csv"
    assert "martin" in _job_text(other)
    first.refresh_from_db()
    assert first.status == ImportStatus.DONE and first.summary  # the counts stay
    assert _media_traces() == []


def test_a_person_only_in_the_file_beyond_the_preview_is_found(counsellor_a):
    """The preview shows sample lines; the file itself is searched too."""
    import_job_confirm(
        user=counsellor_a, job=_upload(counsellor_a, "a.csv", [row("Jeanne", "Dupont")])
    )
    person = Learner.objects.get(last_name="Dupont")
    rows = [row(f"Prénom{i}", f"Nom{i}") for i in range(60)] + [row("JEANNE", "DUPONT")]
    pending = _upload(counsellor_a, "b.csv", rows)
    ImportJob.objects.filter(pk=pending.pk).update(preview={})  # nothing of her in the preview
    learner_anonymize(user=counsellor_a, learner=person)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.CANCELLED and bytes(pending.content) == b""


def test_retention_erases_what_imports_hold_after_a_day(counsellor_a):
    job = _upload(counsellor_a, "Dupont Jeanne.csv", [row("Jeanne", "Dupont")])
    done = _upload(counsellor_a, "Martin Léa.csv", [row("Léa", "Martin")])
    import_job_confirm(user=counsellor_a, job=done)
    ImportJob.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert retention_run().import_jobs_expired == 2
    for job in ImportJob.objects.all():
        assert job.original_name == f"import-{job.pk.hex[:8]}.csv"
        assert job.preview == {} and job.errors == [] and bytes(job.content) == b""
    assert import_jobs_expire() == 0  # nothing left to do: idempotent
