"""Content pages (home.ContentPage): the legal pages linked from every page's footer and the
footer's cost (one query per publication, then none). Their demo versions are tested in
tests/demo/test_legal.py."""

import datetime

import pytest
from django.core.cache import cache
from wagtail.test.utils import WagtailPageTestCase

from home.models import ContentPage, HomePage
from home.templatetags.site_tags import footer_links, long_date
from tests.factories.site import ContentPageFactory
from tests.factories.workshops import GuideIndexPageFactory, GuidePageFactory, home_page
from workshops.models import GuideIndexPage

pytestmark = pytest.mark.django_db

FOOTER_START = '<nav class="footer-links"'


def footer_of(html: str) -> str:
    assert FOOTER_START in html, "le pied de page n'a pas de liens"
    return html.split(FOOTER_START, 1)[1].split("</nav>", 1)[0]


class ContentPageTreeTests(WagtailPageTestCase):
    def test_content_pages_live_under_the_home_page_and_have_no_children(self):
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanNotCreateAt(GuideIndexPage, ContentPage)
        self.assertCanNotCreateAt(ContentPage, ContentPage)
        self.assertAllowedSubpageTypes(ContentPage, {})

    def test_content_page_renders(self):
        self.assertPageIsRenderable(ContentPageFactory())


def test_content_page_shows_title_intro_body_and_the_date_in_french(client):
    page = ContentPageFactory(last_updated=datetime.date(2026, 3, 1))
    html = client.get(page.url).content.decode()
    assert "<h1>Mentions légales</h1>" in html
    assert "Qui publie ce site et qui l'héberge." in html.replace("&#x27;", "'")
    assert "<h2>Qui publie ce site ?</h2>" in html
    assert "Page mise à jour le 1er mars 2026." in html


def test_without_a_date_the_last_publication_date_is_shown(client):
    page = ContentPageFactory(last_updated=None)
    page.last_published_at = datetime.datetime(2026, 11, 14, 10, tzinfo=datetime.UTC)
    page.save(update_fields=["last_published_at"])
    assert "Page mise à jour le 14 novembre 2026." in client.get(page.url).content.decode()


def test_long_date_writes_the_first_of_the_month_as_1er():
    assert long_date(datetime.date(2027, 1, 1)) == "1er janvier 2027"
    assert long_date(datetime.date(2027, 1, 11)) == "11 janvier 2027"
    assert long_date(None) == ""


def test_footer_lists_live_footer_pages_in_their_order_on_every_kind_of_page(client):
    ContentPageFactory(title="Accessibilité", slug="accessibilite", footer_order=20)
    ContentPageFactory(title="Mentions légales", slug="mentions-legales", footer_order=10)
    ContentPageFactory(title="Plan du site", slug="plan", show_in_footer=False)
    ContentPageFactory(title="Brouillon", slug="brouillon", publish=False)
    guide = GuidePageFactory(parent=GuideIndexPageFactory())
    urls = ["/", "/fiches/", guide.url, "/recherche/?q=e-mail", "/carnet/", "/mentions-legales/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        footer = footer_of(response.content.decode())
        assert footer.index("Mentions légales") < footer.index("Accessibilité"), url
        assert "Plan du site" not in footer and "Brouillon" not in footer, url
        assert 'href="/mentions-legales/"' in footer and 'href="/accessibilite/"' in footer
    missing = client.get("/page-mal-recopiee/")
    assert missing.status_code == 404
    assert 'href="/accessibilite/"' in footer_of(missing.content.decode())
    # The current page is marked for screen readers.
    own = footer_of(client.get("/accessibilite/").content.decode())
    assert 'href="/accessibilite/" aria-current="page"' in own


def test_footer_costs_one_query_per_publication_then_none(
    rf, django_assert_num_queries, django_assert_max_num_queries
):
    ContentPageFactory()
    request = rf.get("/")
    context = {"request": request}
    # The view restrictions (public pages only), the pages, the site root paths.
    with django_assert_max_num_queries(3):
        assert [link["title"] for link in footer_links(context)] == ["Mentions légales"]
    with django_assert_num_queries(0):
        footer_links({"request": rf.get("/fiches/")})


def test_publishing_a_footer_page_shows_it_at_once_even_from_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.RENDER_CACHE_SECONDS = 3600
    cache.clear()
    ContentPageFactory()
    assert "Confidentialité" not in footer_of(client.get("/").content.decode())
    assert client.get("/")["X-Page-Cache"] == "hit"
    page = ContentPageFactory(title="Confidentialité", slug="confidentialite", publish=False)
    page.save_revision().publish()
    assert "Confidentialité" in footer_of(client.get("/").content.decode())
    page.refresh_from_db()
    page.unpublish()
    assert "Confidentialité" not in footer_of(client.get("/").content.decode())


def test_content_pages_are_found_by_the_wagtail_search_index():
    ContentPageFactory(body="<p>Le délégué à la protection des données répond.</p>")
    found = ContentPage.objects.live().search("protection")
    assert [page.slug for page in found] == ["mentions-legales"]


def test_home_page_keeps_its_own_place():
    ContentPageFactory()
    assert home_page().specific_class is HomePage


def test_coordinators_edit_and_publish_content_pages_counsellors_do_not():
    from tests.factories.editorial import UserFactory
    from workshops import roles
    from workshops.services.editorial import editorial_setup

    editorial_setup()
    coordinator = UserFactory(groups=[roles.COORDINATORS])
    counsellor = UserFactory(groups=[roles.COUNSELLORS])
    page = ContentPageFactory()
    home = home_page()
    assert home.permissions_for_user(coordinator).can_add_subpage()
    assert ContentPage.can_create_at(home)
    assert page.permissions_for_user(coordinator).can_publish()
    assert not home.permissions_for_user(counsellor).can_add_subpage()
    assert not page.permissions_for_user(counsellor).can_edit()


def test_coordinator_opens_the_content_page_form_in_french(client):
    from tests.factories.editorial import UserFactory
    from workshops import roles
    from workshops.services.editorial import editorial_setup

    editorial_setup()
    client.force_login(UserFactory(groups=[roles.COORDINATORS]))
    response = client.get(f"/admin/pages/add/home/contentpage/{home_page().pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lien dans le pied de page" in html and "Mise à jour le" in html
