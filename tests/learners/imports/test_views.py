"""The admin screens of imports: upload checks, preview, confirm, "Mes imports", roles."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import ImportJob, ImportStatus, Learner
from tests.factories.learners import LearnerFactory

from .conftest import assert_refused, csv_bytes

pytestmark = pytest.mark.django_db

PEOPLE_ROWS = [
    ["Prénom", "Nom", "Année de naissance", "Code INSEE", "Informée le"],
    ["Hélène", "Durand", "1948", "85191", "25/03/2024"],
    ["Marc", "Petit", "1962", "85191", "2024-03-26"],
]


def upload(client, kind, content, name="tableau.csv", **data):
    return client.post(
        reverse("learners_import_upload", args=[kind]),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_upload_preview_confirm_and_my_imports(client, counsellor_a, roche):
    client.force_login(counsellor_a)
    response = upload(client, "people", csv_bytes(PEOPLE_ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_import_job", kwargs={"job_id": job.pk})
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Aperçu : ce qui sera enregistré" in html
    assert "Confirmer l&#x27;import" in html or "Confirmer l'import" in html
    assert Learner.objects.count() == 0

    response = client.post(response["Location"], {"action": "confirm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Learner.objects.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "Résultat" in html and "Import terminé." in html

    listing = client.get(reverse("learners_imports")).content.decode()
    assert "tableau.csv" in listing and "Terminé" in listing
    # Confirming twice does nothing more.
    client.post(reverse("learners_import_job", kwargs={"job_id": job.pk}), {"action": "confirm"})
    assert Learner.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "tableau.csv", "n'est pas un fichier CSV"),
        (b"Prenom;Nom\nA;B\n", "tableau.xlsx", "n'est pas un vrai classeur Excel"),
        (b"MZ\x90\x00\x03", "programme.exe", "Choisissez un fichier .csv ou .xlsx"),
        (b"PK\x03\x04garbage", "tableau.csv", "n'est pas un fichier CSV"),
    ],
    ids=["png-named-csv", "text-named-xlsx", "exe", "zip-named-csv"],
)
def test_forged_or_binary_files_get_a_french_message(client, counsellor_a, content, name, message):
    client.force_login(counsellor_a)
    response = upload(client, "people", content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ImportJob.objects.exists()


def test_errors_are_shown_with_row_and_column(client, counsellor_a, roche):
    client.force_login(counsellor_a)
    rows = [*PEOPLE_ROWS, ["Zoé", "Roux", "1999", "85191", "31/02/2024"]]
    response = upload(client, "people", csv_bytes(rows))
    html = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert "1 erreur : rien n'a été importé." in html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # The failing row: line, column in French, the value read, the message.
    assert "4 Informée le « 31/02/2024 » Date non reconnue" in text
    assert "Confirmer" not in html
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_roles_on_the_import_screens(
    client, counsellor_a, counsellor_b, coordinator, partner_editor, roche
):
    client.force_login(counsellor_a)
    upload(client, "people", csv_bytes(PEOPLE_ROWS))
    job = ImportJob.objects.get()
    url = reverse("learners_import_job", kwargs={"job_id": job.pk})

    client.force_login(counsellor_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "confirm"}).status_code == 404
    assert "tableau.csv" not in client.get(reverse("learners_imports")).content.decode()

    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert_refused(client.post(url, {"action": "confirm"}))  # not the uploader
    assert "tableau.csv" in client.get(reverse("learners_imports") + "?tous=1").content.decode()

    client.force_login(partner_editor)
    for target in (
        url,
        reverse("learners_imports"),
        reverse("learners_import_upload", args=["people"]),
    ):
        assert_refused(client.get(target))
    assert_refused(upload(client, "people", csv_bytes(PEOPLE_ROWS)))

    client.logout()
    response = client.get(reverse("learners_imports"))
    assert response.status_code == 302 and "login" in response["Location"]
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    assert Learner.objects.count() == 0


def test_cancel_erases_the_file(client, counsellor_a, roche):
    client.force_login(counsellor_a)
    upload(client, "people", csv_bytes(PEOPLE_ROWS))
    job = ImportJob.objects.get()
    client.post(reverse("learners_import_job", kwargs={"job_id": job.pk}), {"action": "cancel"})
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert bytes(job.content) == b""
    assert Learner.objects.count() == 0


def test_coordinator_default_structure(client, coordinator, structure_b, roche):
    client.force_login(coordinator)
    response = upload(client, "people", csv_bytes(PEOPLE_ROWS), structure=structure_b.pk)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.errors
    client.post(response["Location"], {"action": "confirm"})
    assert set(Learner.objects.values_list("structure_id", flat=True)) == {structure_b.pk}


def test_coordinator_without_structure_gets_row_errors(client, coordinator, roche):
    client.force_login(coordinator)
    upload(client, "people", csv_bytes(PEOPLE_ROWS))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert "indiquez la structure" in job.errors[0]["message"]


def test_export_links_on_the_index(client, counsellor_a):
    client.force_login(counsellor_a)
    html = client.get(reverse("learners_imports")).content.decode()
    for kind in ("people", "sessions", "attendance", "venues", "observations"):
        url = reverse("learners_export", args=[kind])
        assert f"{url}?format=csv" in html and f"{url}?format=xlsx" in html
    assert reverse("learners_export", args=["activity"]) in html


def test_xlsx_upload(client, counsellor_a, roche):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in PEOPLE_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(counsellor_a)
    upload(client, "people", buffer.getvalue(), name="Tableau.XLSX")
    job = ImportJob.objects.get()
    assert job.file_format == "xlsx"
    assert job.summary["entities"]["person"]["create"] == 2


def test_counsellor_sees_matched_people_in_the_preview(client, counsellor_a, structure_a, roche):
    LearnerFactory(structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=1948)
    client.force_login(counsellor_a)
    response = upload(client, "people", csv_bytes(PEOPLE_ROWS))
    html = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert "Personnes signalées" in html
    assert "même personne qu'une fiche existante (Hélène D. (1948))" in html
