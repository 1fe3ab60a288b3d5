"""Tests in this folder are browser tests. Fixtures come from tests/browser_support.py."""

import os

import pytest

from tests.browser_support import (  # noqa: F401 - helpers re-exported for the tests here
    AXE_SOURCE,
    assert_accessible,
    assert_no_horizontal_scroll,
    axe_violations,
    format_violations,
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
