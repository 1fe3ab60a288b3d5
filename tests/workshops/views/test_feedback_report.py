"""Guide feedback in the admin: counts per guide, per version and per step."""

from html import unescape

import pytest
from django.urls import reverse

from tests.factories.editorial import guide_create
from tests.workshops.views.conftest import assert_refused
from workshops.models import GuideFeedback

pytestmark = pytest.mark.django_db


def give(guide, kind, step=None, comment="", version=None):
    return GuideFeedback.objects.create(
        page=guide,
        version=version if version is not None else guide.live_revision_id,
        kind=kind,
        step=step,
        comment=comment,
    )


@pytest.fixture
def guide_with_feedback():
    guide = guide_create(title="Créer une adresse e-mail", steps=4)
    old_version = guide.live_revision_id
    give(guide, "helped")
    give(guide, "stuck", 2, "Je ne trouve pas le bouton.")
    # A new version is published: new feedback is counted apart.
    guide.title = "Créer une adresse e-mail (nouvelle version)"
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert guide.live_revision_id != old_version
    for _ in range(3):
        give(guide, "helped")
    give(guide, "stuck", 3)
    give(guide, "stuck", 3, "Le code n'arrive pas par SMS.")
    give(guide, "stuck", 1)
    return guide, old_version


def test_report_lists_totals_per_guide(client, coordinator, guide_with_feedback):
    guide, _ = guide_with_feedback
    quiet = guide_create(title="Fiche sans avis")
    client.force_login(coordinator)
    response = client.get(reverse("guide_feedback_report:index"))
    assert response.status_code == 200
    rows = {page.pk: page for page in response.context["object_list"]}
    assert (rows[guide.pk].helped_count, rows[guide.pk].stuck_count) == (4, 4)
    assert (rows[quiet.pk].helped_count, rows[quiet.pk].stuck_count) == (0, 0)
    html = unescape(response.content.decode())
    assert reverse("guide_feedback_report:detail", args=[guide.pk]) in html
    # Spreadsheet export is built in.
    export = client.get(reverse("guide_feedback_report:index"), {"export": "csv"})
    assert export.status_code == 200
    exported = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "J'ai été aidé" in exported
    assert "Créer une adresse e-mail (nouvelle version),4,4," in exported


def test_detail_counts_per_version_and_step(client, counsellor, guide_with_feedback):
    guide, old_version = guide_with_feedback
    client.force_login(counsellor)  # counsellors read feedback too
    response = client.get(reverse("guide_feedback_report:detail", args=[guide.pk]))
    assert response.status_code == 200
    current, previous = response.context["versions"]
    assert current.is_current and current.version == guide.live_revision_id
    assert (current.helped, current.stuck) == (3, 3)
    assert [(s.number, s.stuck) for s in current.steps] == [(1, 1), (2, 0), (3, 2), (4, 0)]
    assert current.steps[2].title == "Étape numéro 3"
    assert [c.comment for c in current.comments] == ["Le code n'arrive pas par SMS."]
    assert previous.version == old_version and not previous.is_current
    assert (previous.helped, previous.stuck) == (1, 1)
    assert [(s.number, s.stuck) for s in previous.steps] == [(1, 0), (2, 1), (3, 0), (4, 0)]
    html = unescape(response.content.decode())
    assert "Version en ligne" in html and "Version précédente" in html
    assert "Je ne trouve pas le bouton." in html
    assert 'data-step="3">2<' in html


def test_detail_query_count_does_not_grow_with_feedback(
    client, coordinator, guide_with_feedback, django_assert_max_num_queries
):
    guide, _ = guide_with_feedback
    client.force_login(coordinator)
    url = reverse("guide_feedback_report:detail", args=[guide.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    baseline = len(captured.captured_queries)
    for step in (1, 2, 3, 4):
        give(guide, "stuck", step, "Encore un commentaire.")
        give(guide, "helped")
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_guide_edit_page_links_to_its_feedback(client, coordinator, guide_with_feedback):
    guide, _ = guide_with_feedback
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk])).content.decode()
    assert reverse("guide_feedback_report:detail", args=[guide.pk]) in html


def test_partner_editor_cannot_read_feedback(client, partner, guide_with_feedback):
    guide, _ = guide_with_feedback
    client.force_login(partner)
    assert_refused(client.get(reverse("guide_feedback_report:index")))
    assert_refused(client.get(reverse("guide_feedback_report:detail", args=[guide.pk])))
