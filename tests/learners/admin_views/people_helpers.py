"""Shared helpers of the admin tests on people, merge, audit, carnet and organisations
: role users, a small world of two structures, assertions on refusals."""

from __future__ import annotations

from urllib.parse import urlparse

from learners.models import AuditLog

ROLES = ("coordinator", "counsellor_a", "counsellor_b", "partner_editor", "anonymous")


def login(client, request, role: str):
    """Log the test client in as `role` (a fixture name of tests/learners/conftest.py)."""
    if role == "anonymous":
        return None
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == "/admin/login/"


def assert_refused(response) -> None:
    """Wagtail's refusals: 403 from our views, or its redirect to the admin home with a
    'permission denied' message (ModelViewSet views). Never the content."""
    if response.status_code == 302:
        assert urlparse(response["Location"]).path in {"/admin/", "/admin/login/"}
    else:
        assert response.status_code == 403


def audit_rows(**filters):
    return list(AuditLog.objects.filter(**filters).order_by("id"))
