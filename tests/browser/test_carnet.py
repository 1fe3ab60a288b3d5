"""The public carnet in a real Chromium: zero axe violations on the code form, the carnet,
the wrong-code and 429 pages; keyboard use; without JavaScript; 320px; print."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from learners.choices import SessionKind
from learners.codes import code_format
from learners.models import GuideRead
from learners.services import SheetRow, attendance_sheet_save, carnet_issue, observation_record
from tests.factories.editorial import atelier_create, guide_create
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    counsellor_user,
    crcn_competences,
    level,
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
def carnet_data():
    """A person with two ateliers, eight competences at various levels and guides to read."""
    structure = StructureFactory(name="Espace numérique de La Roche-sur-Yon")
    counsellor = counsellor_user(structure=structure)
    learner = LearnerFactory(
        structure=structure, first_name="Josiane", last_name="Brochard", birth_year=1946
    )
    socle = socle_competences()
    for n, (title, competences) in enumerate(
        [("Premiers pas avec son smartphone", socle[:4]), ("Créer son adresse e-mail", socle[4:7])]
    ):
        atelier = atelier_create(title=title, competences=competences)
        session = SessionFactory(
            structure=structure,
            kind=SessionKind.WORKSHOP,
            atelier=atelier,
            competences=competences,
            start=timezone.now() - datetime.timedelta(days=30 - 10 * n),
        )
        attendance_sheet_save(
            user=counsellor,
            session=session,
            rows=[
                SheetRow(
                    learner_id=learner.pk,
                    levels={c.pk: level("socle", i % 4).pk for i, c in enumerate(competences)},
                )
            ],
        )
    observation_record(
        user=counsellor, learner=learner, competence=crcn_competences()[3], level=level("crcn", 2)
    )
    guides = []
    for title in (
        "Envoyer une photo par e-mail",
        "Installer une application sur son téléphone",
        "Régler la taille du texte sur son téléphone",
    ):
        guide = guide_create(title=title)
        guide.competences.set([socle[1], socle[4]])
        guide.save()
        guides.append(guide)
    GuideRead.objects.create(learner=learner, guide=guides[2])
    return {"code": carnet_issue(user=counsellor, learner=learner), "guides": guides}


def _open(page, live_server, code):
    page.goto(live_server.url + "/carnet/")
    page.get_by_label("Code de mon carnet").fill(code)
    page.get_by_role("button", name="Ouvrir mon carnet").click()
    page.wait_for_load_state()


def test_code_form_and_carnet_pass_axe(live_server, browser_page, carnet_data):
    page = browser_page
    page.goto(live_server.url + "/carnet/")
    assert page.locator("h1").inner_text() == "Mon carnet de progression"
    assert_accessible(page)
    _open(page, live_server, " " + code_format(carnet_data["code"]).lower().replace("-", " "))
    assert page.url == live_server.url + "/carnet/"
    assert page.locator("h1").inner_text() == "Le carnet de progression de Josiane"
    assert "Brochard" not in page.content()
    assert page.get_by_text("Niveau : Acquis (3 sur 4)").first.is_visible()
    assert page.get_by_role("button", name="Imprimer mon carnet").is_visible()
    assert_accessible(page)


def test_qr_link_leaves_no_code_in_the_address_or_history(live_server, browser_page, carnet_data):
    page = browser_page
    code = carnet_data["code"]
    response = page.goto(live_server.url + "/carnet/?code=" + code_format(code))
    assert code_format(code) in response.request.redirected_from.url
    assert page.url == live_server.url + "/carnet/"
    assert page.locator("h1").inner_text() == "Le carnet de progression de Josiane"
    assert code not in page.content()
    # The redirect replaced the history entry: going back leaves the site, never to a URL
    # holding the code.
    page.go_back()
    assert page.url == "about:blank"


def test_wrong_code_and_rate_limit_pages_pass_axe(live_server, browser_page, settings):
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 2, "global_per_hour": 100}
    page = browser_page
    for _ in range(2):
        _open(page, live_server, "ABCDE-FGHJK")
        assert "Ce code n'ouvre aucun carnet." in page.locator("[role=alert]").inner_text()
        assert page.get_by_label("Code de mon carnet").input_value() == "ABCDE-FGHJK"
    assert_accessible(page)
    page.get_by_label("Code de mon carnet").fill("ABCDE-FGHJM")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Ouvrir mon carnet").click()
    page.wait_for_load_state()
    assert posted.value.status == 429
    assert page.locator("h1").inner_text() == "Trop d'essais"
    assert re.search(
        r"patientez \d+ minutes? avant de réessayer", page.locator("[role=alert]").inner_text()
    )
    assert_accessible(page)


def test_keyboard_only(live_server, browser_page, carnet_data):
    page = browser_page
    page.goto(live_server.url + "/carnet/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "carnet-code":
            break
    else:
        pytest.fail("the code field cannot be reached with Tab")
    page.keyboard.type(carnet_data["code"].lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Le carnet de progression de Josiane"
    # Reach "J'ai lu cette fiche" for the first guide with Tab, press Enter.
    target = "J'ai lu cette fiche : " + carnet_data["guides"][1].title
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == target:
            break
    else:
        pytest.fail("the 'J'ai lu' button cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "C'est noté" in page.locator("[role=status]").inner_text()
    read = page.locator("#fiches-lues + ul")
    assert carnet_data["guides"][1].title in read.inner_text()
    assert_accessible(page)
    # Close with the keyboard too.
    page.get_by_role("button", name="Fermer mon carnet").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Votre carnet est fermé" in page.content()
    assert all(c["name"] != "carnet" for c in page.context.cookies())


def test_without_javascript(live_server, chromium, carnet_data):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    _open(page, live_server, carnet_data["code"])
    assert page.locator("h1").inner_text() == "Le carnet de progression de Josiane"
    assert not page.get_by_role("button", name="Imprimer mon carnet").is_visible()
    assert page.get_by_text("commande « Imprimer » de votre navigateur").is_visible()
    page.get_by_role("button", name="J'ai lu cette fiche : Envoyer une photo par e-mail").click()
    page.wait_for_load_state()
    assert "C'est noté" in page.content()
    context.close()


@pytest.mark.parametrize("scale", ["1", "2"])
def test_fits_320px(live_server, chromium, carnet_data, scale):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('pasapas-text-scale', '{scale}')")
    page.goto(live_server.url + "/carnet/")
    assert_no_horizontal_scroll(page)
    _open(page, live_server, carnet_data["code"])
    assert page.locator("h1").is_visible()
    assert_no_horizontal_scroll(page)
    context.close()


def test_print(live_server, browser_page, carnet_data):
    page = browser_page
    _open(page, live_server, carnet_data["code"])
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.get_by_role("button", name="Fermer mon carnet").is_visible()
    assert not page.locator("form").first.is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator("progress").first.is_visible()
    assert page.get_by_text("Niveau : Acquis (3 sur 4)").first.is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"{pages} pages"


def test_during_a_flood_the_first_name_is_asked_and_opens(live_server, browser_page, carnet_data):
    """The overall budget of wrong codes is spent (here: 0): the form asks for the first
    name too, passes axe, and the holder gets in with the keyboard, from the QR link too."""
    from django.test import override_settings

    page = browser_page
    with override_settings(CARNET_RATE_LIMITS={"global_per_hour": 0}):
        page.goto(live_server.url + "/carnet/?code=" + carnet_data["code"])
        assert page.url == live_server.url + "/carnet/?prenom=1"
        assert carnet_data["code"] not in page.url
        assert page.get_by_label("Code de mon carnet").input_value() == carnet_data["code"]
        name = page.get_by_label("Mon prénom")
        assert name.is_visible()
        assert_accessible(page)
        name.fill("JOSIANE")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == live_server.url + "/carnet/"
        assert page.locator("h1").inner_text() == "Le carnet de progression de Josiane"
