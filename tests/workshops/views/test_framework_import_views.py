"""Framework export and import pages in the admin: preview, confirmation, permissions."""

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.workshops.views.conftest import assert_refused
from workshops.models import Competence, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def crcn():
    return Framework.objects.get(slug="crcn")


def export_url(framework, kind="competences", fmt="csv"):
    return reverse("frameworks:export", kwargs={"pk": framework.pk, "kind": kind, "fmt": fmt})


def import_url(framework):
    return reverse("frameworks:import", args=[framework.pk])


def test_coordinator_exports_csv_and_xlsx(client, coordinator, crcn):
    client.force_login(coordinator)
    response = client.get(export_url(crcn))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="crcn-competences.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Référentiel;Code domaine;Domaine;Code compétence;Compétence;Je sais faire"
    )
    response = client.get(export_url(crcn, "levels", "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Référentiel", "Rang", "Niveau", "Palier")
    assert len(rows) == 9


def test_unknown_export_kind_is_refused(client, coordinator, crcn):
    client.force_login(coordinator)
    response = client.get(
        reverse("frameworks:export", kwargs={"pk": crcn.pk, "kind": "people", "fmt": "csv"})
    )
    assert_refused(response)


@pytest.mark.parametrize("role", ["counsellor", "partner"])
def test_other_roles_may_neither_export_nor_import(client, request, role, crcn):
    client.force_login(request.getfixturevalue(role))
    assert_refused(client.get(export_url(crcn)))
    assert_refused(client.get(import_url(crcn)))
    before = Competence.objects.count()
    upload = SimpleUploadedFile(
        "ajout.csv",
        "Référentiel;Code domaine;Domaine;Code compétence;Compétence\n"
        "crcn;5;Environnement numérique;5.9;Intrusion\n".encode(),
    )
    assert_refused(client.post(import_url(crcn), {"file": upload}))
    assert Competence.objects.count() == before


def edited_export(client, crcn) -> bytes:
    text = client.get(export_url(crcn)).content.decode("utf-8-sig")
    text = text.replace("Gérer des données", "Ranger ses fichiers")
    text += "crcn;5;Environnement numérique;5.3;Utiliser une imprimante;Je sais imprimer.\r\n"
    return text.encode("utf-8-sig")


def test_preview_writes_nothing_then_confirmation_imports(client, coordinator, crcn):
    client.force_login(coordinator)
    assert "Déposer un fichier" in unescape(client.get(import_url(crcn)).content.decode())
    upload = SimpleUploadedFile("crcn.csv", edited_export(client, crcn), content_type="text/csv")
    response = client.post(import_url(crcn), {"file": upload})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Aperçu avant import" in html
    assert "1 à créer, 1 à modifier, 15 sans changement." in html
    assert "Compétence : « Gérer des données » → « Ranger ses fichiers »" in html
    assert "5.3 Utiliser une imprimante" in html
    assert not Competence.objects.filter(code="5.3").exists()
    assert Competence.objects.get(framework=crcn, code="1.2").name == "Gérer des données"

    token = response.context["token"]
    response = client.post(import_url(crcn), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:edit", args=[crcn.pk])
    assert Competence.objects.get(framework=crcn, code="1.2").name == "Ranger ses fichiers"
    assert Competence.objects.filter(framework=crcn, code="5.3").exists()
    messages = [str(m).strip() for m in response.wsgi_request._messages]
    assert messages == ["Import terminé. Créations : 1, modifications : 1, sans changement : 15."]
    # The token is single use.
    response = client.post(import_url(crcn), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == import_url(crcn)


def test_a_token_from_another_user_is_useless(client, coordinator, crcn):
    from tests.factories.editorial import UserFactory
    from workshops import roles

    client.force_login(coordinator)
    upload = SimpleUploadedFile("crcn.csv", edited_export(client, crcn))
    token = client.post(import_url(crcn), {"file": upload}).context["token"]
    client.force_login(UserFactory(groups=[roles.COORDINATORS]))
    client.post(import_url(crcn), {"token": token})
    assert not Competence.objects.filter(code="5.3").exists()


def test_bad_file_shows_french_errors_and_no_confirm_button(client, coordinator, crcn):
    client.force_login(coordinator)
    content = edited_export(client, crcn).decode("utf-8-sig")
    content += "crcn;5;Environnement numérique;;Sans code;\r\n"
    upload = SimpleUploadedFile("crcn.csv", content.encode())
    response = client.post(import_url(crcn), {"file": upload})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Le fichier contient 1 erreur : rien n'a été importé." in html
    assert "Ligne 19, colonne « Code compétence » : valeur manquante." in html
    assert 'name="token"' not in html
    assert not Competence.objects.filter(code="5.3").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "Choisissez un fichier .csv ou .xlsx"),
        ("faux.xlsx", b"pas un classeur", "n'est pas un vrai classeur Excel (.xlsx)"),
        ("casse.csv", b'"crcn;1\n', "Le fichier CSV est mal formé vers la ligne 1"),
        ("noms.csv", b"Nom;Prenom\nMartin;Camille\n", "Colonnes non reconnues"),
    ],
)
def test_unreadable_uploads(client, coordinator, crcn, name, content, message):
    client.force_login(coordinator)
    response = client.post(import_url(crcn), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in unescape(response.content.decode())


def test_framework_edit_page_offers_import_and_export(client, coordinator, crcn):
    client.force_login(coordinator)
    html = client.get(reverse("frameworks:edit", args=[crcn.pk])).content.decode()
    assert import_url(crcn) in html
    assert export_url(crcn, "competences", "xlsx") in html
    listing = client.get(reverse("frameworks:index")).content.decode()
    assert export_url(crcn, "levels", "csv") in listing
