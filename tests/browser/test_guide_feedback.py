"""Guide feedback in a real browser: works without JavaScript, thank-you via #avis-merci,
French error and rate-limit pages, zero axe violations on each."""

import pytest
from django.core.cache import cache

from tests.factories.editorial import guide_create
from workshops.models import GuideFeedback

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_js_page(chromium):
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def test_feedback_form_without_javascript(live_server, no_js_page):
    guide = guide_create(title="Prendre rendez-vous chez le médecin", steps=3)
    page = no_js_page
    page.goto(live_server.url + guide.url)
    thanks = page.locator("#avis-merci")
    assert not thanks.is_visible()
    page.get_by_label("Je bloque à une étape").check()
    page.get_by_label("Si vous bloquez : à quelle étape ?").select_option("2")
    page.get_by_label("Un commentaire ? (facultatif)").fill("Je ne vois pas le calendrier.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert page.url.endswith(guide.url + "#avis-merci")
    assert thanks.is_visible()
    assert "Merci pour votre avis" in thanks.inner_text()
    feedback = GuideFeedback.objects.get()
    assert (feedback.kind, feedback.step, feedback.comment) == (
        "stuck",
        2,
        "Je ne vois pas le calendrier.",
    )
    assert page.context.cookies() == []


def test_feedback_pages_pass_axe(live_server, browser_page, settings):
    settings.GUIDE_FEEDBACK_RATE_LIMITS = {"per_client_per_day": 1, "per_guide_per_hour": 100}
    guide = guide_create(title="Faire une visio avec ses petits-enfants", steps=3)
    page = browser_page
    page.goto(live_server.url + guide.url + "#avis")
    assert_accessible(page)

    # "Stuck" without a step: the French error page, the form kept as filled.
    page.get_by_label("Je bloque à une étape").check()
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert "Indiquez l'étape où vous bloquez." in page.content()
    assert page.get_by_label("Je bloque à une étape").is_checked()
    assert_accessible(page)

    # Corrected: accepted (the first of the day), then the next one is refused.
    page.get_by_label("Si vous bloquez : à quelle étape ?").select_option("3")
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert page.locator("#avis-merci").is_visible()
    assert_accessible(page)
    page.get_by_label("Cette fiche m'a aidé").check()
    response_status = []
    page.on("response", lambda r: response_status.append(r.status))
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert 429 in response_status
    assert page.locator("h1").inner_text() == "Trop d'avis envoyés"
    assert "demain" in page.content()
    assert_accessible(page)
    assert GuideFeedback.objects.count() == 1


def test_feedback_form_fits_a_small_phone(live_server, chromium):
    guide = guide_create(title="Reconnaître un SMS frauduleux", steps=5)
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + guide.url + "#avis")
    assert_no_horizontal_scroll(page)
    context.close()
