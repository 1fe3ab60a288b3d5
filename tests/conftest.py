import os

import pytest

# Browser fixtures (one Playwright for the whole run, whichever folder a browser test is in).
pytest_plugins = ["tests.browser_support"]

# Live-server tests drive Playwright's sync API, which runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache and no per-process memo of published content
    (caching/memo.py) or admin sidebar (caching/sidebar.py): the database is
    rolled back between tests, caches are not, so a value kept by one test must not leak
    into the next (ids are reused)."""
    from django.core.cache import cache

    from caching import memo, sidebar

    cache.clear()
    memo.forget()
    sidebar.forget()
    yield


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The locmem SMS backend's outbox starts empty in each test (like mail.outbox)."""
    from common import sms

    sms.outbox.clear()
    yield


def _db_order(item) -> int:
    """0: no database or a rolled-back transaction; 1: serialized rollback; 2: other
    transactional tests. A plain transactional test's flush re-runs post_migrate (role
    groups...), which would then clash with a later serialized test's restore."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    if kwargs.get("serialized_rollback"):
        return 1
    fixtures = set(getattr(item, "fixturenames", ()))
    if kwargs.get("transaction") or fixtures & {"transactional_db", "live_server"}:
        return 2
    return 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Stable: pytest-django's order is kept within each group.
    items.sort(key=_db_order)
