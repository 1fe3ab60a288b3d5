"""Licence links and picture / handout credits in Chromium: no axe-core violation, on a
desktop window and on a phone, and the credit is read next to its picture."""

import pytest
from django.core.cache import cache

from demo import legal as demo_legal
from tests.factories.workshops import (
    AtelierPageFactory,
    DocumentFactory,
    GuidePageFactory,
    guide_steps,
)
from workshops.choices import Licence
from workshops.models import AtelierHandout

from .conftest import assert_accessible, assert_no_horizontal_scroll
from .test_public_pages import serve_media

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def credited_content():
    cache.clear()
    steps = guide_steps(2, image_size=(1080, 2160))
    steps[0][1].update(image_credit="Photo de Marie Durand", image_licence=Licence.CC_BY)
    guide = GuidePageFactory(title="Envoyer une photo", licence=Licence.ETALAB, steps=steps)
    atelier = AtelierPageFactory(title="Appeler en visio", licence=Licence.CC_BY_SA)
    atelier.handouts.add(
        AtelierHandout(
            document=DocumentFactory(),
            label="Mémo visio",
            credit="Médiathèque de la Source",
            licence=Licence.ETALAB,
        )
    )
    atelier.save_revision().publish()
    demo_legal.load()
    yield {"guide": guide, "atelier": atelier}
    cache.clear()


def test_credits_and_licence_links_are_accessible(
    live_server, browser_page, phone_page, credited_content
):
    for page in (browser_page, phone_page):
        serve_media(page)
        page.goto(live_server.url + credited_content["guide"].url)
        caption = page.locator("figure.step-picture figcaption")
        assert caption.inner_text() == "Image : Photo de Marie Durand, CC BY 4.0"
        assert caption.is_visible()
        assert page.locator('a[rel="license"]').inner_text() == "Licence Ouverte / Etalab 2.0"
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        page.goto(live_server.url + credited_content["atelier"].url)
        assert "source : Médiathèque de la Source" in page.locator("ul.documents").inner_text()
        assert page.locator('a[rel="license"]').inner_text() == "CC BY-SA 4.0"
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
