"""The lists offer their export, and the link exports exactly what the list shows."""

import pytest
from django.urls import reverse

from tests.factories.learners import CounsellorFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_people_list_links_to_its_scoped_export(client):
    counsellor = CounsellorFactory()
    LearnerFactory(first_name="Hélène", last_name="Durand", structure=counsellor.structure)
    LearnerFactory(first_name="Hélène", last_name="Autrestructure")
    client.force_login(counsellor.user)
    html = client.get(reverse("learners_people"), {"q": "helene"}).content.decode()
    export_url = reverse("learners_export", args=["people"])
    assert f"{export_url}?format=csv&amp;q=helene" in html
    response = client.get(export_url, {"format": "csv", "q": "helene"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    text = body.decode("utf-8-sig")
    assert "Durand" in text
    assert "Autrestructure" not in text
