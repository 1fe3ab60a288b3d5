"""Sessions in the public agenda: defaults, the rule for individual appointments, and
the agenda's cache version bumped by every change a visitor could see."""

import pytest
from django.core.exceptions import ValidationError

from caching import versions
from learners.choices import PlaceType, SessionKind
from learners.services import session_create, session_update
from tests.factories.learners import SessionFactory, VenueFactory, at
from tests.factories.workshops import audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue(structure_a):
    return VenueFactory(structure=structure_a)


@pytest.fixture
def day():
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=3)


@pytest.mark.parametrize(
    ("kind", "published"),
    [
        (SessionKind.WORKSHOP, True),
        (SessionKind.DISCUSSION, True),
        (SessionKind.DROP_IN, True),
        (SessionKind.INDIVIDUAL, False),
    ],
)
def test_publication_default_by_kind(counsellor_a, venue, day, kind, published):
    session = session_create(user=counsellor_a, kind=kind, venue=venue, start=at(day, 14))
    assert session.is_published is published


def test_a_session_without_venue_is_not_published_by_default(counsellor_a, day):
    session = session_create(
        user=counsellor_a, kind=SessionKind.WORKSHOP, place_type=PlaceType.REMOTE, start=at(day)
    )
    assert session.is_published is False


def test_an_individual_appointment_is_never_published(counsellor_a, venue, day):
    with pytest.raises(ValidationError) as exc:
        session_create(
            user=counsellor_a,
            kind=SessionKind.INDIVIDUAL,
            venue=venue,
            start=at(day),
            public={"is_published": True},
        )
    assert "jamais publié" in str(exc.value)
    session = SessionFactory(structure=venue.structure, venue=venue, kind=SessionKind.INDIVIDUAL)
    with pytest.raises(ValidationError):
        session_update(user=counsellor_a, session=session, data={"is_published": True})
    session.refresh_from_db()
    assert session.is_published is False


def test_agenda_fields_are_saved(counsellor_a, venue, day):
    seniors = audience("seniors")
    session = session_create(
        user=counsellor_a,
        kind=SessionKind.WORKSHOP,
        venue=venue,
        start=at(day),
        capacity=8,
        public={
            "waitlist_capacity": 3,
            "what_to_bring": "  Votre téléphone chargé ",
            "accessibility_note": "Salle de plain-pied",
        },
        audiences=[seniors],
    )
    session.refresh_from_db()
    assert (session.capacity, session.waitlist_capacity) == (8, 3)
    assert session.what_to_bring == "Votre téléphone chargé"
    assert list(session.audiences.all()) == [seniors]


def test_changes_of_a_published_session_bump_the_agenda(counsellor_a, venue, day):
    session = SessionFactory(structure=venue.structure, venue=venue, is_published=True)
    before = versions.current(versions.AGENDA)
    session_update(user=counsellor_a, session=session, data={"what_to_bring": "Un stylo"})
    assert versions.current(versions.AGENDA) > before


def test_changes_of_an_unpublished_session_leave_the_agenda_cached(counsellor_a, venue):
    session = SessionFactory(structure=venue.structure, venue=venue, is_published=False)
    before = versions.current(versions.AGENDA)
    session_update(user=counsellor_a, session=session, data={"what_to_bring": "Un stylo"})
    assert versions.current(versions.AGENDA) == before


def test_unpublishing_bumps_the_agenda(counsellor_a, venue):
    session = SessionFactory(structure=venue.structure, venue=venue, is_published=True)
    before = versions.current(versions.AGENDA)
    session_update(user=counsellor_a, session=session, data={"is_published": False})
    assert versions.current(versions.AGENDA) > before
