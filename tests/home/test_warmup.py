"""Warm workers (home/warmup.py): a worker renders the most read pages itself at boot and
after each publication, so that the next reader's request finds the memos, the routing
and the rendered fragments ready (no query)."""

import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from caching import versions
from home import warmup
from learners.models import GuideRead
from learners.selectors.carnet_reads import most_read_guides
from tests.factories.learners import LearnerFactory
from tests.factories.workshops import GuidePageFactory, atelier_index_page, guide_index_page


@pytest.fixture(autouse=True)
def connections_kept_open():
    """As Django's test client does: a rendered page's end must not close the test
    transaction's connection (the warm-up goes through Django's WSGI handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def caches_as_in_production(settings):
    settings.RENDER_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 0
    settings.WARM_UP_GUIDES = 2


def queries_of_get(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def read_by(guide, count: int) -> None:
    for _ in range(count):
        GuideRead.objects.create(learner=LearnerFactory(), guide=guide)


@pytest.mark.django_db
def test_most_read_guides_come_first_then_the_latest_published():
    old = GuidePageFactory(title="Ancienne", illustrated=False)
    popular = GuidePageFactory(title="Lue souvent", illustrated=False)
    latest = GuidePageFactory(title="Récente", illustrated=False)
    read_by(popular, 2)
    read_by(old, 1)
    assert most_read_guides(limit=3) == [popular, old, latest]
    assert most_read_guides(limit=1) == [popular]
    assert most_read_guides(limit=0) == []


@pytest.mark.django_db
def test_the_pages_warmed_are_home_indexes_agenda_and_most_read_guides():
    guide_index_page()
    atelier_index_page()
    popular = GuidePageFactory(title="Lue souvent", illustrated=False)
    GuidePageFactory(title="Autre", illustrated=False)
    GuidePageFactory(title="Encore une", illustrated=False)
    read_by(popular, 1)
    paths = warmup.warm_paths()
    assert paths[0] == "/"
    assert set(paths[1:3]) == {guide_index_page().url, atelier_index_page().url}
    assert "/pres-de-chez-vous/" in paths
    assert popular.url in paths
    assert len([path for path in paths if path.startswith(guide_index_page().url)]) == 3


@pytest.mark.django_db
def test_after_warming_the_next_reader_costs_no_query(client):
    guide = GuidePageFactory(step_count=4)
    read_by(guide, 1)
    statuses = warmup.warm_now()
    assert statuses[guide.url] == 200 and statuses["/"] == 200
    assert queries_of_get(client, guide.url) == 0
    assert queries_of_get(client, "/") == 0


@pytest.mark.django_db
def test_nothing_is_warmed_when_turned_off_or_without_a_host(settings):
    GuidePageFactory(illustrated=False)
    settings.WARM_UP_GUIDES = 0
    assert warmup.warm_now() == {}
    assert warmup.start() is None
    settings.WARM_UP_GUIDES = 2
    Site.objects.update(hostname="ailleurs.example")
    settings.ALLOWED_HOSTS = ["ailleurs.example.org"]
    assert warmup.warm_host() == "ailleurs.example.org"  # the site's host is refused
    settings.ALLOWED_HOSTS = []
    assert warmup.warm_now() == {}


# Committed data (the watcher's thread has its own connection); the data of the migrations
# (root page and collection) restored if an earlier transactional test flushed them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_worker_warms_again_after_a_publication(client, settings):
    settings.WARM_UP_POLL_SECONDS = 0.05
    guide = GuidePageFactory(step_count=3)
    other = GuidePageFactory(title="Autre fiche", illustrated=False)
    read_by(guide, 1)
    watcher = warmup.start()
    try:
        assert queries_of_get(client, guide.url) == 0  # warmed at boot
        other.save_revision().publish()  # a publication: every page goes cold
        deadline = time.monotonic() + 30
        while not watcher.warmed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watcher.warmed, "the watcher did not warm the pages again"
        assert queries_of_get(client, guide.url) == 0
        assert versions.current(versions.PUBLICATION) == watcher.seen
    finally:
        watcher.stop()
        watcher.join(timeout=10)
