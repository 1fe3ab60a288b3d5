"""The issue's check scenario, as a new user would do it, and the people import's rules."""

import pytest

from learners.choices import AuditAction
from learners.imports import import_job_confirm, import_job_create
from learners.models import AuditLog, ImportStatus, Learner, LearnerStructure
from learners.services.exports import export_build
from tests.factories.learners import LearnerFactory

from .conftest import csv_bytes, csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_a(structure_a, roche):
    return [
        LearnerFactory(
            structure=structure_a,
            first_name=first,
            last_name=last,
            birth_year=year,
            commune=roche,
        )
        for first, last, year in (
            ("Hélène", "Durand", 1948),
            ("Jean-Pierre", "Martin", 1955),
            ("Zoé", "Lefèvre", 2001),
        )
    ]


def test_export_edit_in_french_spreadsheet_and_reimport(counsellor_a, people_a, sables):
    exported = export_build(user=counsellor_a, kind="people", format="csv")
    rows = csv_rows(exported.content)
    header = rows[0]
    assert header[:3] == ["Identifiant réseau", "Identifiant externe", "Prénom"]
    # As French Excel saves it: `;`, Windows-1252, dates dd/mm/yyyy (already so).
    helene = next(row for row in rows if row[header.index("Prénom")] == "Hélène")
    helene[header.index("Code INSEE")] = "85194"
    helene[header.index("Commune")] = "Les Sables-d'Olonne"
    blank = dict.fromkeys(header, "")
    for first, last, year in (("Éloïse", "Garnier", "1990"), ("Marc", "Petit", "1962")):
        new = dict(blank, **{"Prénom": first, "Nom": last, "Année de naissance": year})
        new["Code INSEE"] = "85194"
        rows.append([new[h] for h in header])
    content = csv_bytes(rows)
    assert b"\xc9lo\xefse" in content  # really Windows-1252

    job = import_job_create(
        user=counsellor_a, kind="people", filename="personnes.csv", content=content
    )
    assert job.status == ImportStatus.READY, job.errors
    counts = job.summary["entities"]["person"]
    assert (counts["update"], counts["create"], counts["unchanged"]) == (1, 2, 2)
    update_line = next(line for line in job.preview["lines"] if line["action"] == "update")
    assert update_line["changes"] == [
        "Commune : « La Roche-sur-Yon (85191) » → « Les Sables-d'Olonne (85194) »"
    ]
    assert Learner.objects.count() == 3  # nothing written before confirmation

    job = import_job_confirm(user=counsellor_a, job=job)
    assert job.status == ImportStatus.DONE
    assert Learner.objects.count() == 5
    people_a[0].refresh_from_db()
    assert people_a[0].commune_id == "85194"
    new = Learner.objects.get(normalized_first_name="eloise")
    assert new.structure == people_a[0].structure
    assert LearnerStructure.objects.filter(learner=new, structure=new.structure).exists()
    assert AuditLog.objects.filter(learner=new, action=AuditAction.CREATE).exists()
    assert AuditLog.objects.filter(learner=people_a[0], action=AuditAction.UPDATE).exists()
    assert bytes(job.content) == b""  # the file is not kept once imported

    again = import_job_create(
        user=counsellor_a, kind="people", filename="personnes.csv", content=content
    )
    counts = again.summary["entities"]["person"]
    # The two new people now match the records just created: flagged, not duplicated.
    assert counts["create"] == 0 and counts["update"] == 0, again.preview
    assert again.status == ImportStatus.DONE
    assert Learner.objects.count() == 5

    second_export = export_build(user=counsellor_a, kind="people", format="csv")
    third = import_job_create(
        user=counsellor_a,
        kind="people",
        filename="personnes.csv",
        content=csv_bytes(csv_rows(second_export.content)),
    )
    assert third.summary["entities"]["person"] == {
        "create": 0,
        "update": 0,
        "unchanged": 5,
        "skip": 0,
    }
