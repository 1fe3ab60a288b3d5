"""The processing register page: content from settings, visible to tracking roles."""

import pytest
from django.urls import reverse

from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

pytestmark = pytest.mark.django_db

URL = reverse("learners_processing_register")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", True),
        ("counsellor_a", True),
        ("partner_editor", False),
        ("anonymous", None),
    ],
)
def test_access(client, request, role, allowed):
    login(client, request, role)
    response = client.get(URL)
    if allowed is None:
        assert_login_redirect(response)
    elif allowed:
        assert response.status_code == 200
        assert "Registre des traitements" in response.content.decode()
    else:
        assert_refused(response)


def test_rendered_from_settings(client, coordinator, settings):
    settings.PRIVACY_CONTROLLER = (
        "Vendée Numérique, 40 rue du Maréchal Foch, 85000 La Roche-sur-Yon"
    )
    settings.PRIVACY_DPO_CONTACT = "dpo@vendee-numerique.example"
    settings.RETENTION_MONTHS = 18
    settings.AUDIT_RETENTION_MONTHS = 6
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert "Vendée Numérique, 40 rue du Maréchal Foch" in html
    assert "dpo@vendee-numerique.example" in html
    assert "Fiches des personnes : 18 mois après la dernière activité" in html
    assert "Journal des accès aux fiches : 6 mois" in html
    # The agenda's sign-ups and appointment requests, with the retention job's durations.
    assert "prénom effacé 18 mois après la séance" in html
    assert "Demandes de rendez-vous : effacées 30 jours après avoir été traitées" in html
    assert "le prestataire d&#x27;envoi des SMS" in html or "prestataire d'envoi des SMS" in html
    for heading in (
        "Finalités",
        "Base légale",
        "Personnes concernées et données",
        "Destinataires",
        "Durées de conservation",
        "Mesures de sécurité",
        "Droits des personnes et comment les exercer",
    ):
        assert heading in html
    assert "@page { size: A4" in html


def test_placeholders_say_to_fill_them_in(client, coordinator):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert "À renseigner : nom et adresse de la structure responsable du traitement" in html
    assert "À renseigner : adresse électronique ou postale du délégué" in html


def test_menu_item_for_counsellors(client, counsellor_a):
    client.force_login(counsellor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert URL in html
