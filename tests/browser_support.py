"""Browser harness, a pytest plugin loaded by tests/conftest.py so that every test folder
shares ONE session-wide Playwright (never import its fixtures into a test module).
Playwright drives Debian's Chromium (never its own download) with axe-core injected from
the axe-playwright-python package (no network)."""

import json
import os
from importlib import resources
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Content-Security-Policy (and Permissions-Policy) violations seen in any page of any
# context: Chromium reports each on the console, and every context also logs the page's
# `securitypolicyviolation` events. `_no_policy_violations` fails a browser test that saw one.
POLICY_VIOLATIONS: list[str] = []
POLICY_MARKERS = ("Content Security Policy", "CSP violation", "Permissions-Policy")
REPORT_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile"
    " + ':' + e.lineNumber))"
)


def _record_violation(message) -> None:
    text = message.text
    if any(marker in text for marker in POLICY_MARKERS):
        POLICY_VIOLATIONS.append(f"{message.page.url if message.page else ''}: {text}")


class _WatchedBrowser:
    """The Playwright browser, whose new contexts report policy violations."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", _record_violation)
        return context


@pytest.fixture(autouse=True)
def _content_types_cached_before_flush(request):
    """Tests with `serialized_rollback` restore the migrations' data before each test, saving
    pages before their content types are back. Wagtail then looks a page type up: from
    Django's content-type cache, or, when a test emptied it (`create_contenttypes`, run by
    `editorial_setup`), by creating the row, which the restored one then clashes with. The
    cache is refilled here, after the test and before its flush."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


@pytest.fixture(autouse=True)
def _no_policy_violations(request):
    """Browser tests (those using Chromium) fail on any CSP or Permissions-Policy violation,
    on public pages and on the admin pages they visit."""
    if "chromium" not in request.fixturenames:
        yield
        return
    POLICY_VIOLATIONS.clear()
    yield
    seen = list(POLICY_VIOLATIONS)
    POLICY_VIOLATIONS.clear()
    assert seen == [], "violations de la politique de sécurité :\n" + "\n".join(seen)


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    if not CHROMIUM.exists():
        reason = f"Chromium introuvable ({CHROMIUM}) : lancez bin/test en root pour l'installer"
        print(f"\nSKIP browser tests: {reason}")
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API switches context, and Django's connection handler is context-local:
    # the test database's serialized contents (used by serialized_rollback to restore the
    # migrations' data, such as the home page) must be carried over to the new connections.
    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield _WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(
        locale="fr-FR",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
    )
    page = context.new_page()
    yield page
    context.close()


AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()


def axe_violations(page) -> list[dict]:
    """All axe-core violations on the page (WCAG 2.0/2.1 A and AA and best practices)."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], runOnly:"
        " {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(
        [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"la page déborde de {overflow}px horizontalement"
