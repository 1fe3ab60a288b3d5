"""The Coop's files on the imports and exports page: links, upload, preview, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import AnonymousParticipants, ImportJob, ImportStatus, Session
from tests.learners.imports.conftest import assert_refused

from .coop_files import coop_xlsx, line

pytestmark = pytest.mark.django_db


def test_links_upload_preview_and_confirm(client, counsellor_a, structure_a):
    client.force_login(counsellor_a)
    html = client.get(reverse("learners_imports")).content.decode()
    assert reverse("learners_export", args=["coop_activity"]) in html
    assert reverse("learners_export", args=["coop_people"]) + "?format=xlsx" in html
    upload_url = reverse("learners_import_upload", args=["coop_activity"])
    assert upload_url in html
    page = client.get(upload_url).content.decode()
    assert "ID CRA" in page and "La Coop" in page
    content = coop_xlsx(
        [
            line(
                Bénéficiaire="Bénéficiaire anonyme",
                **{"ID CRA": "a1", "Canaux d’accompagnement": "À distance"},
            )
        ]
    )
    response = client.post(upload_url, {"file": SimpleUploadedFile("coop-activites.xlsx", content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.READY, job.errors
    preview = client.get(response["Location"]).content.decode()
    assert "Participants anonymes" in preview and not Session.objects.exists()
    client.post(response["Location"], {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Session.objects.get(external_id="a1").structure == structure_a
    assert AnonymousParticipants.objects.get().count == 1


def test_partner_editor_cannot_upload(client, partner_editor):
    client.force_login(partner_editor)
    assert_refused(client.get(reverse("learners_import_upload", args=["coop_activity"])))
