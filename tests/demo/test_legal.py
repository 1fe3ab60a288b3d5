"""The demo versions of the legal pages (`demo.legal`): loaded once, never overwriting a
coordinator's edit, saying what a French public site must say."""

import pytest
from wagtail.models import Page

from demo import legal as demo_legal
from home.models import ContentPage

pytestmark = pytest.mark.django_db


def _legal_state():
    return {
        "pages": Page.objects.count(),
        "content": list(
            ContentPage.objects.order_by("footer_order").values_list(
                "slug", "live", "show_in_footer", "latest_revision_id"
            )
        ),
    }


def test_demo_legal_pages_are_loaded_once_and_never_overwrite_an_edit():
    demo_legal.load()
    first = _legal_state()
    assert [row[0] for row in first["content"]] == [
        "mentions-legales",
        "accessibilite",
        "politique-de-confidentialite",
    ]
    assert all(live and footer for _, live, footer, _ in first["content"])
    demo_legal.load()
    assert _legal_state() == first
    # A coordinator's edit survives another load.
    page = ContentPage.objects.get(slug="mentions-legales")
    page.title = "Informations légales"
    page.save_revision().publish()
    demo_legal.load()
    assert ContentPage.objects.get(slug="mentions-legales").title == "Informations légales"
    assert ContentPage.objects.count() == 3


def _text(slug: str) -> str:
    page = ContentPage.objects.get(slug=slug)
    return f"{page.title} {page.intro} {page.body}"


def test_demo_pages_say_what_a_french_public_site_must_say(settings):
    settings.RETENTION_MONTHS = 12
    demo_legal.load()
    legal = _text("mentions-legales")
    for expected in ("Qui publie ce site", "Hébergement", "directrice de la publication"):
        assert expected in legal
    accessibility = _text("accessibilite")
    for expected in (
        "<b>non conforme</b>",
        "RGAA",
        "axe-core",
        "Ce qui n'est pas encore accessible",
        "Signaler un problème",
        "Défenseur des droits",
        "Libre réponse 71120",
    ):
        assert expected in accessibility, expected
    privacy = _text("politique-de-confidentialite")
    for expected in (
        "année de naissance",
        "commune",
        "12 mois après votre dernière venue",
        "sauf si vous êtes d'accord",
        "copie",
        "effacer",
        "CNIL",
        "aucun cookie de publicité",
        "« carnet »",
        "protection des données",
        # README « Backups »: erased people stay in older backups, which the policy says.
        "copies de sauvegarde un an au plus",
    ):
        assert expected in privacy, expected
    # The operator's facts are never invented: each is marked as an example to replace.
    for slug in ("mentions-legales", "accessibilite", "politique-de-confidentialite"):
        text = _text(slug)
        assert "Page de démonstration" in text and "exemple de démonstration" in text
        assert "(e)" not in text


def test_privacy_page_takes_the_configured_controller_dpo_and_retention(settings):
    settings.PRIVACY_CONTROLLER = "Commune de Landeronde, 1 place de la Mairie"
    settings.PRIVACY_DPO_CONTACT = "dpo@landeronde.example"
    settings.RETENTION_MONTHS = 18
    demo_legal.load()
    privacy = _text("politique-de-confidentialite")
    assert "Commune de Landeronde, 1 place de la Mairie" in privacy
    assert "dpo@landeronde.example." in privacy
    assert "18 mois après" in privacy
    assert "adresse de démonstration)" not in privacy.split("protection des données :")[1]


def test_privacy_page_says_what_the_agenda_keeps_and_how_long(settings):
    """The durations are those the retention job applies (learners.services.bookings_privacy)."""
    from learners.services.bookings_privacy import (
        APPOINTMENT_ERASE_DAYS_AFTER_HANDLED,
        APPOINTMENT_ERASE_MONTHS_UNHANDLED,
    )

    settings.RETENTION_MONTHS = 12
    demo_legal.load()
    privacy = _text("politique-de-confidentialite")
    for expected in (
        "pas besoin de compte",
        "effacés le lendemain de la séance",
        "le lendemain de la dernière",
        "tout de suite si vous annulez",
        "votre prénom est effacé 12 mois après la séance",
        f"{APPOINTMENT_ERASE_DAYS_AFTER_HANDLED} jours après avoir été traitée",
        f"{APPOINTMENT_ERASE_MONTHS_UNHANDLED} mois après avoir été faite",
        "« Supprimer mes coordonnées »",
        "« sous-traitant »",
        "Les autres structures ne les voient pas",
    ):
        assert expected in privacy, expected
