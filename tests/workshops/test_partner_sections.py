"""Partner structures' sections: their editors write and submit guides there, and nowhere
else; coordinators review and publish; the public lists the guides with the others.
Also what makes writing a guide smoother (issue 16, item 2)."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Collection, GroupPagePermission, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.test.utils.form_data import querydict_from_html

from tests.factories.editorial import UserFactory, atelier_index, guide_index, guide_steps
from tests.queries import count_queries
from tests.workshops.test_editorial import steps_form_data
from workshops import roles
from workshops.models import AtelierSectionPage, GuidePage, GuideSectionPage
from workshops.services.editorial import (
    editorial_setup,
    partner_sections_ensure,
    structure_editor_add,
)

pytestmark = pytest.mark.django_db

STRUCTURE_A = "Médiathèque de Luçon"
STRUCTURE_B = "Association Les Clics"


@pytest.fixture
def editorial():
    guide_index()
    atelier_index()
    editorial_setup()


@pytest.fixture
def editor_a(editorial):
    user = UserFactory(username="editrice.a")
    structure_editor_add(user=user, name=STRUCTURE_A, ateliers=True)
    return user


@pytest.fixture
def editor_b(editorial):
    user = UserFactory(username="editeur.b")
    structure_editor_add(user=user, name=STRUCTURE_B)
    return user


@pytest.fixture
def counsellor(editorial):
    return UserFactory(groups=[roles.COUNSELLORS])


@pytest.fixture
def coordinator(editorial):
    return UserFactory(groups=[roles.COORDINATORS])


def section_of(name: str) -> GuideSectionPage:
    return GuideSectionPage.objects.get(collection__name=name)


def guide_in(section, *, title: str, owner=None, publish: bool = False) -> GuidePage:
    guide = GuidePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary="Une fiche écrite par une structure partenaire.",
        steps=guide_steps(2),
        owner=owner,
        live=False,
    )
    section.add_child(instance=guide)
    revision = guide.save_revision(user=owner)
    if publish:
        revision.publish()
        guide.refresh_from_db()
    return guide


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["workshops", "guidepage", parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def create_data(client, parent, *, title: str, slug: str, **extra) -> dict:
    response = client.get(add_url(parent))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": title,
            "slug": slug,
            "summary": "Pas à pas, avec une capture par étape.",
            **steps_form_data("Ouvrez l'application", "Touchez « Envoyer »"),
            **extra,
        }
    )
    return data


def refused(response) -> bool:
    """Wagtail refuses with a 403, or a redirect to the admin home or the login page."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith("/admin/")


def texts(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


# --- The section and its permissions ---------------------------------------------------


def test_sections_are_created_once_live_with_the_structure_collection(editor_a):
    guide_section = section_of(STRUCTURE_A)
    assert guide_section.live and guide_section.get_parent().pk == guide_index().pk
    assert guide_section.title == STRUCTURE_A
    assert guide_section.collection.name == STRUCTURE_A
    atelier_section = AtelierSectionPage.objects.get(collection__name=STRUCTURE_A)
    assert atelier_section.get_parent().pk == atelier_index().pk
    # Again: nothing new; without ateliers, no atelier section for B.
    again = partner_sections_ensure(name=STRUCTURE_A, ateliers=True)
    assert [page.pk for page in again] == [guide_section.pk, atelier_section.pk]
    assert GuideSectionPage.objects.count() == 1
    structure_editor_add(user=UserFactory(), name=STRUCTURE_B)
    assert not AtelierSectionPage.objects.filter(collection__name=STRUCTURE_B).exists()
    # The structure's group may add and change there, never publish.
    codenames = set(
        GroupPagePermission.objects.filter(page=guide_section).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}


def test_setup_gives_back_a_section_permission_removed_by_hand(editor_a):
    section = section_of(STRUCTURE_A)
    GroupPagePermission.objects.filter(page=section).delete()
    user = type(editor_a).objects.get(pk=editor_a.pk)  # Wagtail caches on the user
    assert not section.permissions_for_user(user).can_add_subpage()
    editorial_setup()
    user = type(editor_a).objects.get(pk=editor_a.pk)
    assert section.permissions_for_user(user).can_add_subpage()


def test_section_sits_aside_a_guide_with_the_same_slug(editorial):
    taken = guide_in(guide_index(), title="mediatheque de lucon")
    assert taken.slug == "mediatheque-de-lucon"
    structure_editor_add(user=UserFactory(), name=STRUCTURE_A)
    assert section_of(STRUCTURE_A).slug.startswith("mediatheque-de-lucon-")


# --- Partner editor A: own section -----------------------------------------------------


def test_partner_editor_creates_edits_and_submits_a_guide_in_their_section(client, editor_a):
    section = section_of(STRUCTURE_A)
    client.force_login(editor_a)
    html = client.get(add_url(section)).content.decode()
    assert 'name="action-publish"' not in html
    data = create_data(
        client, section, title="Emprunter un livre numérique", slug="emprunter-un-livre"
    )
    response = client.post(add_url(section), data)  # a draft
    assert response.status_code == 302, response.context["form"].errors
    guide = GuidePage.objects.get(slug="emprunter-un-livre")
    assert guide.get_parent().pk == section.pk
    assert guide.owner == editor_a and not guide.live

    # They edit it again; a forged « publish » only saves a draft.
    def edit_data(title: str) -> dict:
        response = client.get(edit_url(guide))
        assert response.status_code == 200
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        data.update(steps_form_data("Ouvrez l'application"))
        data["title"] = title
        return data

    data = edit_data("Emprunter un livre numérique à la médiathèque")
    data["action-publish"] = "action-publish"
    client.post(edit_url(guide), data)
    guide.refresh_from_db()
    assert not guide.live
    assert guide.get_latest_revision_as_object().title.endswith("à la médiathèque")
    assert not guide.permissions_for_user(editor_a).can_publish()

    # Then submit it: the index's review workflow reaches the section.
    data = edit_data("Emprunter un livre numérique")
    data["action-submit"] = "action-submit"
    assert client.post(edit_url(guide), data).status_code == 302
    guide.refresh_from_db()
    assert guide.workflow_in_progress and not guide.live


def test_partner_editor_explores_from_their_section(editor_a, editor_b):
    policy = PagePermissionPolicy()
    assert policy.explorable_root_instance(editor_b).pk == section_of(STRUCTURE_B).pk
    # A has an atelier section too: the explorer starts at their common parent, but
    # shows only the way down to A's sections, not B's.
    theirs = guide_in(section_of(STRUCTURE_B), title="Fiche de B")
    explorable = set(policy.explorable_instances(editor_a).values_list("pk", flat=True))
    assert section_of(STRUCTURE_A).pk in explorable
    assert not explorable & {section_of(STRUCTURE_B).pk, theirs.pk}


# --- Partner editors A and B: the other section ----------------------------------------


@pytest.mark.parametrize(
    ("editor", "other"), [("editor_a", STRUCTURE_B), ("editor_b", STRUCTURE_A)]
)
def test_partner_editor_cannot_touch_another_section(client, request, editor, other):
    user = request.getfixturevalue(editor)
    request.getfixturevalue("editor_a" if editor == "editor_b" else "editor_b")
    other_section = section_of(other)
    theirs = guide_in(other_section, title="Fiche des autres")
    outside = guide_in(guide_index(), title="Fiche du réseau", publish=True)
    client.force_login(user)
    assert refused(client.get(add_url(other_section)))
    assert refused(client.post(add_url(other_section), {"title": "Intrusion"}))
    assert refused(client.get(edit_url(theirs)))
    assert refused(client.post(edit_url(theirs), {"title": "Modifié"}))
    assert refused(client.get(edit_url(outside)))
    assert refused(client.get(add_url(guide_index())))
    theirs.refresh_from_db()
    assert theirs.title == "Fiche des autres"
    assert not GuidePage.objects.filter(title="Intrusion").exists()


# --- Counsellor, coordinator, anonymous ------------------------------------------------


def test_counsellor_cannot_publish_a_partner_guide(editor_a, counsellor):
    guide = guide_in(section_of(STRUCTURE_A), title="Fiche partenaire", owner=editor_a)
    perms = guide.permissions_for_user(counsellor)
    assert not perms.can_publish()
    assert perms.can_submit_for_moderation()


def test_coordinator_approves_a_partner_guide_which_the_public_then_reads(
    client, editor_a, coordinator
):
    section = section_of(STRUCTURE_A)
    guide = guide_in(section, title="Fiche partenaire", owner=editor_a)
    state = guide.get_workflow().start(guide, editor_a)

    # Anonymous: the draft is nowhere; the admin sends them to the login page.
    assert client.get(guide.url).status_code == 404
    assert "Fiche partenaire" not in client.get(guide_index().url).content.decode()
    response = client.get(edit_url(guide))
    assert response.status_code == 302 and "/login/" in response["Location"]

    client.force_login(coordinator)
    assert guide.permissions_for_user(coordinator).can_publish()
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[guide.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    assert texts(response) == ["Relecture validée : « Fiche partenaire » est publiée sur le site."]
    guide.refresh_from_db()
    assert guide.live

    client.logout()
    assert client.get(guide.url).status_code == 200
    assert guide.url.startswith(section.url)  # /fiches/mediatheque-de-lucon/fiche-partenaire/
    for listing in (guide_index().url, section.url):
        assert "Fiche partenaire" in client.get(listing).content.decode()


def test_a_section_lists_only_its_own_guides(client, editor_a, editor_b):
    guide_in(section_of(STRUCTURE_A), title="Fiche de A", publish=True)
    guide_in(section_of(STRUCTURE_B), title="Fiche de B", publish=True)
    html = client.get(section_of(STRUCTURE_A).url).content.decode()
    assert "Fiche de A" in html and "Fiche de B" not in html
    index_html = client.get(guide_index().url).content.decode()
    assert "Fiche de A" in index_html and "Fiche de B" in index_html


def test_a_changes_request_is_confirmed(client, editor_a, coordinator):
    guide = guide_in(section_of(STRUCTURE_A), title="Fiche à revoir", owner=editor_a)
    state = guide.get_workflow().start(guide, editor_a)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[guide.pk, "reject", state.current_task_state.pk],
    )
    response = client.post(url, {"comment": "Ajoutez une capture."})
    [text] = texts(response)
    assert text.startswith("Modifications demandées pour « Fiche à revoir »")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_approving_from_the_edit_page_is_confirmed(client, editor_a, coordinator):
    guide = guide_in(section_of(STRUCTURE_A), title="Fiche relue", owner=editor_a)
    guide.get_workflow().start(guide, editor_a)
    client.force_login(coordinator)
    response = client.get(edit_url(guide))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(steps_form_data("Étape numéro 1", "Étape numéro 2"))
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    response = client.post(edit_url(guide), data)
    assert response.status_code == 302
    assert "Relecture validée : « Fiche relue » est publiée sur le site." in texts(response)
    guide.refresh_from_db()
    assert guide.live


# --- Writing without friction -------------------------------------------------------------


def test_a_new_guide_starts_with_one_step_and_zero_steps_is_refused_on_submit(client, editor_a):
    assert len(GuidePage().steps) == 1
    section = section_of(STRUCTURE_A)
    client.force_login(editor_a)
    data = create_data(client, section, title="Sans étape", slug="sans-etape")
    data.update({"steps-count": "0", "action-submit": "action-submit"})
    for key in [key for key in data if key.startswith("steps-0")]:
        del data[key]
    response = client.post(add_url(section), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["steps"].as_data()[0]
    assert "Le nombre minimum d'éléments est 1" in [str(e) for e in errors.non_block_errors]
    assert not GuidePage.objects.filter(slug="sans-etape").exists()


def test_a_slug_clash_is_explained_under_the_title(client, editor_a):
    section = section_of(STRUCTURE_A)
    guide_in(section, title="Prendre une photo")
    client.force_login(editor_a)
    data = create_data(client, section, title="Prendre une photo", slug="prendre-une-photo")
    response = client.post(add_url(section), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "slug" in errors
    assert errors["title"] == [
        "Une autre page porte déjà l'adresse « prendre-une-photo » à cet endroit. Changez le "
        "titre, ou l'adresse dans l'onglet « Promotion » (champ « Slug »)."
    ]


def test_the_image_chooser_names_the_root_collection_in_french(client, coordinator):
    root = Collection.get_first_root_node()
    assert root.name == "Collection commune"
    structure_editor_add(user=UserFactory(), name=STRUCTURE_A)
    client.force_login(coordinator)
    html = unescape(client.get(reverse("wagtailimages_chooser:choose")).content.decode())
    assert "Collection commune" in html
    assert "Root" not in html


def test_the_editor_loads_the_rich_text_labelling_script(client, editor_a):
    client.force_login(editor_a)
    html = client.get(add_url(section_of(STRUCTURE_A))).content.decode()
    assert "workshops/editor-labels.js" in html


# --- Cost -----------------------------------------------------------------------------


def test_a_partner_guide_costs_what_a_network_guide_costs(client, editor_a):
    """One more level in the tree, not one more query: routing finds a page by its path
    (caching/routing.py) and the listing reads descendants in one query."""
    network = guide_in(guide_index(), title="Fiche du réseau", publish=True)
    partner = guide_in(section_of(STRUCTURE_A), title="Fiche partenaire", publish=True)
    guide_in(section_of(STRUCTURE_A), title="Autre fiche partenaire", publish=True)
    assert count_queries(client, partner.url) == count_queries(client, network.url)
    assert count_queries(client, section_of(STRUCTURE_A).url) == count_queries(
        client, guide_index().url
    )
