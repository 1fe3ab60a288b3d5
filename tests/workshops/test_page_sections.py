"""Sections another app adds to atelier pages (workshops/page_sections.py): rendered when
registered, absent otherwise, kept in the render and page caches under their scopes."""

from pathlib import Path

import pytest

from caching import versions
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory
from tests.queries import count_queries
from workshops.page_sections import PageSection, page_section_register, page_section_unregister

pytestmark = pytest.mark.django_db
TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]


@pytest.fixture
def calls():
    """A section counting its renders, registered for the test only."""
    made = []

    def render(*, page, request):
        made.append(page.pk)
        return "tests/section.html", {"heading": "Prochaines sessions", "count": len(made)}

    page_section_register(PageSection(name="agenda", render=render, scopes=(versions.AGENDA,)))
    yield made
    page_section_unregister("agenda")


def test_a_registered_section_shows_after_the_article(client, calls):
    atelier = AtelierPageFactory(title="Atelier courriel")
    html = client.get(atelier.url).content.decode()
    assert "Prochaines sessions" in html and "Atelier courriel : 1" in html
    assert html.index("</article>") < html.index('class="test-section"')


def test_without_a_registered_section_the_page_is_unchanged(client):
    atelier = AtelierPageFactory()
    page_section_register(
        PageSection(name="gone", render=lambda **kw: ("tests/section.html", {"heading": "Parti"}))
    )
    page_section_unregister("gone")
    html = client.get(atelier.url).content.decode()
    assert "test-section" not in html and "Parti" not in html
    assert html.rstrip().endswith("</html>")


def test_a_section_may_show_nothing(client):
    atelier = AtelierPageFactory()
    page_section_register(PageSection(name="empty", render=lambda **kw: None))
    try:
        assert "test-section" not in client.get(atelier.url).content.decode()
    finally:
        page_section_unregister("empty")


def test_the_section_is_kept_until_its_scope_is_bumped(client, settings, calls):
    settings.RENDER_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0
    atelier = AtelierPageFactory()
    client.get(atelier.url)
    assert count_queries(client, atelier.url) == 0
    assert len(calls) == 1
    versions.bump(versions.AGENDA)
    assert "Prochaines sessions</h2><p>" in client.get(atelier.url).content.decode()
    assert len(calls) == 2


def test_the_page_cache_keeps_a_page_with_a_section_under_the_section_scope(
    client, settings, calls
):
    settings.PAGE_CACHE_SECONDS = 300
    atelier = AtelierPageFactory(title="Atelier visio")
    guide = GuidePageFactory(illustrated=False)
    assert client.get(atelier.url)["X-Page-Cache"] == "miss"
    assert client.get(guide.url)["X-Page-Cache"] == "miss"
    assert client.get(atelier.url)["X-Page-Cache"] == "hit"

    versions.bump_now_and_on_commit(versions.AGENDA)
    fresh = client.get(atelier.url)
    assert fresh["X-Page-Cache"] == "miss" and "Atelier visio : 2" in fresh.content.decode()
    # The guide shows no session: an agenda change leaves it cached.
    assert client.get(guide.url)["X-Page-Cache"] == "hit"
