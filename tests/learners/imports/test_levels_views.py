"""The import preview with levels: failing rows listed (capped), formula cells flagged,
the levels counted, confirmed in one go; as each role."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import ImportJob, ImportStatus, Observation

from .conftest import assert_refused, csv_bytes
from .test_levels_import import sheet_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client, content, name):
    return client.post(
        reverse("learners_import_upload", args=["attendance"]),
        {"file": SimpleUploadedFile(name, content)},
    )


def page_text(client, url) -> str:
    html = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


def test_preview_counts_levels_flags_formulas_and_confirms(client, counsellor_a, socle):
    rows = sheet_rows(as_text=True)
    rows[1][6] = "=1+1"  # typed as text (an XLSX formula cell is read as its value)
    client.force_login(counsellor_a)
    response = upload(client, csv_bytes(rows), "présences et niveaux.csv")
    text = page_text(client, response["Location"])
    assert "Niveaux de compétence 5 0 0 0" in text
    assert "1 cellule à vérifier" in text
    assert "2 Intitulé « =1+1 » Cette cellule commence par « = »" in text
    assert not Observation.objects.exists()

    client.post(response["Location"], {"action": "confirm"})
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert Observation.objects.count() == 5


def test_failing_rows_are_listed_then_counted(client, counsellor_a, socle):
    rows = [["Prénom", "Nom", "Date", "Type de séance", "S2.2"]]
    rows += [[f"P{n}", "X", "02/12/2025", "Atelier", "peut-être"] for n in range(130)]
    client.force_login(counsellor_a)
    response = upload(client, csv_bytes(rows), "niveaux.csv")
    text = page_text(client, response["Location"])
    assert "130 erreurs : rien n'a été importé." in text
    assert "2 S2.2 « peut-être » Niveau inconnu. Valeurs admises : « Non acquis »" in text
    assert "101 S2.2 « peut-être »" in text and "102 S2.2" not in text
    assert "… et 30 autres lignes." in text
    assert "Confirmer" not in text


def test_the_preview_as_each_role(
    client, counsellor_a, counsellor_b, coordinator, partner_editor, socle
):
    client.force_login(counsellor_a)
    location = upload(client, xlsx_bytes(sheet_rows()), "n.xlsx")["Location"]
    client.force_login(counsellor_b)
    assert client.get(location).status_code == 404
    client.force_login(coordinator)
    text = page_text(client, location)
    assert "Niveaux de compétence" in text and "Confirmer" not in text  # not the uploader's
    client.force_login(partner_editor)
    assert_refused(client.get(location))
    assert_refused(upload(client, xlsx_bytes(sheet_rows()), "n.xlsx"))
    assert ImportJob.objects.count() == 1 and not Observation.objects.exists()
