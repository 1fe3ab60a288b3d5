"""/api/v1/docs runs Swagger UI under the site's Content-Security-Policy (the shared
fixture fails the test on any violation), loads nothing from elsewhere, and passes
axe-core."""

import pytest

from tests.browser_support import axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_api_documentation_runs_under_the_policy(browser_page, live_server):
    page = browser_page
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + "/api/v1/docs")
    # Swagger UI drew the operations from the OpenAPI document: its scripts ran.
    page.locator(".opblock-summary-path", has_text="/api/v1/sessions").first.wait_for()
    assert page.locator("text=API de lecture de Pas à pas").count() >= 1
    assert all(url.startswith((live_server.url, "data:")) for url in requests), requests
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
