"""The Wagtail admin keeps working under its Content-Security-Policy (no inline scripts, no
eval): the page editor, the explorer, images and the account pages run their scripts, and
the shared fixture fails the test on any violation reported by Chromium."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

from tests.factories.learners import coordinator_user
from tests.factories.workshops import AtelierPageFactory, atelier_index_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "mot-de-passe-de-test"


def test_admin_pages_run_their_scripts_under_the_policy(browser_page, live_server):
    user = coordinator_user()
    user.is_superuser = True  # every admin page, the page editor included
    user.set_password(PASSWORD)
    user.save()
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # The sidebar is drawn by Wagtail's scripts: they ran.
    page.locator("[data-wagtail-sidebar] nav, .sidebar nav").first.wait_for()

    home = Page.objects.filter(depth=2).first()
    for url in (
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailadmin_account"),
        reverse("accounts_2fa_security"),
    ):
        page.goto(live_server.url + url)
        # Wagtail's w-init controller marks the body "ready" once its scripts ran.
        page.locator("body.ready").wait_for(state="attached", timeout=10_000)
    # Date pickers: Wagtail starts them with inline scripts, replaced by data attributes
    # and accounts/static/accounts/admin-init.js (the explorer's date filters).
    page.goto(live_server.url + reverse("wagtailadmin_explore", args=[home.pk]))
    page.locator("body.ready").wait_for(state="attached")
    assert page.locator("[data-pap-init]").count() >= 2
    assert page.locator("[data-pap-init]:not([data-pap-started])").count() == 0
    started = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-pap-init=initDateChooser]'))"
        ".every(n => !!jQuery('#' + n.dataset.papTarget).data('xdsoft_datetimepicker'))"
    )
    assert started
    # The editor's tabs are switched by Wagtail's scripts (Stimulus controllers); its
    # schedule-publishing dialog holds two date-time pickers.
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[home.pk]))
    page.locator("body.ready").wait_for(state="attached")
    assert page.locator("[data-pap-init=initDateTimeChooser][data-pap-started]").count() == 2
    tabs = page.get_by_role("tab")
    assert tabs.count() > 1
    tabs.nth(1).click()
    assert tabs.nth(1).get_attribute("aria-selected") == "true"

    # An inline panel (an atelier's handouts) adds a form whose document chooser opens.
    atelier = AtelierPageFactory(parent=atelier_index_page())
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[atelier.pk]))
    page.locator("body.ready").wait_for(state="attached")
    assert page.locator("[data-pap-init=InlinePanel][data-pap-started]").count() == 1
    page.locator("#id_handouts-ADD").click()
    child = page.locator("#inline_child_handouts-0")
    child.wait_for()
    child.locator("[data-pap-init=chooser][data-pap-started]").wait_for(state="attached")
    child.locator("button[data-chooser-action-choose]").first.click()
    page.locator(".modal-dialog").first.wait_for()
