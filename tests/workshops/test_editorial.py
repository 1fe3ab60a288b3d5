"""Groups, page and collection permissions, the review workflow, curriculum duplication."""

import io
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model, get_permission_policy
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    WorkflowState,
)
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from tests.factories.editorial import (
    UserFactory,
    atelier_create,
    atelier_index,
    guide_create,
    guide_index,
)
from workshops import roles
from workshops.models import AtelierPage, GuidePage
from workshops.services.editorial import (
    WORKFLOW_NAME,
    editorial_setup,
    structure_collection_ensure,
    structure_editor_add,
)

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG_1PX = png_bytes()


@pytest.fixture
def editorial():
    """Index pages exist, then the set-up runs (as the demo loader does)."""
    guide_index()
    atelier_index()
    editorial_setup()


@pytest.fixture
def counsellor(editorial):
    return UserFactory(groups=[roles.COUNSELLORS])


@pytest.fixture
def coordinator(editorial):
    return UserFactory(groups=[roles.COORDINATORS])


@pytest.fixture
def partner(editorial):
    _, group = structure_collection_ensure(name="Mairie de Fontenay")
    return UserFactory(groups=[roles.PARTNER_EDITORS, group.name])


def snapshot():
    return (
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        sorted(
            GroupCollectionPermission.objects.values_list(
                "group_id", "collection_id", "permission_id"
            )
        ),
        sorted(Group.permissions.through.objects.values_list("group_id", "permission_id")),
        list(Page.objects.filter(workflowpage__isnull=False).values_list("pk", flat=True)),
    )


# --- Set-up ---------------------------------------------------------------------------


def test_groups_exist_after_migrate():
    # post_migrate ran when the test database was created.
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names


def test_setup_is_idempotent_and_attaches_the_workflow_to_both_indexes(editorial):
    before = snapshot()
    editorial_setup()
    call_command("setup_editorial", verbosity=0)
    assert snapshot() == before
    for index in (guide_index(), atelier_index()):
        assert index.get_workflow().name == WORKFLOW_NAME
    guide = guide_create()
    assert guide.get_workflow().name == WORKFLOW_NAME
    task = guide.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [roles.COORDINATORS]


def test_structure_collection_is_idempotent():
    first = structure_collection_ensure(name="Centre social Les Tilleuls")
    second = structure_collection_ensure(name="  Centre social Les Tilleuls ")
    assert first == second
    collection, group = first
    assert collection.get_parent() == Collection.get_first_root_node()
    assert group.name == "Éditeurs – Centre social Les Tilleuls"
    assert Collection.objects.filter(name="Centre social Les Tilleuls").count() == 1
    assert group.collection_permissions.count() == 8


# --- Page permissions and workflow --------------------------------------------------------


def test_counsellor_can_add_and_edit_but_not_publish(counsellor, coordinator):
    guide = guide_create()
    perms = guide.permissions_for_user(counsellor)
    assert perms.can_edit()
    assert not perms.can_publish()
    assert perms.can_submit_for_moderation()
    assert guide_index().permissions_for_user(counsellor).can_add_subpage()
    assert not guide.permissions_for_user(counsellor).can_lock()
    coordinator_perms = guide.permissions_for_user(coordinator)
    assert coordinator_perms.can_publish() and coordinator_perms.can_lock()
    # Not outside the two indexes: the home page is off limits for counsellors.
    assert not guide_index().get_parent().permissions_for_user(counsellor).can_edit()


def steps_form_data(*titles: str) -> dict:
    """The StreamField part of the page form (built by JavaScript in a browser)."""
    return nested_form_data(
        {
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": title,
                            "text": rich_text(f"<p>{title} : touchez le bouton.</p>"),
                            "image": "",
                            "alt_text": "",
                            "tip": "",
                            "warning": "",
                        },
                    )
                    for title in titles
                ]
            )
        }
    )


def _edit_form(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(steps_form_data(*(block.value["title"] for block in page.steps)))
    return response, data


def test_counsellor_publish_is_refused_submit_goes_to_review_and_coordinator_approves(
    client, counsellor, coordinator
):
    guide = guide_create(publish=False)
    client.force_login(counsellor)
    response, data = _edit_form(client, guide)
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html

    # A forged "publish" does not publish: it only saves a draft.
    data["title"] = "Titre modifié par le conseiller"
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data)
    guide.refresh_from_db()
    assert not guide.live
    assert guide.has_unpublished_changes

    # Submitting starts the coordination's review.
    response, data = _edit_form(client, guide)
    data["action-submit"] = "action-submit"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data)
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(guide.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    task_state = state.current_task_state

    # The counsellor cannot approve their own submission.
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[guide.pk, "approve", task_state.pk]
    )
    response = client.post(approve_url, {"comment": "Je valide moi-même"})
    guide.refresh_from_db()
    assert not guide.live

    # A coordinator approves with a comment: the page goes live.
    client.force_login(coordinator)
    response = client.post(approve_url, {"comment": "Très clair, merci !"})
    assert response.status_code in (200, 302)
    guide.refresh_from_db()
    assert guide.live
    assert guide.title == "Titre modifié par le conseiller"
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_APPROVED
    assert task_state.get_comment() == "Très clair, merci !"


def test_coordinator_rejects_with_a_comment(client, counsellor, coordinator):
    guide = guide_create(publish=False)
    workflow = guide.get_workflow()
    state = workflow.start(guide, counsellor)
    client.force_login(coordinator)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[guide.pk, "reject", state.current_task_state.pk],
    )
    client.post(url, {"comment": "Ajoutez une capture à l'étape 2."})
    state.refresh_from_db()
    guide.refresh_from_db()
    assert not guide.live
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.task_states.get()
    assert task_state.status == task_state.STATUS_REJECTED
    assert task_state.get_comment() == "Ajoutez une capture à l'étape 2."


def test_partner_editor_cannot_edit_guides(client, partner):
    guide = guide_create()
    assert not guide.permissions_for_user(partner).can_edit()
    client.force_login(partner)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("wagtailadmin_pages:edit", args=[guide.pk]) not in response["Location"]
    add_url = reverse("wagtailadmin_pages:add", args=["workshops", "guidepage", guide_index().pk])
    assert client.get(add_url).status_code in (302, 403)
    # But they reach the admin itself.
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_counsellor_creates_a_guide_in_the_admin_and_submits_it(client, counsellor):
    client.force_login(counsellor)
    add_url = reverse("wagtailadmin_pages:add", args=["workshops", "guidepage", guide_index().pk])
    response = client.get(add_url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "Envoyer une photo par e-mail",
            "slug": "envoyer-une-photo-par-e-mail",
            "summary": "Joindre une photo à un message, pas à pas.",
            "action-submit": "action-submit",
            **steps_form_data("Ouvrez votre messagerie", "Touchez « Nouveau message »"),
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    guide = GuidePage.objects.get(slug="envoyer-une-photo-par-e-mail")
    assert not guide.live
    assert guide.owner == counsellor
    assert guide.workflow_in_progress


# --- Duplication -----------------------------------------------------------------------


def test_copying_a_curriculum_keeps_its_competences_and_plan(client, counsellor):
    atelier = atelier_create()
    competence_ids = set(atelier.competences.values_list("pk", flat=True))
    assert len(competence_ids) == 2
    client.force_login(counsellor)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[atelier.pk]),
        {
            "new_title": "Copie de l'atelier",
            "new_slug": "copie-de-l-atelier",
            "new_parent_page": str(atelier_index().pk),
        },
    )
    assert response.status_code == 302
    copy = AtelierPage.objects.get(slug="copie-de-l-atelier")
    assert copy.pk != atelier.pk
    assert set(copy.competences.values_list("pk", flat=True)) == competence_ids
    assert [b.value["title"] for b in copy.session_plan] == ["Tour de table", "Pratique"]
    assert not copy.live  # counsellors cannot publish: the copy is a draft
    # The copy's latest revision keeps them too (the editor opens the revision).
    latest = copy.get_latest_revision_as_object()
    assert {c.pk for c in latest.competences.all()} == competence_ids


# --- Collections -----------------------------------------------------------------------


def _upload(client, collection, title="Capture"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile("capture.png", PNG_1PX, content_type="image/png"),
            "collection": str(collection.pk),
            "tags": "",
        },
    )


def test_partner_editor_uses_only_their_own_collection(client, partner):
    policy = get_permission_policy()
    own, _ = structure_collection_ensure(name="Mairie de Fontenay")
    other, _ = structure_collection_ensure(name="Association Les Clics")
    allowed = set(policy.collections_user_has_permission_for(partner, "add"))
    assert own in allowed and other not in allowed
    Image = get_image_model()
    theirs = Image.objects.create(
        title="Plan d'accès", file=SimpleUploadedFile("a.png", PNG_1PX), collection=own
    )
    elsewhere = Image.objects.create(
        title="Affiche", file=SimpleUploadedFile("b.png", PNG_1PX), collection=other
    )
    assert policy.user_has_permission_for_instance(partner, "change", theirs)
    assert policy.user_has_permission_for_instance(partner, "delete", theirs)
    assert not policy.user_has_permission_for_instance(partner, "change", elsewhere)
    assert not policy.user_has_permission_for_instance(partner, "choose", elsewhere)

    client.force_login(partner)
    assert _upload(client, own, "Dans ma collection").status_code == 302
    assert Image.objects.filter(title="Dans ma collection", collection=own).exists()
    # Asking for another structure's collection (or the root one) never puts the image
    # there: with a single collection allowed, Wagtail's form files it in their own.
    for target, title in ((other, "Chez les autres"), (Collection.get_first_root_node(), "Racine")):
        _upload(client, target, title)
        assert not Image.objects.filter(title=title).exclude(collection=own).exists()
    assert Image.objects.filter(collection=other).count() == 1  # only "Affiche"
    # The upload form only offers their own collection.
    form_html = client.get(reverse("wagtailimages:add")).content.decode()
    assert "Association Les Clics" not in form_html


def test_coordinator_changes_images_in_every_collection(coordinator, counsellor):
    policy = get_permission_policy()
    partner_collection, _ = structure_collection_ensure(name="Mairie de Fontenay")
    image = get_image_model().objects.create(
        title="Affiche", file=SimpleUploadedFile("c.png", PNG_1PX), collection=partner_collection
    )
    assert policy.user_has_permission_for_instance(coordinator, "change", image)
    assert policy.user_has_permission_for_instance(coordinator, "delete", image)
    # A counsellor can choose it for a guide but not change someone else's image.
    assert policy.user_has_permission_for_instance(counsellor, "choose", image)
    assert not policy.user_has_permission_for_instance(counsellor, "change", image)


def test_counsellor_uploads_to_the_root_collection(client, counsellor):
    client.force_login(counsellor)
    root = Collection.get_first_root_node()
    assert _upload(client, root, "Capture du conseiller").status_code == 302
    assert get_image_model().objects.filter(title="Capture du conseiller").exists()
    assert "Capture" in unescape(client.get(reverse("wagtailimages:index")).content.decode())


def test_structure_editor_add_gives_the_collection(editorial):
    user = UserFactory()
    collection, group = structure_editor_add(user=user, name="Médiathèque de Luçon")
    assert set(user.groups.values_list("name", flat=True)) == {
        roles.PARTNER_EDITORS,
        "Éditeurs – Médiathèque de Luçon",
    }
    policy = get_permission_policy()
    assert list(policy.collections_user_has_permission_for(user, "add")) == [collection]
    assert user.has_perm("wagtailadmin.access_admin")
