"""Sign-ups are personal data, scoped like people."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from learners.selectors.bookings import booking_by_token, bookings_for_carnet, bookings_visible
from learners.services.bookings import booking_create
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    counsellor_user,
)

from .conftest import in_days

pytestmark = pytest.mark.django_db


def _book(session, **kwargs):
    values = {"first_name": "A", "phone": "", "email": "", "reminder_consent": False}
    values.update(kwargs)
    return booking_create(session=session, **values)[0]


@pytest.fixture
def two_structures(make_session):
    other = StructureFactory(name="Autre structure")
    mine = _book(make_session())
    theirs = _book(
        SessionFactory(structure=other, kind="atelier", is_published=True, start=in_days(3))
    )
    return mine, theirs


def test_counsellor_sees_their_structures_bookings(two_structures, structure):
    mine, _theirs = two_structures
    assert list(bookings_visible(counsellor_user(structure=structure))) == [mine]


def test_coordinator_sees_all_partner_editor_and_anonymous_nothing(
    two_structures, coordinator, partner_editor
):
    assert bookings_visible(coordinator).count() == 2
    assert not bookings_visible(partner_editor).exists()
    assert not bookings_visible(AnonymousUser()).exists()


def test_booking_by_token(make_session):
    booking = _book(make_session())
    assert booking_by_token(booking.token) == booking
    assert booking_by_token("x" * 40) is None
    assert booking_by_token("") is None
    assert booking_by_token(booking.token + "'") is None


def test_carnet_shows_upcoming_live_only(make_session):
    learner = LearnerFactory()
    upcoming = _book(make_session(), learner=learner)
    past = _book(make_session(), learner=learner)
    past.session.start = timezone.now() - datetime.timedelta(days=1)
    past.session.save()
    cancelled_session = make_session(start=in_days(8))
    _book(cancelled_session, learner=learner)
    cancelled_session.cancelled_at = timezone.now()
    cancelled_session.save()
    _book(make_session(start=in_days(9)))  # someone else's
    assert list(bookings_for_carnet(learner)) == [upcoming]
