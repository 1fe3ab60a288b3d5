"""The import screens on a 360px phone in a real Chromium: upload a spreadsheet, read the
preview (flagged person, counts), confirm; no horizontal scroll, axe on our content."""

import io
import re

import pytest
from django.urls import reverse

from learners.models import Learner
from tests.browser.conftest import (
    AXE_SOURCE,
    assert_no_horizontal_scroll,
    format_violations,
)
from tests.factories.learners import CommuneFactory, LearnerFactory, counsellor_user

from .conftest import csv_bytes

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


def assert_region_accessible(page) -> None:
    page.wait_for_load_state()
    page.locator("#pap-imports").wait_for()
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => await axe.run({include: ['#pap-imports']}, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
        'best-practice']}})"""
    )
    violations = [v for v in result["violations"] if v["id"] != "region"]
    assert violations == [], format_violations(violations)


def test_upload_preview_and_confirm_on_a_phone(phone, live_server, structure_a):
    user = counsellor_user(structure=structure_a)
    user.set_password(PASSWORD)
    user.save()
    CommuneFactory(insee_code="85191", name="La Roche-sur-Yon")
    LearnerFactory(structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=1948)
    content = csv_bytes(
        [
            ["Prénom", "Nom", "Année de naissance", "Code INSEE", "Remarques"],
            ["Helene", "DURAND", "1948", "85191", ""],
            ["Marc-Antoine", "De La Fontaine-Beauregard", "1962", "85191", "x" * 120],
        ]
    )
    page = phone
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(live_server.url + reverse("learners_imports"))
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)
    page.get_by_role("link", name="Importer : Personnes accompagnées").click()
    page.get_by_label("Fichier à importer").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)
    page.get_by_label("Fichier à importer").set_input_files(
        files=[
            {
                "name": "personnes.csv",
                "mimeType": "text/csv",
                "buffer": io.BytesIO(content).getvalue(),
            }
        ]
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.get_by_text("Aperçu : ce qui sera enregistré").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)
    assert page.get_by_text(re.compile("rattachée, pas de doublon")).count() >= 1
    assert Learner.objects.count() == 1

    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_text("Import terminé.").wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)
    assert Learner.objects.count() == 2
