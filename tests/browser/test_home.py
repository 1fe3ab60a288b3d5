import pytest

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_page_has_no_axe_violations(live_server, browser_page):
    browser_page.goto(live_server.url + "/")
    assert browser_page.title().startswith("Pas à pas")
    assert_accessible(browser_page)


def test_home_page_keyboard_reaches_main_content(live_server, browser_page):
    browser_page.goto(live_server.url + "/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    # The skip link is visible when focused (not hidden off-screen).
    box = browser_page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.height > 0; }"
    )
    assert box
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("() => document.activeElement.id") == "contenu"
    # Every focusable element of the page can be reached and shows a focus indicator.
    browser_page.keyboard.press("Tab")
    outline = browser_page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_home_page_fits_320px_without_horizontal_scroll(live_server, chromium):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert_no_horizontal_scroll(page)
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    context.close()


def test_home_page_at_200_percent_zoom(live_server, chromium):
    # 200% zoom of a 1280px window is a 640px CSS viewport at device scale 2.
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    context.close()
