"""A GET on the admin logout neither logs out nor says so; a POST really logs out."""

import pytest
from django.contrib.sessions.models import Session

from tests.factories.learners import counsellor_user

pytestmark = pytest.mark.django_db


def test_get_asks_for_confirmation_and_keeps_the_session(client):
    client.force_login(counsellor_user())
    response = client.get("/admin/logout/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "déconnecté" not in html and "toujours connecté" in html
    assert 'method="post"' in html and "Me déconnecter" in html
    # French typography: the « ? » never wraps alone onto the next line of a phone screen.
    assert "Se déconnecter\u00a0?" in html
    assert "sessionid" not in response.cookies or response.cookies["sessionid"].value
    # The session still works, and no « logged out » message waits on the next page.
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "déconnecté" not in page.content.decode()


def test_post_logs_out_for_real(client):
    client.force_login(counsellor_user())
    session_key = client.session.session_key
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/admin/").status_code == 302


def test_anonymous_get_goes_to_the_login_page(client):
    response = client.get("/admin/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_other_methods_are_refused(client):
    client.force_login(counsellor_user())
    assert client.put("/admin/logout/").status_code == 405
    assert client.get("/admin/").status_code == 200
