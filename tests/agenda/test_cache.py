"""The agenda's pages are kept by the page cache under the `agenda` scope, and stay fresh:
a change of places through a service shows at once; a session that starts leaves the
cached lists at the next tick of the agenda's clock; the atelier pages' « Prochaines
dates » too."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from agenda.clock import agenda_clock_tick
from caching import memo, versions
from caching import pages as pagecache
from learners.choices import AttendanceStatus
from learners.models import Session
from learners.services import attendance_register, attendance_sheet_save
from learners.services.sessions import SheetRow, session_update
from tests.factories.editorial import atelier_create
from tests.factories.learners import LearnerFactory, counsellor_user

from .conftest import public_session

pytestmark = pytest.mark.django_db
URL = "/pres-de-chez-vous/?commune=85191"


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.RENDER_CACHE_SECONDS = 3600
    cache.clear()
    memo.forget()
    yield
    cache.clear()
    memo.forget()


def status(response) -> str | None:
    return response.headers.get(pagecache.HEADER)


def test_search_venue_and_feed_are_cached_and_refreshed_by_an_agenda_bump(client, network):
    venue = network["venues"]["roche"]
    public_session(venue)
    urls = [
        URL,
        f"/pres-de-chez-vous/lieux/{venue.pk}/",
        f"/pres-de-chez-vous/lieux/{venue.pk}/agenda.ics",
    ]
    for url in urls:
        assert status(client.get(url)) == "miss"
        assert status(client.get(url)) == "hit"
    versions.bump(versions.AGENDA)
    for url in urls:
        assert status(client.get(url)) == "miss"


def test_places_shown_change_when_a_counsellor_registers_someone(client, network):
    venue = network["venues"]["roche"]
    session = public_session(venue, capacity=3)
    user = counsellor_user(structure=venue.structure)
    assert "3 places libres" in client.get(URL).content.decode()
    assert status(client.get(URL)) == "hit"
    learner = LearnerFactory(structure=venue.structure)
    attendance_register(user=user, session=session, learner=learner)
    page = client.get(URL)
    assert status(page) == "miss"
    assert "2 places libres" in page.content.decode()
    other = LearnerFactory(structure=venue.structure)
    attendance_sheet_save(
        user=user,
        session=session,
        rows=[SheetRow(learner_id=other.pk, status=AttendanceStatus.REGISTERED)],
    )
    assert "1 place libre" in client.get(URL).content.decode()


def test_places_shown_change_when_a_person_signs_up(client, network):
    bookings = pytest.importorskip("learners.services.bookings")
    session = public_session(network["venues"]["roche"], capacity=3)
    assert "3 places libres" in client.get(URL).content.decode()
    assert status(client.get(URL)) == "hit"
    bookings.booking_create(
        session=session,
        first_name="Josiane",
        phone="",
        email="",
        reminder_consent=False,
    )
    page = client.get(URL)
    assert status(page) == "miss"
    assert "2 places libres" in page.content.decode()


def test_a_session_edit_through_the_service_shows(client, network):
    venue = network["venues"]["roche"]
    session = public_session(venue, title="Avant")
    user = counsellor_user(structure=venue.structure)
    assert "Avant" in client.get(URL).content.decode()
    session_update(user=user, session=session, data={"title": "Après"})
    assert "Après" in client.get(URL).content.decode()


def test_a_started_session_leaves_the_cached_list_at_the_next_tick(client, network):
    session = public_session(network["venues"]["roche"], title="Bientôt commencée")
    now = timezone.now()
    agenda_clock_tick(now=now - datetime.timedelta(seconds=60))
    assert "Bientôt commencée" in client.get(URL).content.decode()
    # Time passes (no write through a service): the session starts.
    Session.objects.filter(pk=session.pk).update(start=now - datetime.timedelta(seconds=1))
    stale = client.get(URL)
    assert status(stale) == "hit" and "Bientôt commencée" in stale.content.decode()
    assert agenda_clock_tick(now=now) is True
    fresh = client.get(URL)
    assert status(fresh) == "miss" and "Bientôt commencée" not in fresh.content.decode()


def test_the_clock_does_not_bump_when_nothing_started(network):
    public_session(network["venues"]["roche"], days=3)
    now = timezone.now()
    agenda_clock_tick(now=now - datetime.timedelta(seconds=60))
    before = versions.current(versions.AGENDA)
    assert agenda_clock_tick(now=now) is False
    assert versions.current(versions.AGENDA) == before


def test_the_clock_bumps_when_the_day_changes(network):
    now = timezone.now()
    agenda_clock_tick(now=now - datetime.timedelta(days=1))
    assert agenda_clock_tick(now=now) is True


def test_atelier_page_shows_its_next_dates_and_their_places(client, network):
    venue = network["venues"]["roche"]
    atelier = atelier_create(title="Créer son adresse e-mail")
    session = public_session(venue, atelier=atelier, capacity=2, title="Créer son adresse e-mail")
    public_session(venue, atelier=atelier, is_published=False, title="Brouillon")
    user = counsellor_user(structure=venue.structure)
    page = client.get(atelier.url).content.decode()
    assert "Prochaines dates" in page and "2 places libres" in page
    assert "Espace numérique du Bourg" in page
    assert status(client.get(atelier.url)) == "hit"
    attendance_register(
        user=user, session=session, learner=LearnerFactory(structure=venue.structure)
    )
    page = client.get(atelier.url).content.decode()
    assert "1 place libre" in page


def test_atelier_without_dates_links_to_the_agenda(client, db):
    atelier = atelier_create()
    page = client.get(atelier.url).content.decode()
    assert "Aucune date n&#x27;est prévue" in page or "Aucune date n'est prévue" in page
    assert 'href="/pres-de-chez-vous/"' in page


def test_the_clock_runs_every_minute_from_beat(settings, network):
    from agenda.tasks import agenda_clock_tick_task

    entry = settings.CELERY_BEAT_SCHEDULE["agenda-clock"]
    assert entry["task"] == agenda_clock_tick_task.name == "agenda.clock_tick"
    assert entry["schedule"].minute == set(range(60))
    assert agenda_clock_tick_task.delay().get() is True  # first tick: bumps


def test_the_same_search_is_rendered_once_per_process(
    client, network, settings, django_assert_max_num_queries
):
    """Page cache off: another query string meaning the same search costs no query, and
    the pagination links only hold the parameters the page understands."""
    settings.PAGE_CACHE_SECONDS = 0
    venue = network["venues"]["roche"]
    session = public_session(venue, capacity=3)
    for day in range(2, 25):
        public_session(venue, days=day)
    first = client.get(URL + "&page=1").content.decode()
    assert "3 places libres" in first and "page=2" in first
    with django_assert_max_num_queries(0):
        again = client.get(URL + "&utm_source=mairie&page=1&type=").content.decode()
    assert again == first
    assert "utm_source" not in again
    bookings = pytest.importorskip("learners.services.bookings")
    bookings.booking_create(
        session=session, first_name="Josiane", phone="", email="", reminder_consent=False
    )
    assert "2 places libres" in client.get(URL).content.decode()


def test_a_cached_hit_reads_the_cache_once(client, network, monkeypatch):
    """The entry and every scope's version in one read (one round trip to Redis)."""
    public_session(network["venues"]["roche"])
    assert status(client.get(URL)) == "miss"
    calls: list[str] = []
    inside: list[str] = []

    def spy(name, real):
        def call(*args, **kwargs):
            if not inside:  # the test cache's get_many calls get: count the outer call
                calls.append(name)
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, spy(name, getattr(cache, name)))
    assert status(client.get(URL)) == "hit"
    assert calls == ["get_many"]
