"""Exports beyond EXPORT_MAX_ROWS are refused in plain French before any work, and a
narrower export then goes through."""

import pytest
from django.test import override_settings
from django.urls import reverse

from learners.choices import AuditAction
from learners.models import AuditLog
from learners.selectors.exports import ExportFilters
from learners.services.exports import KINDS, ExportTooLarge, export_build
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_refused_beyond_the_limit(network, coordinator, kind):
    with override_settings(EXPORT_MAX_ROWS=0), pytest.raises(ExportTooLarge) as caught:
        export_build(user=coordinator, kind=kind, format="csv")
    message = caught.value.messages[0]
    assert message.startswith("Cet export compterait ")
    assert "au-delà de la limite de 0." in message
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_advice_fits_the_list(network, coordinator):
    with override_settings(EXPORT_MAX_ROWS=1):
        with pytest.raises(ExportTooLarge) as people:
            export_build(user=coordinator, kind="people", format="csv")
        with pytest.raises(ExportTooLarge) as attendance:
            export_build(user=coordinator, kind="attendance", format="xlsx")
    assert "Affinez la recherche" in people.value.messages[0]
    assert "Choisissez une période plus courte" in attendance.value.messages[0]
    assert "Cet export compterait 4 lignes" in attendance.value.messages[0]


def test_a_narrower_export_goes_through(network, counsellor_a, structure_a):
    """The limit counts what the user sees: a counsellor's own structure only."""
    LearnerFactory(structure=structure_a, first_name="Zoé")
    with override_settings(EXPORT_MAX_ROWS=3):
        assert export_build(user=counsellor_a, kind="people", format="csv").rows == 3
        with pytest.raises(ExportTooLarge):
            LearnerFactory(structure=structure_a, first_name="Yvonne")
            export_build(user=counsellor_a, kind="people", format="csv")
        filtered = export_build(
            user=counsellor_a, kind="people", format="csv", filters=ExportFilters(query="zoe")
        )
    assert filtered.rows == 1


@override_settings(EXPORT_MAX_ROWS=1)
def test_the_view_sends_back_to_the_list_with_the_message(client, network, counsellor_a):
    client.force_login(counsellor_a)
    people_list = reverse("learners_people")
    url = reverse("learners_export", args=["people"]) + "?format=xlsx"
    response = client.get(url, HTTP_REFERER="http://testserver" + people_list)
    assert response.status_code == 302
    assert response["Location"] == "http://testserver" + people_list
    page = client.get(people_list).content.decode()
    assert "Cet export compterait 2 lignes, au-delà de la limite de 1." in page
    # A referer from elsewhere is not followed.
    response = client.get(url, HTTP_REFERER="https://example.org/")
    assert response["Location"] == reverse("learners_imports")
