"""Licences of guides, ateliers, step pictures and handouts: shown as links with
`rel="license"`, chosen in the editor (« tous droits réservés » only once confirmed), the
default on creation, and the API's field."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from tests.factories.editorial import UserFactory, atelier_index, guide_index
from tests.factories.workshops import (
    AtelierPageFactory,
    DocumentFactory,
    GuidePageFactory,
    guide_steps,
)
from tests.workshops.test_editorial import steps_form_data
from workshops import roles
from workshops.choices import Licence
from workshops.models import AtelierHandout, GuidePage
from workshops.page_forms import CONFIRM_FIELD
from workshops.services.editorial import editorial_setup

pytestmark = pytest.mark.django_db

ETALAB_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.fr"
REFUSAL = "Vous avez choisi « Tous droits réservés » : cochez la case qui le confirme."


def license_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link with rel="license"."""
    return re.findall(r'<a href="([^"]+)" rel="license">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("licence", "url", "name"),
    [
        (Licence.ETALAB, ETALAB_URL, "Licence Ouverte / Etalab 2.0"),
        (Licence.CC_BY, CC_BY_URL, "CC BY 4.0"),
        (
            Licence.CC_BY_SA,
            "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
            "CC BY-SA 4.0",
        ),
    ],
)
def test_guide_and_atelier_link_their_licence_with_rel_license(client, licence, url, name):
    guide = GuidePageFactory(licence=licence, illustrated=False)
    atelier = AtelierPageFactory(licence=licence)
    for page in (guide, atelier):
        html = client.get(page.url).content.decode()
        assert license_links(html) == [(url, name)], page.url


def test_all_rights_reserved_is_said_without_a_licence_link(client):
    guide = GuidePageFactory(licence=Licence.ALL_RIGHTS, illustrated=False)
    html = client.get(guide.url).content.decode()
    assert license_links(html) == []
    assert re.search(r"<dt>Licence</dt>\s*<dd>Tous droits réservés</dd>", html)


def test_step_picture_shows_its_credit_and_its_licence_when_it_differs(client):
    steps = guide_steps(3)
    steps[0][1].update(image_credit="Photo de Marie Durand", image_licence=Licence.CC_BY)
    steps[1][1].update(image_credit="", image_licence=Licence.ETALAB)  # the page's own
    guide = GuidePageFactory(licence=Licence.ETALAB, steps=steps)
    html = client.get(guide.url).content.decode()
    captions = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)
    assert captions == [f'Image : Photo de Marie Durand, <a href="{CC_BY_URL}">CC BY 4.0</a>']
    assert html.count("<figure") == 1 and html.count("<picture>") == 3
    # The picture's licence is not the page's: only the page's link says rel="license".
    assert license_links(html) == [(ETALAB_URL, "Licence Ouverte / Etalab 2.0")]


def test_credit_is_escaped(client):
    steps = guide_steps(1)
    steps[0][1]["image_credit"] = "<script>alert(1)</script>"
    html = client.get(GuidePageFactory(steps=steps).url).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_handouts_show_their_credit_and_licence_when_it_differs(client):
    atelier = AtelierPageFactory(licence=Licence.CC_BY_SA, handout_count=0)
    atelier.handouts.add(
        AtelierHandout(
            document=DocumentFactory(),
            label="Mémo visio",
            credit="Médiathèque de la Source",
            licence=Licence.ETALAB,
        )
    )
    atelier.handouts.add(AtelierHandout(document=DocumentFactory(), label="Mémo e-mail"))
    atelier.save_revision().publish()
    html = client.get(atelier.url).content.decode()
    items = re.findall(r'<ul class="documents"[^>]*>(.*?)</ul>', html, re.S)[0]
    memo_visio, memo_email = re.findall(r"<li>(.*?)</li>", items, re.S)
    assert (
        f'(source : Médiathèque de la Source, <a href="{ETALAB_URL}">Licence Ouverte / '
        "Etalab 2.0</a>)" in memo_visio
    )
    assert "source" not in memo_email


# --- The editor ------------------------------------------------------------------------


@pytest.fixture
def counsellor():
    guide_index()
    atelier_index()
    editorial_setup()
    return UserFactory(groups=[roles.COUNSELLORS])


def _add_form(client, slug: str):
    add_url = reverse("wagtailadmin_pages:add", args=["workshops", "guidepage", guide_index().pk])
    response = client.get(add_url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "Envoyer une photo par e-mail",
            "slug": slug,
            "summary": "Joindre une photo à un message, pas à pas.",
            **steps_form_data("Ouvrez votre messagerie"),
        }
    )
    return add_url, response, data


def test_new_guide_gets_the_open_licence_by_default(client, counsellor):
    client.force_login(counsellor)
    add_url, response, data = _add_form(client, "photo-par-defaut")
    html = response.content.decode()
    assert re.search(r'<option value="etalab-2.0" selected>', html)
    # The confirmation is offered in the editor, unticked, with its consequence.
    assert f'name="{CONFIRM_FIELD}"' in html
    assert "Personne ne pourra plus réutiliser" in html
    assert data["licence"] == Licence.ETALAB
    response = client.post(add_url, data)
    assert response.status_code == 302
    assert GuidePage.objects.get(slug="photo-par-defaut").licence == Licence.ETALAB


def test_all_rights_reserved_is_refused_without_the_confirmation(client, counsellor):
    client.force_login(counsellor)
    add_url, _response, data = _add_form(client, "photo-tous-droits")
    data["licence"] = Licence.ALL_RIGHTS
    data.pop(CONFIRM_FIELD, None)
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[CONFIRM_FIELD] == [
        REFUSAL + " Sinon, choisissez une licence libre, comme la Licence Ouverte / Etalab "
        "2.0, pour que d'autres puissent réutiliser ce contenu."
    ]
    assert REFUSAL in response.content.decode()
    assert not GuidePage.objects.filter(slug="photo-tous-droits").exists()
    # Ticked: accepted, and the page can then be edited without ticking it again.
    data[CONFIRM_FIELD] = "on"
    assert client.post(add_url, data).status_code == 302
    guide = GuidePage.objects.get(slug="photo-tous-droits")
    assert guide.licence == Licence.ALL_RIGHTS
    edit_url = reverse("wagtailadmin_pages:edit", args=[guide.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data.update(steps_form_data("Ouvrez votre messagerie"))
    data.pop(CONFIRM_FIELD, None)
    data["summary"] = "Un autre résumé."
    assert client.post(edit_url, data).status_code == 302
    assert GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object().summary == (
        "Un autre résumé."
    )


def test_switching_an_open_guide_to_all_rights_needs_the_confirmation(client, counsellor):
    guide = GuidePageFactory(parent=guide_index(), licence=Licence.CC_BY, illustrated=False)
    client.force_login(counsellor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[guide.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data.update(steps_form_data("Ouvrez votre messagerie"))
    data["licence"] = Licence.ALL_RIGHTS
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert CONFIRM_FIELD in response.context["form"].errors
    assert GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object().licence == (
        Licence.CC_BY
    )


def test_atelier_editor_has_the_same_rule(client, counsellor):
    client.force_login(counsellor)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["workshops", "atelierpage", atelier_index().pk]
    )
    html = client.get(add_url).content.decode()
    assert f'name="{CONFIRM_FIELD}"' in html
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(
        {
            "title": "Atelier visio",
            "slug": "atelier-visio",
            "summary": "Appeler ses proches en vidéo.",
            "licence": Licence.ALL_RIGHTS,
            **nested_form_data({"session_plan": streamfield([])}),
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert CONFIRM_FIELD in response.context["form"].errors


# --- API -------------------------------------------------------------------------------


def test_api_lists_each_page_with_its_own_licence(client):
    GuidePageFactory(licence=Licence.CC_BY, illustrated=False)
    AtelierPageFactory(licence=Licence.ALL_RIGHTS)
    (guide,) = client.get("/api/v1/fiches").json()["data"]
    assert guide["attributes"]["licence"] == {
        "code": "cc-by-4.0",
        "nom": "CC BY 4.0",
        "url": CC_BY_URL,
    }
    (atelier,) = client.get("/api/v1/ateliers").json()["data"]
    assert atelier["attributes"]["licence"] == {
        "code": "tous-droits",
        "nom": "Tous droits réservés",
        "url": "",
    }
