"""The agenda's search: within the radius, sorted by distance then date, filtered, with
free places, never unpublished, cancelled, started or individual sessions, and a bounded
number of queries whatever the number of results."""

import datetime

import pytest
from django.utils import timezone

from agenda import selectors
from agenda.selectors import (
    AgendaFilters,
    agenda_search,
    atelier_upcoming,
    feed_sessions,
    venue_upcoming,
    venues_near,
)
from learners.choices import AttendanceStatus, SessionKind
from tests.factories.learners import AttendanceFactory
from workshops.models import Audience, Theme

from .conftest import at, public_session

pytestmark = pytest.mark.django_db


def _titles(results):
    return [item.session.title for item in results.page.object_list]


def test_venues_near_sorted_by_distance_within_radius(network):
    communes, venues = network["communes"], network["venues"]
    near = venues_near(commune=communes["85191"], radius_km=20)
    assert [v.venue_id for v in near] == [venues["roche"].pk, venues["mouilleron"].pk]
    assert near[0].distance_km < 1
    assert 4 < near[1].distance_km < 8
    far = venues_near(commune=communes["85191"], radius_km=50)
    assert [v.venue_id for v in far][-1] == venues["sables"].pk
    assert 30 < far[-1].distance_km < 45


def test_sorted_by_distance_then_date(network):
    venues, communes = network["venues"], network["communes"]
    public_session(venues["mouilleron"], days=1, title="Mouilleron demain")
    public_session(venues["roche"], days=5, title="La Roche dans 5 jours")
    public_session(venues["roche"], days=2, title="La Roche dans 2 jours")
    public_session(venues["sables"], days=1, title="Les Sables")
    results = agenda_search(commune=communes["85191"], radius_km=20)
    assert _titles(results) == [
        "La Roche dans 2 jours",
        "La Roche dans 5 jours",
        "Mouilleron demain",
    ]
    results = agenda_search(commune=communes["85191"], radius_km=50)
    assert _titles(results)[-1] == "Les Sables"
    # From Les Sables, the order turns round.
    results = agenda_search(commune=communes["85194"], radius_km=50)
    assert _titles(results)[0] == "Les Sables"


def test_only_public_upcoming_sessions(network):
    venues, communes = network["venues"], network["communes"]
    public_session(venues["roche"], title="Visible")
    public_session(venues["roche"], title="Brouillon", is_published=False)
    public_session(venues["roche"], title="Annulée", cancelled_at=timezone.now())
    public_session(venues["roche"], title="Rendez-vous", kind=SessionKind.INDIVIDUAL)
    public_session(venues["closed"], title="Lieu fermé")
    past = public_session(venues["roche"], title="Commencée")
    past.start = timezone.now() - datetime.timedelta(minutes=5)
    past.save()
    assert _titles(agenda_search(commune=communes["85191"])) == ["Visible"]
    assert _titles(agenda_search(commune=None)) == ["Visible"]


def test_filters(network):
    venues, communes = network["venues"], network["communes"]
    email = Theme.objects.get(slug="e-mail")
    seniors = Audience.objects.order_by("pk").first()
    a = public_session(venues["roche"], days=1, title="E-mail débutant", level="debutant")
    a.themes.set([email])
    a.audiences.set([seniors])
    public_session(venues["roche"], days=2, title="Permanence", kind=SessionKind.DROP_IN)
    public_session(venues["roche"], days=40, title="Dans 40 jours", kind=SessionKind.DISCUSSION)

    def search(**filters):
        return _titles(agenda_search(commune=communes["85191"], filters=AgendaFilters(**filters)))

    assert search(kinds=(SessionKind.DROP_IN,)) == ["Permanence"]
    assert search(theme_id=email.pk) == ["E-mail débutant"]
    assert search(level="debutant") == ["E-mail débutant"]
    assert search(audience_id=seniors.pk) == ["E-mail débutant"]
    assert search(start_from=at(30, 0)) == ["Dans 40 jours"]
    assert search(start_before=at(3, 0)) == ["E-mail débutant", "Permanence"]
    # Individual appointments cannot be asked for.
    everything = ["E-mail débutant", "Permanence", "Dans 40 jours"]
    assert search(kinds=(SessionKind.INDIVIDUAL,)) == everything


def test_free_places(network):
    venues, communes = network["venues"], network["communes"]
    session = public_session(venues["roche"], capacity=3)
    AttendanceFactory.create_batch(2, session=session, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=session, status=AttendanceStatus.ABSENT)
    item = agenda_search(commune=communes["85191"]).page.object_list[0]
    assert (item.places.capacity, item.places.taken, item.places.free) == (3, 2, 1)
    assert item.distance_km is not None and item.distance_km < 1


def test_pagination_windows_across_venues(network):
    venues, communes = network["venues"], network["communes"]
    for day in range(1, 8):
        public_session(venues["roche"], days=day, title=f"Roche {day}")
    for day in range(1, 6):
        public_session(venues["mouilleron"], days=day, title=f"Mouilleron {day}")
    expected = [f"Roche {d}" for d in range(1, 8)] + [f"Mouilleron {d}" for d in range(1, 6)]
    pages = []
    for number in (1, 2, 3):
        results = agenda_search(commune=communes["85191"], page=number, per_page=5)
        assert results.page.paginator.count == 12
        pages += _titles(results)
    assert pages == expected
    # Past the end: the last page.
    assert _titles(agenda_search(commune=communes["85191"], page=99, per_page=5)) == expected[10:]


def test_query_count_does_not_grow_with_results(network, django_assert_max_num_queries):
    venues, communes = network["venues"], network["communes"]
    public_session(venues["roche"])
    with django_assert_max_num_queries(6):
        agenda_search(commune=communes["85191"])
    for day in range(1, 30):
        public_session(venues["roche"], days=day)
        public_session(venues["mouilleron"], days=day)
    with django_assert_max_num_queries(6):
        results = agenda_search(commune=communes["85191"])
        assert len(results.page.object_list) == 20
        [item.session.venue.commune.name for item in results.page.object_list]
    with django_assert_max_num_queries(5):
        agenda_search(commune=None)


def test_count_is_capped_and_the_nearest_come_first(network, monkeypatch):
    venues, communes = network["venues"], network["communes"]
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    monkeypatch.setattr(selectors, "FIRST_COUNT_BATCH", 1)
    near = [public_session(venues["roche"], days=d, title=f"Proche {d}") for d in (1, 2, 3)]
    for day in range(1, 5):
        public_session(venues["mouilleron"], days=day)
    results = agenda_search(commune=communes["85191"], per_page=2, page=99)
    assert results.capped and results.page.paginator.count == 5
    assert results.page.paginator.num_pages == 3
    first = agenda_search(commune=communes["85191"], per_page=3)
    assert [i.session.pk for i in first.page.object_list] == [s.pk for s in near]


def test_venue_and_atelier_and_feed_lists(network):
    venues = network["venues"]
    a = public_session(venues["roche"], days=2)
    b = public_session(venues["roche"], days=1, cancelled_at=timezone.now())
    c = public_session(venues["mouilleron"], days=1)
    assert [i.session for i in venue_upcoming(venue=venues["roche"])] == [a]
    assert atelier_upcoming(atelier_id=0) == []
    assert feed_sessions(venue_id=venues["roche"].pk) == [b, a]
    assert set(feed_sessions(structure_id=network["structure"].pk)) == {a, b, c}
