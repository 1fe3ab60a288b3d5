"""Public guide and atelier pages: page-tree rules, required alt text, what each page shows
(and never shows), and query counts that do not grow with the content."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from wagtail.blocks import StreamBlockValidationError
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from tests.factories.workshops import (
    FACILITATOR_NOTES,
    AtelierPageFactory,
    GuidePageFactory,
    ImageFactory,
    audience,
    competence,
    guide_index_page,
    theme,
)
from tests.queries import count_queries
from workshops.blocks import GuideStepBlock, GuideStepsBlock
from workshops.models import (
    AtelierIndexPage,
    AtelierPage,
    AtelierSectionPage,
    GuideIndexPage,
    GuidePage,
    GuideSectionPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The visible text of the page's main content, tags removed, spaces collapsed."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    text = unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+([,.)])", r"\1", re.sub(r"\s+", " ", text))


# Page tree ------------------------------------------------------------------------------


class PageTreeTests(WagtailPageTestCase):
    def test_index_pages_live_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, GuideIndexPage)
        self.assertCanCreateAt(HomePage, AtelierIndexPage)
        self.assertCanNotCreateAt(GuideIndexPage, AtelierIndexPage)
        self.assertCanNotCreateAt(AtelierIndexPage, GuideIndexPage)

    def test_guides_and_ateliers_live_under_their_own_index(self):
        self.assertCanCreateAt(GuideIndexPage, GuidePage)
        self.assertCanCreateAt(AtelierIndexPage, AtelierPage)
        self.assertCanNotCreateAt(HomePage, GuidePage)
        self.assertCanNotCreateAt(HomePage, AtelierPage)
        self.assertCanNotCreateAt(AtelierIndexPage, GuidePage)
        self.assertCanNotCreateAt(GuideIndexPage, AtelierPage)

    def test_guides_and_ateliers_have_no_children(self):
        self.assertAllowedSubpageTypes(GuidePage, {})
        self.assertAllowedSubpageTypes(AtelierPage, {})
        self.assertAllowedParentPageTypes(GuidePage, {GuideIndexPage, GuideSectionPage})
        self.assertAllowedParentPageTypes(AtelierPage, {AtelierIndexPage, AtelierSectionPage})

    def test_partner_sections_sit_under_their_index_and_hold_its_pages(self):
        self.assertAllowedParentPageTypes(GuideSectionPage, {GuideIndexPage})
        self.assertAllowedParentPageTypes(AtelierSectionPage, {AtelierIndexPage})
        self.assertAllowedSubpageTypes(GuideSectionPage, {GuidePage})
        self.assertAllowedSubpageTypes(AtelierSectionPage, {AtelierPage})

    def test_each_index_exists_once(self):
        index = guide_index_page()
        self.assertFalse(GuideIndexPage.can_create_at(index.get_parent()))

    def test_guide_and_atelier_pages_render(self):
        guide = GuidePageFactory(step_count=2)
        atelier = AtelierPageFactory()
        self.assertPageIsRenderable(guide)
        self.assertPageIsRenderable(atelier)
        self.assertPageIsRenderable(guide.get_parent().specific)
        self.assertPageIsRenderable(atelier.get_parent().specific)


# Alt text -------------------------------------------------------------------------------


def test_a_step_with_an_image_and_no_alt_text_is_refused():
    image = ImageFactory()
    block = GuideStepBlock()
    value = block.to_python(
        {"title": "Ouvrez", "text": "<p>Touchez.</p>", "image": image.pk, "alt_text": "  "}
    )
    with pytest.raises(Exception) as error:
        block.clean(value)
    assert "texte alternatif est obligatoire" in str(error.value.block_errors["alt_text"])


def test_a_step_with_an_image_and_alt_text_is_accepted():
    image = ImageFactory()
    block = GuideStepBlock()
    value = block.to_python(
        {"title": "Ouvrez", "text": "<p>Touchez.</p>", "image": image.pk, "alt_text": "L'écran"}
    )
    assert block.clean(value)["alt_text"] == "L'écran"


def test_a_guide_whose_step_lacks_alt_text_fails_validation():
    image = ImageFactory()
    stream = GuideStepsBlock()
    value = stream.to_python(
        [
            {
                "type": "step",
                "value": {"title": "Ouvrez", "text": "<p>Touchez.</p>", "image": image.pk},
            }
        ]
    )
    with pytest.raises(StreamBlockValidationError):
        stream.clean(value)


# Guide page -----------------------------------------------------------------------------


def test_guide_page_shows_numbered_illustrated_steps_and_its_metadata(client):
    guide = GuidePageFactory(
        title="Envoyer une photo par e-mail",
        step_count=3,
        themes=[theme("e-mail")],
        competences=[competence("S2.2")],
        audiences=[audience("seniors")],
    )
    html = html_of(client.get(guide.url))
    text = text_of(html)

    assert html.count("<h1") == 1
    assert "<title>Envoyer une photo par e-mail – Pas à pas</title>" in html
    # Breadcrumbs: home › guide index › this guide (current page, not a link).
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/fiches/"]
    assert 'aria-current="page">Envoyer une photo par e-mail<' in crumbs
    # Summary, what you need.
    assert guide.summary in text
    assert "Ce qu'il vous faut" in text and "Votre adresse e-mail" in text
    # Steps: one ordered list, each step a section with its h2 and its picture.
    steps_html = re.search(r'<ol class="guide-steps".*?</ol>', html, re.S).group(0)
    assert steps_html.count('<li class="guide-step"') == 3
    assert steps_html.count("<section") == 3
    assert re.findall(r"<h2[^>]*>.*?Étape (\d)", steps_html, re.S) == ["1", "2", "3"]
    assert steps_html.count("<picture>") == 3
    # Callouts are labelled in words, not only by colour.
    assert "Astuce :" in text and "Attention :" in text
    # Metadata.
    assert "E-mail" in text and 'href="/fiches/?thematique=e-mail"' in html
    assert "S2.2 Envoyer et lire des e-mails" in text
    assert "Seniors" in text
    assert "Débutant" in text
    assert re.search(r"Temps de lecture : environ \d+ minutes?", text)
    assert "15 janvier 2026" in text
    assert "Licence Ouverte / Etalab 2.0" in text
    # The feedback form (owned by the feedback feature) is included.
    assert 'id="avis"' in html


def test_guide_step_pictures_are_responsive_webp_renditions_with_dimensions(client):
    guide = GuidePageFactory(step_count=3)
    html = html_of(client.get(guide.url))
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 3
    for number, picture in enumerate(pictures, start=1):
        source = re.search(r"<source ([^>]+)>", picture).group(1)
        img = re.search(r"<img ([^>]+)>", picture).group(1)
        assert 'type="image/webp"' in source
        assert re.search(r'srcset="[^"]+\.webp 360w, [^"]+\.webp 720w, [^"]+\.webp 800w"', source)
        assert 'sizes="' in source and 'sizes="' in img
        assert re.search(r'srcset="[^"]+\.png 360w', img)
        assert 'width="720"' in img and 'height="450"' in img
        assert f"L&#x27;écran de l&#x27;étape {number}" in img
        # The first picture is likely on screen: loaded at once; the others lazily.
        assert ('loading="lazy"' in img) is (number > 1)


def test_draft_guides_are_not_served(client):
    draft = GuidePageFactory(publish=False)
    assert client.get(f"/fiches/{draft.slug}/").status_code == 404
    assert draft.title not in html_of(client.get("/fiches/"))


# Atelier page ---------------------------------------------------------------------------


def test_atelier_page_shows_every_public_field(client):
    guide = GuidePageFactory(title="Créer son adresse e-mail")
    atelier = AtelierPageFactory(
        title="Premiers pas avec l'e-mail",
        handout_count=2,
        audiences=[audience("seniors"), audience("adultes")],
        competences=[competence("S2.1")],
        themes=[theme("e-mail")],
        related_guides=[guide],
    )
    html = html_of(client.get(atelier.url))
    text = text_of(html)
    assert html.count("<h1") == 1
    assert atelier.summary in text
    assert "Pour qui Seniors, Adultes" in text
    assert "Niveau Débutant" in text
    assert "Durée 1 h 30" in text
    assert "de 3 à 8 participants" in text
    assert "Savoir allumer un téléphone." in text
    assert "Créer une adresse e-mail" in text  # objectives
    assert "S2.1 Créer une adresse e-mail" in text
    assert "Un téléphone ou une tablette par personne" in text
    # The session plan with its timed steps and total.
    assert "Durée totale du déroulé : 1 h 30" in text
    assert "Tour de table (10 min)" in text
    # Handouts as links with their format and size.
    assert re.search(r"Aide-mémoire 1 \(TXT, 2,0 Kio\)", text)
    assert len(re.findall(r'<a href="/documents/\d+/support[^"]*\.txt"', html)) == 2
    assert 'href="' + guide.url + '"' in html
    assert "CC BY-SA 4.0" in text


def test_facilitator_notes_never_reach_the_public_page(client):
    atelier = AtelierPageFactory()
    assert atelier.facilitator_notes == FACILITATOR_NOTES
    html = html_of(client.get(atelier.url))
    assert "NOTE-ANIMATEUR" not in html
    assert "prévoir deux téléphones" not in html
    # Not on the index either.
    assert "NOTE-ANIMATEUR" not in html_of(client.get("/ateliers/"))


# Index pages: filters and pagination ------------------------------------------------------


def card_titles(html: str) -> list[str]:
    titles = re.findall(r'<li class="card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)
    return [unescape(title) for title in titles]


def test_guide_index_filters_by_theme_audience_difficulty_and_competence(client):
    GuidePageFactory(
        title="Créer son adresse e-mail",
        themes=[theme("e-mail")],
        audiences=[audience("seniors")],
        competences=[competence("S2.1")],
        illustrated=False,
    )
    GuidePageFactory(
        title="Trier ses e-mails",
        themes=[theme("e-mail")],
        audiences=[audience("adultes")],
        difficulty="intermediaire",
        illustrated=False,
    )
    GuidePageFactory(
        title="Renouveler sa carte d'identité",
        themes=[theme("demarches-papiers")],
        audiences=[audience("seniors")],
        competences=[competence("S3.3")],
        illustrated=False,
    )
    GuidePageFactory(title="Brouillon e-mail", themes=[theme("e-mail")], publish=False)

    def titles(query: str) -> list[str]:
        response = client.get("/fiches/" + query)
        assert response.status_code == 200
        return card_titles(response.content.decode())

    assert titles("") == [
        "Créer son adresse e-mail",
        "Renouveler sa carte d'identité",
        "Trier ses e-mails",
    ]
    assert titles("?thematique=e-mail") == ["Créer son adresse e-mail", "Trier ses e-mails"]
    # A parent theme includes its sub-themes.
    assert titles("?thematique=aide-aux-demarches-administratives") == [
        "Renouveler sa carte d'identité"
    ]
    assert titles("?public=seniors") == [
        "Créer son adresse e-mail",
        "Renouveler sa carte d'identité",
    ]
    assert titles("?niveau=intermediaire") == ["Trier ses e-mails"]
    assert titles(f"?competence={competence('S3.3').pk}") == ["Renouveler sa carte d'identité"]
    assert titles("?thematique=e-mail&public=seniors&niveau=debutant") == [
        "Créer son adresse e-mail"
    ]
    html = client.get("/fiches/?thematique=sante").content.decode()
    assert "Aucune fiche pratique</h2>" in html and "Voir toutes les fiches" in html


def test_the_filter_form_is_a_labelled_get_form_that_keeps_its_values(client):
    GuidePageFactory(themes=[theme("e-mail")], illustrated=False)
    html = client.get("/fiches/?thematique=e-mail&niveau=debutant").content.decode()
    form = re.search(r'<form class="filters" method="get" action="/fiches/".*?</form>', html, re.S)
    assert form, "le formulaire de filtre est un formulaire GET"
    form = form.group(0)
    for name in ("thematique", "public", "niveau", "competence"):
        assert f'<label for="filtre-{name}">' in form
        assert f'<select name="{name}" id="filtre-{name}"' in form
    assert '<option value="e-mail" selected>E-mail</option>' in form
    assert '<option value="debutant" selected>Débutant</option>' in form
    assert 'href="/fiches/">Effacer les filtres</a>' in form


def test_unknown_filter_values_are_explained_not_errors(client):
    GuidePageFactory(title="Une fiche", illustrated=False)
    response = client.get("/fiches/?thematique=inconnue&niveau=expert&competence=abc&page=zz")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Ce choix n&#x27;existe pas (ou plus) : choisissez dans la liste.") == 3
    assert 'aria-invalid="true" aria-describedby="filtre-thematique-erreur"' in html
    assert 'id="filtre-thematique-erreur"' in html
    # The invalid filters are ignored: the list is shown.
    assert card_titles(html) == ["Une fiche"]


def test_guide_index_is_paginated_with_shareable_links(client):
    for n in range(14):
        GuidePageFactory(title=f"Fiche {n:02d}", themes=[theme("e-mail")], illustrated=False)
    GuidePageFactory(title="Fiche santé", themes=[theme("sante")], illustrated=False)

    first = client.get("/fiches/?thematique=e-mail").content.decode()
    assert "14 fiches pratiques" in first
    assert card_titles(first) == [f"Fiche {n:02d}" for n in range(12)]
    nav = re.search(r'<nav class="pagination" aria-label="Pagination">.*?</nav>', first, re.S)
    assert nav
    nav = nav.group(0)
    assert 'href="?thematique=e-mail&amp;page=1" aria-current="page"' in nav
    assert 'href="?thematique=e-mail&amp;page=2" rel="next">Page suivante' in nav
    assert "Page 1 sur 2" in nav

    second = client.get("/fiches/?thematique=e-mail&page=2").content.decode()
    assert card_titles(second) == ["Fiche 12", "Fiche 13"]
    assert "<title>Fiches pratiques, page 2 – Pas à pas</title>" in second
    assert 'rel="prev">Page précédente' in second
    # Out of range: the last page, not an error.
    assert card_titles(client.get("/fiches/?thematique=e-mail&page=99").content.decode()) == [
        "Fiche 12",
        "Fiche 13",
    ]
    # One page only: no pagination.
    assert 'class="pagination"' not in client.get("/fiches/?thematique=sante").content.decode()


def test_atelier_index_filters_and_never_shows_facilitator_notes(client):
    AtelierPageFactory(
        title="Atelier tablette seniors", audiences=[audience("seniors")], level="debutant"
    )
    AtelierPageFactory(
        title="Atelier CV en ligne",
        audiences=[audience("demandeurs-emploi")],
        level="intermediaire",
        themes=[theme("insertion-professionnelle")],
    )
    html = client.get("/ateliers/?public=seniors").content.decode()
    assert card_titles(html) == ["Atelier tablette seniors"]
    html = client.get("/ateliers/?niveau=intermediaire").content.decode()
    assert card_titles(html) == ["Atelier CV en ligne"]
    html = client.get("/ateliers/?thematique=insertion-professionnelle").content.decode()
    assert card_titles(html) == ["Atelier CV en ligne"]
    assert "1 h 30" in html and "NOTE-ANIMATEUR" not in html


# Navigation -----------------------------------------------------------------------------


def test_navigation_links_to_the_index_pages_when_they_exist(client):
    html = html_of(client.get("/"))
    assert "Fiches pratiques</a>" not in html
    GuidePageFactory()
    AtelierPageFactory()
    html = html_of(client.get("/"))
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', nav)
    assert links[:5] == ["/", "/fiches/", "/ateliers/", "/pres-de-chez-vous/", "/recherche/"]
    assert 'href="/" aria-current="page"' in nav
    nav = re.search(r'<nav class="site-nav".*?</nav>', html_of(client.get("/fiches/")), re.S)
    assert 'href="/fiches/" aria-current="page"' in nav.group(0)


# Query counts ---------------------------------------------------------------------------
# Measured with the render cache off (the test settings), i.e. the full cost of a page, and
# on, i.e. what a reader costs once the page has been rendered after a publication.


def test_guide_page_queries_do_not_grow_with_steps(client, django_assert_max_num_queries):
    short = GuidePageFactory(step_count=3, themes=[theme("e-mail")])
    long = GuidePageFactory(step_count=12, themes=[theme("e-mail"), theme("sante")])
    AtelierPageFactory(related_guides=[short, long])
    assert count_queries(client, short.url) == count_queries(client, long.url)
    with django_assert_max_num_queries(15):
        client.get(long.url)


def test_atelier_page_queries_do_not_grow_with_handouts(client, django_assert_max_num_queries):
    small = AtelierPageFactory(handout_count=1, related_guides=[GuidePageFactory()])
    big = AtelierPageFactory(handout_count=6, related_guides=[GuidePageFactory() for _ in range(4)])
    assert count_queries(client, small.url) == count_queries(client, big.url)
    with django_assert_max_num_queries(13):
        client.get(big.url)


def test_index_queries_do_not_grow_with_guides(client, django_assert_max_num_queries):
    GuidePageFactory(themes=[theme("e-mail")], illustrated=False)
    few = count_queries(client, "/fiches/")
    for _ in range(13):
        GuidePageFactory(themes=[theme("e-mail"), theme("sante")], illustrated=False)
    assert count_queries(client, "/fiches/") == few
    assert count_queries(client, "/fiches/?page=2") == few
    with django_assert_max_num_queries(10):
        client.get("/fiches/?thematique=e-mail&niveau=debutant&competence=1&public=seniors")


def test_atelier_index_queries_do_not_grow_with_ateliers(client, django_assert_max_num_queries):
    AtelierPageFactory(audiences=[audience("seniors")])
    few = count_queries(client, "/ateliers/")
    for _ in range(11):
        AtelierPageFactory(audiences=[audience("seniors"), audience("parents")])
    assert count_queries(client, "/ateliers/") == few
    with django_assert_max_num_queries(11):
        client.get("/ateliers/?public=seniors")


def test_search_queries_do_not_grow_with_results(client, django_assert_max_num_queries):
    GuidePageFactory(title="Fiche courriel", illustrated=False)
    few = count_queries(client, "/recherche/?q=courriel")
    for n in range(8):
        GuidePageFactory(title=f"Courriel numéro {n}", illustrated=False)
        AtelierPageFactory(title=f"Atelier courriel {n}")
    assert count_queries(client, "/recherche/?q=courriel") == few
    with django_assert_max_num_queries(6):
        client.get("/recherche/?q=introuvable")


def test_home_page_queries(client, django_assert_max_num_queries):
    GuidePageFactory(illustrated=False)
    AtelierPageFactory()
    client.get("/")
    with django_assert_max_num_queries(4):
        client.get("/")


# Render cache ---------------------------------------------------------------------------


@pytest.fixture
def render_cache(settings):
    settings.RENDER_CACHE_SECONDS = 300


def test_render_cache_serves_articles_with_fewer_queries(client, render_cache):
    guide = GuidePageFactory(step_count=12, themes=[theme("e-mail")])
    atelier = AtelierPageFactory(handout_count=3, related_guides=[guide])
    for url, bound in ((guide.url, 8), (atelier.url, 7), ("/fiches/", 6), ("/ateliers/", 6)):
        first = client.get(url).content
        assert count_queries(client, url) <= bound, url
        assert client.get(url).content == first


def test_render_cache_never_shows_stale_content(client, render_cache):
    guide = GuidePageFactory(title="Première version", illustrated=False)
    atelier = AtelierPageFactory(title="Atelier lié", related_guides=[guide])
    assert "Atelier lié" in client.get(guide.url).content.decode()
    assert "Première version" in client.get("/fiches/").content.decode()

    guide.title = "Seconde version"
    guide.save_revision().publish()
    assert "Seconde version" in client.get(guide.url).content.decode()
    assert "Seconde version" in client.get("/fiches/").content.decode()
    # Another page's publication refreshes what this page shows of it.
    atelier.title = "Atelier renommé"
    atelier.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert "Atelier renommé" in html and "Atelier lié" not in html
    # Taxonomy edits too.
    email = theme("e-mail")
    guide.themes = [email]
    guide.save_revision().publish()
    email.name = "Courrier électronique"
    email.save()
    assert "Courrier électronique" in client.get(guide.url).content.decode()


def test_previews_are_never_served_from_the_render_cache(client, render_cache):
    guide = GuidePageFactory(title="Version publiée", illustrated=False)
    client.get(guide.url)
    guide.title = "Brouillon en cours"
    request = guide.make_preview_request()
    assert "Brouillon en cours" in request.content.decode()
    assert "Version publiée" in client.get(guide.url).content.decode()


def test_navigation_follows_unpublication(client):
    GuidePageFactory(illustrated=False)
    atelier = AtelierPageFactory()
    assert 'href="/ateliers/"' in client.get("/").content.decode()
    atelier.get_parent().unpublish()
    assert 'href="/ateliers/"' not in client.get("/").content.decode()
