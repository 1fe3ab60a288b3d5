"""The guide editor as a partner editor writes in it, in a real Chromium: the create form
of a guide in their structure's section passes axe-core with nothing excluded (the whole
admin page), shows no red error before anything is typed, and names its rich-text boxes;
a new step added by the writer gets a named box too; the section's public page passes
axe as well."""

import pytest
from django.urls import reverse

from tests.factories.editorial import UserFactory, atelier_index, guide_index
from workshops.models import GuideSectionPage
from workshops.services.editorial import editorial_setup, structure_editor_add

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"
STRUCTURE = "Médiathèque de Luçon"


@pytest.fixture
def editor():
    guide_index()
    atelier_index()
    editorial_setup()
    user = UserFactory(username="editrice.luçon")
    user.set_password(PASSWORD)
    user.save()
    structure_editor_add(user=user, name=STRUCTURE)
    return user


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def unnamed_text_boxes(page) -> int:
    return page.evaluate(
        """() => [...document.querySelectorAll('[contenteditable="true"][role="textbox"]')]
        .filter((box) => !(box.getAttribute('aria-labelledby') || '').split(' ')
            .some((id) => (document.getElementById(id)?.textContent || '').trim()))
        .length"""
    )


def test_new_guide_form_is_accessible_and_calm(browser_page, live_server, editor):
    page = browser_page
    section = GuideSectionPage.objects.get(collection__name=STRUCTURE)
    log_in(page, live_server, editor)
    page.goto(
        live_server.url
        + reverse("wagtailadmin_pages:add", args=["workshops", "guidepage", section.pk])
    )
    # « Ce qu'il vous faut » and the first step's text: two rich-text boxes.
    page.wait_for_function(
        """() => document.querySelectorAll('[contenteditable="true"][role="textbox"]')
        .length >= 2"""
    )
    page.wait_for_timeout(300)  # the labelling script runs after the editors start

    assert "Le nombre minimum d'éléments est 1" not in page.inner_text("main")
    assert page.locator("[data-contentpath=steps] [data-streamfield-child]").count() == 1
    boxes = page.locator('[contenteditable="true"][role="textbox"]').count()
    assert unnamed_text_boxes(page) == 0
    assert_accessible(page)

    # A second step, added by the writer: its text box is named too.
    page.locator("[data-contentpath=steps] button[title='Insérer un bloc']").last.click()
    page.wait_for_timeout(300)
    if page.locator("[data-contentpath=steps] [data-streamfield-child]").count() == 1:
        page.get_by_role("option", name="Étape").first.click()
    page.wait_for_function(
        """(count) => document.querySelectorAll(
            '[contenteditable="true"][role="textbox"]').length > count""",
        arg=boxes,
    )
    page.wait_for_timeout(300)
    assert unnamed_text_boxes(page) == 0

    # The section is also a public page type of its own (the index's template, its
    # guides only): accessible too.
    page.goto(live_server.url + section.url)
    assert page.locator("h1").inner_text() == STRUCTURE
    assert_accessible(page)
