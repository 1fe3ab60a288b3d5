"""Every public page type in a real Chromium: zero axe-core violations, keyboard use of the
reading tools, a guide at 320px and in print."""

import mimetypes
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from demo import legal as demo_legal
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    audience,
    competence,
    guide_steps,
    theme,
)

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def serve_media(page) -> None:
    """The live server serves static files but not uploads: answer /media/ requests with
    the real files from MEDIA_ROOT (what the reverse proxy does in production)."""
    root = Path(settings.MEDIA_ROOT)

    def handle(route):
        relative = re.sub(r"^https?://[^/]+/media/", "", route.request.url).split("?")[0]
        path = root / relative
        if path.is_file():
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)
        else:
            route.fulfill(status=404, body="")

    page.route(re.compile(r".*/media/.*"), handle)


@pytest.fixture
def site_content():
    guide = GuidePageFactory(
        title="Créer une adresse e-mail",
        summary="Choisir un service, un identifiant et un mot de passe, puis se connecter.",
        steps=guide_steps(4, image_size=(1080, 2160)),
        themes=[theme("e-mail"), theme("securite-numerique")],
        competences=[competence("S2.1")],
        audiences=[audience("seniors")],
    )
    GuidePageFactory(title="Reconnaître un SMS frauduleux", themes=[theme("securite-numerique")])
    atelier = AtelierPageFactory(
        title="Premiers pas avec l'e-mail",
        handout_count=2,
        audiences=[audience("seniors")],
        competences=[competence("S2.1"), competence("S2.2")],
        themes=[theme("e-mail")],
        related_guides=[guide],
    )
    demo_legal.load()  # the demo legal pages, linked from every page's footer
    return {"guide": guide, "atelier": atelier}


def page_urls(content) -> dict[str, str]:
    return {
        "accueil": "/",
        "liste des fiches": "/fiches/",
        "liste filtrée": "/fiches/?thematique=e-mail&niveau=debutant",
        "fiche": content["guide"].url,
        "liste des ateliers": "/ateliers/",
        "atelier": content["atelier"].url,
        "recherche avec résultats": "/recherche/?q=e-mail",
        "recherche sans résultat": "/recherche/?q=xylophone",
        "page introuvable": "/cette-page-n-existe-pas/",
        "mentions légales": "/mentions-legales/",
        "déclaration d'accessibilité": "/accessibilite/",
        "politique de confidentialité": "/politique-de-confidentialite/",
        "données ouvertes": "/donnees/",
    }


LEGAL_TITLES = ["Mentions légales", "Accessibilité", "Politique de confidentialité"]


def test_every_public_page_type_has_no_axe_violation(live_server, browser_page, site_content):
    serve_media(browser_page)
    for name, url in page_urls(site_content).items():
        response = browser_page.goto(live_server.url + url)
        assert response.status == (404 if name == "page introuvable" else 200), name
        assert browser_page.locator("h1").count() == 1, name
        assert browser_page.title().endswith("– Pas à pas"), name
        footer = browser_page.locator("footer nav.footer-links a")
        assert footer.all_inner_texts() == LEGAL_TITLES, name
        try:
            assert_accessible(browser_page)
        except AssertionError as error:
            raise AssertionError(f"{name} ({url}) : {error}") from None


def test_phone_pages_have_no_axe_violation(live_server, phone_page, site_content):
    serve_media(phone_page)
    for url in (site_content["guide"].url, "/fiches/", site_content["atelier"].url):
        phone_page.goto(live_server.url + url)
        assert_accessible(phone_page)
        assert_no_horizontal_scroll(phone_page)


def test_legal_pages_at_200_percent_zoom_and_from_the_keyboard(live_server, chromium, site_content):
    # A 1280px window zoomed to 200% lays pages out in 640 CSS pixels.
    context = chromium.new_context(locale="fr-FR", viewport={"width": 640, "height": 450})
    page = context.new_page()
    for url in ("/mentions-legales/", "/accessibilite/", "/politique-de-confidentialite/"):
        page.goto(live_server.url + url)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
        assert page.locator("p.updated").inner_text().startswith("Page mise à jour le ")
    # From the home page, Tab reaches the footer's links, each with a visible focus, and
    # Enter follows one.
    page.goto(live_server.url + "/")
    target = "() => document.activeElement.closest('.footer-links') !== null"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(target):
            break
    else:
        pytest.fail("les liens du pied de page ne sont pas atteignables au clavier")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    assert page.evaluate("() => document.activeElement.textContent") == "Mentions légales"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/accessibilite/"
    assert page.locator("h1").inner_text() == "Accessibilité"
    context.close()


def test_guide_fits_320px_at_every_text_size(live_server, chromium, site_content):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    serve_media(page)
    page.goto(live_server.url + site_content["guide"].url)
    assert_no_horizontal_scroll(page)
    # The first picture is loaded and scaled down to the screen.
    first = page.locator(".step-picture img").first
    first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.step-picture img').complete")
    assert page.evaluate("() => document.querySelector('.step-picture img').naturalWidth") > 0
    assert first.bounding_box()["width"] <= 320
    for _ in range(6):
        page.click("[data-text-size-step='1']")
        assert_no_horizontal_scroll(page)
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "36px"
    context.close()


def test_text_size_control_works_with_the_keyboard_and_persists(
    live_server, browser_page, site_content
):
    url = live_server.url + site_content["guide"].url
    browser_page.goto(url)
    font_size = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
    assert browser_page.evaluate(font_size) == 18
    # Reach the A+ button with Tab only.
    for _ in range(15):
        browser_page.keyboard.press("Tab")
        if (
            browser_page.evaluate(
                "() => document.activeElement.getAttribute('data-text-size-step')"
            )
            == "1"
        ):
            break
    else:
        pytest.fail("le bouton A+ n'est pas atteignable au clavier")
    browser_page.keyboard.press("Enter")
    browser_page.keyboard.press("Space")
    assert browser_page.evaluate(font_size) == pytest.approx(18 * 1.3)
    assert browser_page.locator("[data-text-size-value]").inner_text() == "130 %"
    # Remembered without any cookie, on the next page too.
    assert browser_page.context.cookies() == []
    assert browser_page.evaluate("() => localStorage.getItem('pasapas-text-scale')") == "1.3"
    browser_page.goto(live_server.url + "/fiches/")
    assert browser_page.evaluate(font_size) == pytest.approx(18 * 1.3)
    browser_page.keyboard.press("Shift+Tab")  # from the page: back into it, then to A-
    browser_page.focus("[data-text-size-step='-1']")
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate(font_size) == pytest.approx(18 * 1.15)


RECORD_SPEECH = """
if ('speechSynthesis' in window) {
    window.__spoken = [];
    const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
    window.speechSynthesis.speak = (u) => { window.__spoken.push([u.lang, u.text]); speak(u); };
}
"""


def test_read_aloud_buttons_are_keyboard_operable(live_server, browser_page, site_content):
    # Record what is handed to the browser's real speech synthesis, without replacing it
    # (headless Chromium has no voice, so it ends each utterance at once).
    browser_page.add_init_script(RECORD_SPEECH)
    browser_page.goto(live_server.url + site_content["guide"].url)
    if not browser_page.evaluate("() => 'speechSynthesis' in window"):
        pytest.skip("ce Chromium n'a pas de synthèse vocale")
    buttons = browser_page.locator("button.read-aloud")
    assert buttons.count() == 5  # the whole guide + one per step
    assert all(buttons.nth(i).is_visible() for i in range(5))
    # Reach the first one with Tab only, then activate it with the keyboard.
    for _ in range(25):
        browser_page.keyboard.press("Tab")
        if browser_page.evaluate("() => document.activeElement.matches('button.read-aloud')"):
            break
    else:
        pytest.fail("le bouton « Lire à voix haute » n'est pas atteignable au clavier")
    assert browser_page.evaluate("() => document.activeElement.textContent") == (
        "Lire toute la fiche à voix haute"
    )
    browser_page.keyboard.press("Enter")
    spoken = browser_page.evaluate("() => window.__spoken")
    text = " ".join(t for _, t in spoken)
    assert text.startswith("Fiche pratique. Créer une adresse e-mail.")
    for number in range(1, 5):
        assert f"Étape {number} : Touchez le bouton numéro {number}." in text
    # A step's own button, with the space bar.
    browser_page.focus("#etape-2 button.read-aloud")
    browser_page.keyboard.press("Space")
    spoken = browser_page.evaluate("() => window.__spoken")[len(spoken) :]
    assert spoken[0] == ["fr-FR", "Étape 2 : Touchez le bouton numéro 2."]


def test_read_aloud_reads_the_step_text_in_french(live_server, browser_page, site_content):
    browser_page.add_init_script(RECORD_SPEECH)
    browser_page.goto(live_server.url + site_content["guide"].url)
    if not browser_page.evaluate("() => 'speechSynthesis' in window"):
        pytest.skip("ce Chromium n'a pas de synthèse vocale")
    browser_page.click("#etape-3 button.read-aloud")
    spoken = browser_page.evaluate("() => window.__spoken")
    assert {lang for lang, _ in spoken} == {"fr-FR"}
    text = " ".join(t for _, t in spoken)
    assert text.startswith("Étape 3 : Touchez le bouton numéro 3.")
    assert "Astuce : Prenez votre temps" in text and "Attention : Ne donnez jamais" in text
    assert "Écouter cette étape" not in text


def test_read_aloud_is_hidden_without_speech_synthesis(live_server, browser_page, site_content):
    browser_page.add_init_script(
        "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
    )
    browser_page.goto(live_server.url + site_content["guide"].url)
    assert browser_page.evaluate("() => 'speechSynthesis' in window") is False
    assert browser_page.locator("button.read-aloud:visible").count() == 0
    # The text size control does not depend on it.
    assert browser_page.locator("[data-text-size]").is_visible()


def test_pages_are_complete_without_javascript(live_server, chromium, site_content):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + site_content["guide"].url)
    assert page.locator(".guide-step").count() == 4
    assert page.locator("button.read-aloud:visible").count() == 0
    assert page.locator("[data-text-size]").is_hidden()
    # Filtering the list is a plain form.
    page.goto(live_server.url + "/fiches/")
    page.select_option("#filtre-thematique", "securite-numerique")
    page.click("form.filters button[type=submit]")
    assert "thematique=securite-numerique" in page.url
    assert page.locator(".cards > li").count() == 2
    page.select_option("#filtre-thematique", "e-mail")
    page.click("form.filters button[type=submit]")
    assert page.locator(".cards > li").count() == 1
    context.close()


def test_a_guide_of_four_illustrated_steps_prints_on_two_a4_pages(
    live_server, browser_page, site_content
):
    serve_media(browser_page)
    browser_page.goto(live_server.url + site_content["guide"].url)
    browser_page.emulate_media(media="print")
    browser_page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    pictures = "[...document.querySelectorAll('.step-picture img')]"
    browser_page.wait_for_function(f"() => {pictures}.every(i => i.complete && i.naturalWidth)")
    # Pictures are printed, limited in height; controls and the feedback form are not.
    heights = browser_page.evaluate(f"() => {pictures}.map(i => i.getBoundingClientRect().height)")
    assert len(heights) == 4 and all(0 < h <= 44 * 96 / 25.4 + 1 for h in heights)
    assert browser_page.locator(".guide-feedback").is_hidden()
    assert browser_page.locator("[data-text-size]").is_hidden()
    pdf = browser_page.pdf(format="A4", print_background=False, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"{pages} pages A4"
