"""The preview's tables of failing rows and cells to check, on a 360px phone in Chromium:
no horizontal scroll, axe on our content."""

import io

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_no_horizontal_scroll
from tests.factories.learners import counsellor_user

from .conftest import csv_bytes
from .test_browser import PASSWORD, assert_region_accessible, phone  # noqa: F401 - fixture
from .test_levels_import import sheet_rows

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def preview(page, live_server, content: bytes) -> None:
    page.goto(live_server.url + reverse("learners_import_upload", args=["attendance"]))
    page.get_by_label("Fichier à importer").set_input_files(
        files=[
            {
                "name": "niveaux.csv",
                "mimeType": "text/csv",
                "buffer": io.BytesIO(content).getvalue(),
            }
        ]
    )
    page.get_by_role("button", name="Voir l'aperçu").click()


def test_failing_rows_and_cells_to_check_on_a_phone(phone, live_server, structure_a):  # noqa: F811
    user = counsellor_user(structure=structure_a)
    user.set_password(PASSWORD)
    user.save()
    page = phone
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)

    rows = sheet_rows(as_text=True)
    rows[1][6] = '=HYPERLINK("http://exemple.invalid/un-lien-tres-long-qui-ne-se-coupe-pas")'
    preview(page, live_server, csv_bytes(rows, encoding="utf-8", bom=True))
    page.get_by_text("1 cellule à vérifier").wait_for()
    page.get_by_text("Niveaux de compétence").first.wait_for()
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)

    rows = sheet_rows(as_text=True)
    for row in rows[1:]:
        row[8] = "peut-être " * 10
    preview(page, live_server, csv_bytes(rows, encoding="utf-8", bom=True))
    page.get_by_text("3 erreurs : rien n'a été importé.").wait_for()
    assert page.get_by_role("cell", name="s2.2").count() == 3
    assert_no_horizontal_scroll(page)
    assert_region_accessible(page)
