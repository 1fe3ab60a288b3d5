"""Guides offline, in Chromium with the network cut (context.set_offline), and print:
two guides opened are read offline, pictures included; a third never opened shows the
French offline page listing them; a republished guide reaches the offline copy on the
next visit; the keep/remove button from the keyboard; nothing personal is ever stored;
the print rules apply (emulated print media)."""

import re

import pytest
from django.core.cache import cache

from tests.factories.workshops import AtelierPageFactory, GuidePageFactory, guide_steps

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEPT = "[data-offline-kept]"
NOT_KEPT = "[data-offline-not-kept]"
ALL_PICTURES_SHOWN = (
    "() => [...document.querySelectorAll('.step-picture img')]"
    ".every(i => i.complete && i.naturalWidth > 0)"
)
# What the worker stores, read from the page (the Cache Storage is the site's).
CACHED_ADDRESSES = """async () => {
    const addresses = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) addresses.push(name + ' ' + request.url);
    }
    return addresses;
}"""
KEPT_COPY = """async (url) => {
    const copy = await caches.match(url, {cacheName: 'pasapas-guides'});
    return copy ? await copy.text() : '';
}"""


@pytest.fixture(autouse=True)
def _setup(settings):
    # The worker fetches the pictures itself (the reverse proxy serves /media/ in production).
    settings.SERVE_MEDIA = True
    # The machine running the tests may be slow: the fallback to the kept copy on a weak
    # signal is not what these tests check, the network first is.
    settings.OFFLINE_NETWORK_TIMEOUT_MS = 120_000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guides():
    return [
        GuidePageFactory(title=title, slug=slug, steps=guide_steps(3, image_size=(900, 600)))
        for title, slug in (
            ("Créer une adresse e-mail", "adresse-e-mail"),
            ("Appeler en vidéo", "appel-video"),
            ("Déclarer ses impôts en ligne", "impots"),
        )
    ]


@pytest.fixture
def context(chromium):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1000, "height": 800})
    yield context
    context.close()


def forget_http_cache(page) -> None:
    """Empties the browser's HTTP cache: pages are public with stale-while-revalidate=2, so
    a page loaded less than 2 s ago may come from it, whatever the network."""
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")


def open_and_keep(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(KEPT, state="visible")
    assert page.locator("[data-offline-state]").inner_text() == (
        "Disponible hors connexion sur cet appareil."
    )


def test_two_guides_opened_are_read_offline_and_a_third_shows_the_offline_page(
    live_server, context, guides
):
    page = context.new_page()
    first, second, third = (live_server.url + guide.url for guide in guides)
    open_and_keep(page, first)
    open_and_keep(page, second)

    forget_http_cache(page)
    context.set_offline(True)
    for url, guide in ((first, guides[0]), (second, guides[1])):
        page.goto(url)
        assert page.locator("h1").inner_text() == guide.title
        assert page.locator(".guide-step").count() == 3
        page.wait_for_function(ALL_PICTURES_SHOWN)  # every picture, from the device
        header = "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        assert page.evaluate(header) == "rgb(0, 70, 111)"  # its stylesheet too
        assert page.locator(KEPT).is_visible()

    page.goto(third)
    assert page.locator("h1").inner_text() == "Vous êtes hors connexion"
    assert page.title() == "Vous êtes hors connexion – Pas à pas"
    links = page.locator("[data-offline-list] a")
    links.first.wait_for()
    assert links.all_inner_texts() == ["Appeler en vidéo", "Créer une adresse e-mail"]
    assert page.locator("[data-offline-empty]").is_hidden()
    assert_accessible(page)
    # From the list, a kept guide opens, still offline.
    links.filter(has_text="Créer une adresse e-mail").click()
    page.wait_for_url(first)
    assert page.locator("h1").inner_text() == "Créer une adresse e-mail"

    # Back online: the third guide is the real page again (the network comes first).
    context.set_offline(False)
    page.goto(third)
    assert page.locator("h1").inner_text() == "Déclarer ses impôts en ligne"


def test_a_republished_guide_reaches_the_offline_copy_on_the_next_visit(
    live_server, context, guides
):
    page = context.new_page()
    guide = guides[0]
    url = live_server.url + guide.url
    open_and_keep(page, url)

    guide.title = "Créer une adresse e-mail (mise à jour)"
    guide.save_revision().publish()

    forget_http_cache(page)
    context.set_offline(True)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Créer une adresse e-mail"  # the copy kept
    context.set_offline(False)
    forget_http_cache(page)
    page.goto(url)  # the next visit, online
    assert page.locator("h1").inner_text() == "Créer une adresse e-mail (mise à jour)"
    page.wait_for_function(
        f"async () => ({KEPT_COPY})({url!r}).then(t => t.includes('(mise à jour)'))"
    )
    forget_http_cache(page)
    context.set_offline(True)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Créer une adresse e-mail (mise à jour)"
    page.wait_for_function(ALL_PICTURES_SHOWN)
    context.set_offline(False)


def focus_with_tab(page, selector: str, presses: int = 40) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{selector} n'est pas atteignable au clavier")


def test_the_keep_button_works_from_the_keyboard_and_is_announced(live_server, context, guides):
    page = context.new_page()
    url = live_server.url + guides[1].url
    open_and_keep(page, url)
    assert_accessible(page)  # the page with its controls shown
    button = page.locator("[data-offline-toggle]")
    status = page.locator("[data-offline-status]")
    assert button.inner_text() == "Ne plus garder cette fiche sur cet appareil"
    assert status.get_attribute("role") == "status"

    focus_with_tab(page, "[data-offline-toggle]")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    page.wait_for_selector(NOT_KEPT, state="visible")
    assert status.inner_text() == "C'est fait : cette fiche n'est plus gardée sur cet appareil."
    assert button.inner_text() == "Garder cette fiche pour la lire hors connexion"
    assert page.evaluate("() => document.activeElement.matches('[data-offline-toggle]')")
    assert page.evaluate(KEPT_COPY, url) == ""

    # Removed on purpose: the next visit does not keep it again by itself.
    page.reload()
    page.wait_for_selector("[data-offline]", state="visible")
    page.wait_for_timeout(500)
    assert page.locator(NOT_KEPT).is_visible()
    assert page.evaluate(KEPT_COPY, url) == ""
    forget_http_cache(page)
    context.set_offline(True)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Vous êtes hors connexion"
    context.set_offline(False)

    page.goto(url)
    page.wait_for_selector("[data-offline]", state="visible")
    page.focus("[data-offline-toggle]")
    page.keyboard.press("Space")
    page.wait_for_selector(KEPT, state="visible")
    assert status.inner_text() == (
        "C'est fait : cette fiche est disponible hors connexion sur cet appareil."
    )
    assert "Appeler en vidéo" in page.evaluate(KEPT_COPY, url)


def test_nothing_personal_is_stored(live_server, context, guides, settings):
    page = context.new_page()
    open_and_keep(page, live_server.url + guides[0].url)
    for path in ("/carnet/", "/admin/login/", "/pres-de-chez-vous/"):
        page.goto(live_server.url + path)
    # Without navigation preload: Chromium would send a page the worker leaves alone (the
    # carnet, a sign-up link) twice.
    preload = "navigator.serviceWorker.ready.then(r => r.navigationPreload.getState())"
    assert page.evaluate(preload)["enabled"] is False
    addresses = page.evaluate(CACHED_ADDRESSES)
    assert addresses, "rien n'est gardé"
    paths = [re.sub(r"^\S+ https?://[^/]+", "", address) for address in addresses]
    assert not [p for p in paths if p.startswith(("/carnet/", "/admin/", "/pres-de-chez-vous/"))]
    kept_pages = {p for p in paths if not p.startswith(("/static/", "/media/"))}
    assert kept_pages == {guides[0].url, "/hors-connexion/"}
    # The admin and the carnet are left to the browser: offline, its own error, not ours.
    context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(live_server.url + "/carnet/")
    context.set_offline(False)


def test_without_javascript_the_controls_stay_hidden(live_server, chromium, guides):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + guides[0].url)
    assert page.locator(".guide-step").count() == 3
    assert page.locator("[data-offline]").is_hidden()
    assert page.locator("[data-print]").is_hidden()
    context.close()


def test_print_buttons_and_print_rules(live_server, context, guides):
    atelier = AtelierPageFactory(title="Premiers pas avec l'e-mail", handout_count=1)
    page = context.new_page()
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    page.goto(live_server.url + guides[0].url)
    focus_with_tab(page, "[data-print]")
    assert page.evaluate("() => document.activeElement.textContent") == "Imprimer cette fiche"
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.__printed") == 1

    page.emulate_media(media="print")
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    for selector in (".guide-step", ".step", ".step-picture"):
        assert page.evaluate(style, [selector, "breakInside"]) == "avoid", selector
    for selector in (".page-tools", ".site-nav", ".site-header", ".breadcrumbs", "[data-print]"):
        assert page.evaluate(style, [selector, "display"]) == "none", selector

    page.emulate_media(media="screen")
    page.goto(live_server.url + atelier.url)
    page.click("[data-print]")
    assert page.evaluate("() => window.__printed") == 1
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    after = page.evaluate(
        "() => getComputedStyle(document.querySelector('.documents a'), '::after').content"
    )
    assert f"{live_server.url}/documents/" in after
    pdf = page.pdf(prefer_css_page_size=True)
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box and (round(float(box.group(1))), round(float(box.group(2)))) == (595, 842)
