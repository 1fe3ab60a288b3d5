"""« Données ouvertes » in a real Chromium: zero axe violations at 320 px and at 200 %
zoom, nothing scrolls sideways (long addresses wrap), and a file is reached and downloaded
from the keyboard without JavaScript."""

import json

import pytest

from tests.opendata.conftest import communes, opendata_network  # noqa: F401

from .conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 320, "height": 640, "device_scale_factor": 1},
        {"width": 640, "height": 450, "device_scale_factor": 2},  # 200 % of 1280 px
    ],
    ids=["320px", "zoom-200"],
)
def test_opendata_page_passes_axe_and_fits(live_server, chromium, opendata_network, viewport):  # noqa: F811
    size = {"width": viewport["width"], "height": viewport["height"]}
    context = chromium.new_context(
        locale="fr-FR", viewport=size, device_scale_factor=viewport["device_scale_factor"]
    )
    page = context.new_page()
    page.goto(live_server.url + "/donnees/")
    assert page.get_by_role("heading", level=1, name="Données ouvertes").is_visible()
    assert page.get_by_role("heading", name="Services (data·inclusion)").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    context.close()


def test_a_file_from_the_keyboard_without_javascript(live_server, chromium, opendata_network):  # noqa: F811
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    footer_link = page.locator("footer").get_by_role("link", name="Données ouvertes")
    footer_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/donnees/"
    wanted = "Télécharger le fichier « Services (data·inclusion) »"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == wanted:
            break
    else:
        raise AssertionError(f"« {wanted} » is not reachable with Tab")
    with page.expect_response(lambda r: r.url.endswith("/services.json")) as answer:
        page.keyboard.press("Enter")
    records = json.loads(answer.value.body())
    assert {r["type"] for r in records} == {"atelier", "accompagnement"}
    context.close()
