"""Reference data admin: menus and views for coordinators only."""

from html import unescape

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.workshops.views.conftest import assert_refused
from workshops.models import Audience, Competence, Framework, Theme

pytestmark = pytest.mark.django_db

MENU_LABELS = ("Référentiels", "Thématiques", "Publics")
INDEX_URLS = (
    "frameworks:index",
    "domains:index",
    "competences:index",
    "levels:index",
    "themes:index",
    "audiences:index",
)


def admin_home(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def menu_labels(user) -> set[str]:
    # Loading the URLconf registers the admin viewsets and their menu items.
    request = RequestFactory().get(reverse("wagtailadmin_home"))
    request.user = user
    labels = set()
    for item in admin_menu.menu_items_for_request(request):
        labels.add(str(item.label))
        if hasattr(item, "menu"):
            labels.update(str(sub.label) for sub in item.menu.menu_items_for_request(request))
    return labels


def test_coordinator_sees_the_reference_menus(client, coordinator):
    labels = menu_labels(coordinator)
    assert set(MENU_LABELS) <= labels
    assert {"Référentiels de compétences", "Domaines", "Compétences", "Niveaux"} <= labels
    html = admin_home(client, coordinator)
    for name in INDEX_URLS:
        assert reverse(name) in html
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ["counsellor", "partner"])
def test_other_roles_neither_see_nor_open_them(client, request, role):
    user = request.getfixturevalue(role)
    assert not set(MENU_LABELS) & menu_labels(user)
    html = admin_home(client, user)
    for name in INDEX_URLS:
        assert reverse(name) not in html
        assert_refused(client.get(reverse(name)))
    framework = Framework.objects.get(slug="crcn")
    assert_refused(client.get(reverse("frameworks:edit", args=[framework.pk])))
    assert_refused(client.post(reverse("audiences:add"), {"name": "Pirates", "slug": "pirates"}))
    assert not Audience.objects.filter(slug="pirates").exists()


def test_coordinator_extends_the_theme_taxonomy(client, coordinator):
    client.force_login(coordinator)
    parent = Theme.objects.get(parent__isnull=True, name="Aide aux démarches administratives")
    response = client.post(
        reverse("themes:add"),
        {
            "name": "Retraite",
            "slug": "retraite",
            "parent": str(parent.pk),
            "sort_order": "200",
        },
    )
    assert response.status_code == 302
    theme = Theme.objects.get(slug="retraite")
    assert theme.parent == parent and not theme.is_national


def test_coordinator_edits_a_competence_in_french(client, coordinator):
    client.force_login(coordinator)
    competence = Competence.objects.get(framework__slug="crcn", code="2.1")
    response = client.get(reverse("competences:edit", args=[competence.pk]))
    assert response.status_code == 200
    assert "je sais faire" in unescape(response.content.decode())
    listing = client.get(reverse("competences:index"), {"framework": competence.framework_id})
    assert listing.status_code == 200
    assert "Interagir" in listing.content.decode()


def test_competence_listing_query_count_is_bounded(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("competences:index"))  # warm caches (site, user, permissions)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("competences:index"))
    assert response.status_code == 200
