"""The admin sidebar kept per user (caching/sidebar.py)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories.learners import counsellor_user, partner_editor_user
from workshops.roles import COORDINATORS

pytestmark = pytest.mark.django_db
AUDIT = reverse("learners_audit")


@pytest.fixture(autouse=True)
def sidebar_memo_on(settings):
    settings.ADMIN_SIDEBAR_SECONDS = 300


def test_the_sidebar_is_built_once_per_user(client, settings, monkeypatch):
    from wagtail.admin.menu import admin_menu

    builds = []
    render = admin_menu.render_component
    monkeypatch.setattr(admin_menu, "render_component", lambda r: builds.append(1) or render(r))
    client.force_login(counsellor_user())
    dashboard = reverse("learners_dashboard")
    first = client.get(dashboard).content.decode()
    assert "wagtail-sidebar-props" in first and reverse("learners_people") in first
    second = client.get(dashboard).content.decode()
    assert len(builds) == 1
    props = first[first.index("wagtail-sidebar-props") :][:2000]
    assert props in second
    settings.ADMIN_SIDEBAR_SECONDS = 0
    client.get(dashboard)
    assert len(builds) == 2


def test_a_new_role_shows_at_once_and_users_never_share_a_menu(client):
    counsellor = counsellor_user()
    client.force_login(counsellor)
    assert AUDIT not in client.get(reverse("wagtailadmin_home")).content.decode()

    counsellor.groups.add(Group.objects.get(name=COORDINATORS))
    assert AUDIT in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(partner_editor_user())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert AUDIT not in html and reverse("learners_people") not in html
