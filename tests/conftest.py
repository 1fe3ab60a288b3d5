import os

import pytest

# Browser fixtures (one Playwright for the whole run, whichever folder a browser test is in).
pytest_plugins = ["tests.browser_support"]

# Live-server tests drive Playwright's sync API, which runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache and no per-process memo of published content
    (workshops/publication.py): the database is rolled back between tests, caches are not,
    so a value kept by one test must not leak into the next."""
    from django.core.cache import cache

    from workshops import publication

    cache.clear()
    publication.forget()
    yield
