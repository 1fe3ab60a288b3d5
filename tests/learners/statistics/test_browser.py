"""The statistics page in a real Chromium: on a 360px phone (no horizontal scroll, axe on
our content, charts with their tables) and printed on A4 (filters and export buttons
hidden, charts and tables kept)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import (
    AXE_SOURCE,
    assert_no_horizontal_scroll,
    format_violations,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def assert_region_accessible(page, selector: str) -> None:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (selector) => await axe.run({include: [selector]}, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
        'best-practice']}})""",
        selector,
    )
    violations = [v for v in result["violations"] if v["id"] != "region"]
    assert violations == [], format_violations(violations)


def test_phone_and_print(phone, live_server, world, coordinator, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 2
    page = phone
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("learners_statistics") + "?du=2024-01-01&au=2024-12-31")
    page.get_by_role("heading", name="Du 1er janvier 2024 au 31 décembre 2024").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page, "#pap-stats")
    assert page.locator("svg.chart[role=img]").count() >= 8
    assert page.locator("svg.chart").first.is_visible()
    table = page.get_by_role("table", name="Séances, heures et participations par type de séance")
    assert table.locator("tbody tr").count() == 5
    # The wide commune × age band table scrolls inside its own focusable region.
    region = page.get_by_role("region", name="Personnes par commune de résidence et tranche d'âge")
    assert region.get_attribute("tabindex") == "0"

    # Filters are a GET form: choosing a kind gives a shareable URL.
    page.get_by_label("Type de séance", exact=True).select_option("atelier")
    page.get_by_role("button", name="Afficher les statistiques").click()
    page.wait_for_url(lambda url: "type=atelier" in url)

    page.emulate_media(media="print")
    assert not page.locator("form.pap-stats__filters").is_visible()
    assert not page.get_by_role("link", name="Télécharger en CSV").is_visible()
    assert table.is_visible()
    assert page.locator("svg.chart").first.is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type /Page ") >= 2
    )
