"""Attestations in a real Chromium: zero axe violations on the carnet's list, the A4 page
(screen and print) and the public verification page (valid, revoked, garbage pasted);
320 px without horizontal scroll; the form used with the keyboard."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from learners.choices import AttestationName
from learners.services import carnet_issue
from learners.services.attestations import attestation_issue, attestation_revoke
from tests.factories.learners import (
    LearnerFactory,
    StructureFactory,
    counsellor_user,
    observe,
    socle_competences,
)

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued():
    structure = StructureFactory(name="Espace numérique d'Aizenay")
    counsellor = counsellor_user(structure=structure)
    learner = LearnerFactory(
        structure=structure, first_name="Émilienne", last_name="Rousseau", birth_year=1948
    )
    socle = socle_competences()
    day = timezone.localdate() - datetime.timedelta(days=5)
    for competence, rank in ((socle[0], 2), (socle[1], 3), (socle[4], 2)):
        observe(counsellor, learner, competence, rank, day)
    attestation = attestation_issue(
        user=counsellor,
        learner=learner,
        competence_ids=[socle[0].pk, socle[1].pk, socle[4].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    code = carnet_issue(user=counsellor, learner=learner)
    return {"attestation": attestation, "code": code, "counsellor": counsellor}


def _open(page, live_server, code):
    page.goto(live_server.url + "/carnet/")
    page.get_by_label("Code de mon carnet").fill(code)
    page.get_by_role("button", name="Ouvrir mon carnet").click()
    page.wait_for_load_state()


def test_carnet_list_and_a4_page_pass_axe(live_server, browser_page, issued):
    page = browser_page
    _open(page, live_server, issued["code"])
    section = page.locator("#mes-attestations")
    assert section.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Voir et imprimer l'attestation").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Attestation de compétences numériques"
    assert "Émilienne R." in page.content()
    assert "Rousseau" not in page.content()
    assert page.get_by_role("img", name="Code QR vers la page de vérification").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.get_by_role("img", name="Code QR vers la page de vérification").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()


def test_verification_page_valid_then_revoked_passes_axe(live_server, browser_page, issued):
    page = browser_page
    url = f"{live_server.url}/attestations/{issued['attestation'].public_id}/"
    page.goto(url)
    assert page.get_by_role("heading", name="Attestation valable").is_visible()
    assert "Espace numérique d'Aizenay" in page.content()
    assert_accessible(page)
    attestation_revoke(
        user=issued["counsellor"], attestation=issued["attestation"], reason="Erreur"
    )
    page.goto(url)
    assert page.get_by_role("heading", name="Attestation révoquée").is_visible()
    assert_accessible(page)


def test_pasted_garbage_with_the_keyboard(live_server, browser_page, issued):
    page = browser_page
    page.goto(live_server.url + "/attestations/verifier/")
    assert_accessible(page)
    page.get_by_label("Ou son contenu, collé ici").fill("ceci n'est pas une attestation")
    page.get_by_label("Ou son contenu, collé ici").focus()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Attestation non valable").is_visible()
    assert_accessible(page)
    page.get_by_label("Ou son contenu, collé ici").fill(issued["attestation"].credential_jws)
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Attestation valable").is_visible()


def test_fits_320px(live_server, chromium, issued):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}/attestations/{issued['attestation'].public_id}/")
    assert_no_horizontal_scroll(page)
    _open(page, live_server, issued["code"])
    page.goto(f"{live_server.url}/carnet/attestations/{issued['attestation'].public_id}/imprimer/")
    assert_no_horizontal_scroll(page)
    context.close()


def test_counsellor_issues_from_the_person_page(live_server, browser_page):
    """The admin side: the issue form and the person's page with its attestation, axe on
    our own content (Wagtail's chrome is Wagtail's), submitted with the keyboard."""
    from django.urls import reverse

    from tests.browser.test_person_admin import PASSWORD, assert_region_accessible, log_in

    structure = StructureFactory(name="Mairie d'Aizenay")
    counsellor = counsellor_user(structure=structure)
    counsellor.set_password(PASSWORD)
    counsellor.save()
    learner = LearnerFactory(structure=structure, first_name="Albert", last_name="Naud")
    socle = socle_competences()
    observe(counsellor, learner, socle[0], 3, timezone.localdate())
    page = browser_page
    log_in(page, live_server, counsellor)
    page.goto(live_server.url + reverse("learners_attestation_issue", args=[learner.pk]))
    assert_region_accessible(page, "#pap-attestation")
    page.get_by_label(socle[0].name, exact=False).check()
    page.get_by_label("Aucun nom").check()
    page.get_by_role("button", name="Délivrer l'attestation").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Attestation délivrée" in page.content()
    assert page.get_by_role("heading", name="Attestations de compétences").is_visible()
    assert_region_accessible(page, "#pap-person")
