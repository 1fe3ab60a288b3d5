"""The publishing demo content (`manage.py load_demo` → `demo.publishing.load`).

The demo is loaded once per module (inside a transaction rolled back at the end): drawing
the 88 screenshots is the slow part, and every test here only reads the result.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

from demo import content, screens
from demo.accounts import DEMO_COORDINATOR, DEMO_COUNSELLORS, DEMO_PARTNER_EDITOR, DEMO_PASSWORD
from workshops import roles
from workshops.models import (
    AtelierIndexPage,
    AtelierPage,
    GuideIndexPage,
    GuidePage,
    GuideSectionPage,
)

MAX_IMAGE_BYTES = 60 * 1024


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "memberships": get_user_model().groups.through.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loads the demo twice; yields the counts after each load and the second run's output."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            first = _counts()
            output = io.StringIO()
            call_command("load_demo", stdout=output)
            yield {"first": first, "second": _counts(), "output": output.getvalue()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing(demo):
    assert demo["first"] == demo["second"]
    assert demo["first"]["images"] >= 80


def test_index_pages_under_home(demo):
    guide_index = GuideIndexPage.objects.get(slug="fiches-pratiques")
    atelier_index = AtelierIndexPage.objects.get(slug="ateliers")
    for index in (guide_index, atelier_index):
        assert index.live
        assert index.intro
        assert index.get_parent().specific_class.__name__ == "HomePage"


def test_live_guides_and_ateliers(demo):
    assert GuidePage.objects.live().count() >= 12
    assert AtelierPage.objects.live().count() >= 6


def test_drafts_and_one_page_in_review_per_kind_of_writer(demo):
    never_published = Page.objects.filter(live=False, first_published_at__isnull=True)
    assert never_published.exists()

    in_progress = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert in_progress.count() == 2
    by_role = {}
    for state in in_progress:
        page = Page.objects.get(pk=state.object_id)
        assert not page.live
        assert state.current_task_state is not None
        role = state.requested_by.groups.filter(
            name__in=[roles.COUNSELLORS, roles.PARTNER_EDITORS]
        ).get()
        by_role[role.name] = page
    # A counsellor's guide under the index, the partner editor's in their section.
    assert set(by_role) == {roles.COUNSELLORS, roles.PARTNER_EDITORS}
    partner_guide = by_role[roles.PARTNER_EDITORS]
    section = partner_guide.get_parent().specific
    assert isinstance(section, GuideSectionPage) and section.live
    assert partner_guide.owner.username == DEMO_PARTNER_EDITOR
    # Drafts waiting outside the workflow exist too.
    assert never_published.exclude(pk__in=[p.pk for p in by_role.values()]).exists()


def test_eight_step_guide_for_the_benchmark(demo):
    guide = GuidePage.objects.live().get(slug="creer-une-adresse-e-mail")
    assert len(guide.steps) == 8
    assert all(block.value["image"] is not None for block in guide.steps)


def test_every_step_image_has_alt_text_and_is_small(demo):
    checked = 0
    for guide in GuidePage.objects.all():
        assert 4 <= len(guide.steps) <= 8, guide.slug
        for block in guide.steps:
            value = block.value
            assert value["title"] and value["text"].source
            if value["image"] is not None:
                assert len(value["alt_text"].strip()) > 20, (guide.slug, value["title"])
                image = value["image"]
                assert (image.width, image.height) in {(720, 1280), (1200, 800)}
                # The network's pictures in the root collection, a partner's in its own.
                parent = guide.get_parent().specific
                assert image.collection == getattr(parent, "collection", image.collection)
                assert image.collection.is_root() == (not isinstance(parent, GuideSectionPage))
                assert 0 < image.file_size < MAX_IMAGE_BYTES, image.title
                checked += 1
    every_guide = content.guides() + content.guides("partner_guides")
    assert checked == sum(len(data["steps"]) for data in every_guide)


def test_guides_are_classified(demo):
    for guide in GuidePage.objects.all():
        frameworks = set(guide.competences.values_list("framework__slug", flat=True))
        assert frameworks == {"crcn", "socle"}, guide.slug
        assert guide.themes.exists(), guide.slug
        assert guide.audiences.exists(), guide.slug
        assert guide.summary and guide.what_you_need
    live = GuidePage.objects.live()
    assert all(guide.last_reviewed is not None for guide in live)
    socle_s21 = live.get(slug="creer-une-adresse-e-mail").competences
    assert socle_s21.filter(framework__slug="socle", code="S2.1").exists()


def test_ateliers_are_complete(demo):
    for atelier in AtelierPage.objects.all():
        assert atelier.plan_total_minutes == atelier.duration_minutes, atelier.slug
        assert len(atelier.session_plan) >= 4
        assert atelier.objectives and atelier.equipment and atelier.prerequisites
        assert atelier.facilitator_notes
        assert atelier.competences.exists() and atelier.themes.exists()
        assert atelier.audiences.exists()
        handouts = list(atelier.handouts.all())
        assert len(handouts) == 1
        document = handouts[0].document
        assert document.file_extension == "pdf"
        assert document.file_size < MAX_IMAGE_BYTES
        with document.open_file() as handle:
            assert handle.read(5) == b"%PDF-"
    for atelier in AtelierPage.objects.live():
        assert atelier.related_guides.live().exists(), atelier.slug


def test_demo_users_and_groups(demo):
    user_model = get_user_model()
    for username in DEMO_COUNSELLORS:
        user = user_model.objects.get(username=username)
        assert user.groups.filter(name=roles.COUNSELLORS).exists()
        assert user.first_name and user.last_name
        assert user.check_password(DEMO_PASSWORD)
    coordinator = user_model.objects.get(username=DEMO_COORDINATOR)
    assert coordinator.groups.filter(name=roles.COORDINATORS).exists()
    editor = user_model.objects.get(username=DEMO_PARTNER_EDITOR)
    assert editor.groups.filter(name=roles.PARTNER_EDITORS).exists()
    # The login list printed by the command names them.
    for username in (DEMO_COORDINATOR, *DEMO_COUNSELLORS, DEMO_PARTNER_EDITOR):
        assert f"« {username} »" in demo["output"]


def test_guides_are_written_by_counsellors_and_published_by_the_coordinator(demo):
    guide = GuidePage.objects.live().get(slug="reconnaitre-un-sms-frauduleux")
    revision = guide.live_revision
    assert revision.user.groups.filter(name=roles.COUNSELLORS).exists()
    assert guide.owner == revision.user
    publication = PageLogEntry.objects.get(page=guide, action="wagtail.publish")
    assert publication.user.username == DEMO_COORDINATOR


def test_screens_render_without_system_fonts(tmp_path, monkeypatch):
    """A fresh machine may lack DejaVu: Pillow's own font takes over."""
    monkeypatch.setattr(screens, "FONT_DIR", tmp_path)
    screens.font.cache_clear()
    try:
        screen = content.guides()[0]["steps"][1]["screen"]
        png = screens.render_png(screen)
    finally:
        screens.font.cache_clear()
    image = PILImage.open(io.BytesIO(png))
    assert image.size == screens.BROWSER_SIZE
    assert len(png) < MAX_IMAGE_BYTES


def test_overfull_screen_is_refused():
    screen = screens.Screen("phone", "Trop long", items=(("text", "mot " * 400),))
    with pytest.raises(ValueError, match="overflows"):
        screens.render(screen)
