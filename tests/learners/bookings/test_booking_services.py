"""Sign-up, cancellation and the waiting list (learners/services/bookings.py)."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from caching import versions
from learners.choices import AttendanceStatus, SessionKind
from learners.models import Booking, BookingStatus, CancelledBy, SessionSeries, SignupScope
from learners.selectors.bookings import waitlist_rank
from learners.selectors.places import session_places
from learners.services.bookings import (
    BookingRefused,
    booking_cancel,
    booking_create,
    offer_accept,
    offer_decline,
    offers_expire,
)
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db


def sign_up(session, n=0, **kwargs):
    values = {
        "first_name": f"Personne {n}",
        "phone": f"06 12 34 56 {n:02d}",
        "email": "",
        "reminder_consent": True,
    }
    values.update(kwargs)
    return booking_create(session=session, **values)


def test_places_then_waiting_list_then_refusal(
    make_session, notices, django_capture_on_commit_callbacks
):
    session = make_session(capacity=2, waitlist_capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(session, 1)[0]
        sign_up(session, 2)
        third = sign_up(session, 3)[0]
    assert first.status == BookingStatus.CONFIRMED
    assert first.phone == "+33612345601"
    assert third.status == BookingStatus.WAITING
    assert waitlist_rank(third) == 1
    with pytest.raises(BookingRefused) as refused:
        sign_up(session, 4)
    assert refused.value.messages == ["Cette séance est complète et sa liste d'attente aussi."]
    assert Booking.objects.filter(session=session).count() == 3
    assert [n["kind"] for n in notices] == ["confirmation", "confirmation", "attente"]
    assert notices[0]["booking_ids"] == [first.pk]


def test_counsellor_registrations_take_places_too(make_session):
    session = make_session(capacity=1, waitlist_capacity=3)
    AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    assert sign_up(session, 1)[0].status == BookingStatus.WAITING


def test_no_waiting_list_says_complete(make_session):
    session = make_session(capacity=1, waitlist_capacity=0)
    sign_up(session, 1)
    with pytest.raises(BookingRefused) as refused:
        sign_up(session, 2)
    assert refused.value.messages == ["Cette séance est complète."]


def test_same_contact_gets_the_same_booking(make_session):
    session = make_session()
    first = sign_up(session, 1, email="Josiane@Exemple.fr")
    again = sign_up(session, 9, email="josiane@exemple.fr", phone="")
    assert [b.pk for b in again] == [b.pk for b in first]
    assert Booking.objects.count() == 1


def test_without_contact_anyone_can_sign_up_a_relative(make_session):
    session = make_session(capacity=5)
    sign_up(session, 1, phone="")
    sign_up(session, 2, phone="")
    assert Booking.objects.filter(phone="", email="").count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_published": False}, "pas ouverte"),
        ({"cancelled_at": timezone.now()}, "annulée"),
        ({"start": timezone.now() - datetime.timedelta(minutes=5)}, "passée"),
        ({"kind": SessionKind.INDIVIDUAL}, "rendez-vous individuels"),
    ],
)
def test_closed_sessions_refused(make_session, change, message):
    session = make_session(**change)
    with pytest.raises(BookingRefused) as refused:
        sign_up(session, 1)
    assert message in refused.value.messages[0]
    assert not Booking.objects.exists()


def test_bad_contact_refused_by_field(make_session):
    session = make_session()
    with pytest.raises(BookingRefused) as refused:
        sign_up(session, 1, first_name=" ", phone="02 51 00 00 00", email="x@")
    assert set(refused.value.message_dict) == {"first_name", "phone", "email"}
    assert not Booking.objects.exists()


@override_settings(AGENDA_SIGNUP_LIMITS={"live_groups_per_contact": 2})
def test_cap_per_contact(make_session):
    for day in (3, 4):
        sign_up(make_session(start=in_days(day)), 1)
    with pytest.raises(BookingRefused) as refused:
        sign_up(make_session(start=in_days(6)), 1)
    assert "2 ateliers" in refused.value.messages[0]
    # A cancelled one frees the allowance.
    booking_cancel(booking=Booking.objects.first(), by=CancelledBy.PERSON)
    assert sign_up(make_session(start=in_days(7)), 1)


def test_sign_up_bumps_the_agenda(make_session):
    session = make_session()
    before = versions.current(versions.AGENDA)
    sign_up(session, 1)
    assert versions.current(versions.AGENDA) != before


def _cycle(structure, scope, days=(3, 10, 17), **kwargs):
    series = SessionSeries.objects.create(
        structure=structure, title="Smartphone", signup_scope=scope
    )
    sessions = [
        SessionFactory(
            structure=structure,
            kind=SessionKind.WORKSHOP,
            is_published=True,
            capacity=kwargs.get("capacity", 2),
            waitlist_capacity=kwargs.get("waitlist_capacity", 2),
            series=series,
            start=in_days(d),
        )
        for d in days
    ]
    return series, sessions


def test_whole_cycle_one_group(structure, notices, django_capture_on_commit_callbacks):
    _series, sessions = _cycle(structure, SignupScope.WHOLE_CYCLE)
    with django_capture_on_commit_callbacks(execute=True):
        bookings = sign_up(sessions[1], 1)  # from any date: every upcoming date
    assert [b.session_id for b in bookings] == [s.pk for s in sessions]
    assert len({b.group for b in bookings}) == 1
    # The whole form in one call: the notices service sends one message for the cycle.
    assert notices == [{"booking_ids": [b.pk for b in bookings], "kind": "confirmation"}]


def test_cycle_full_date_goes_to_its_waiting_list(structure):
    _series, sessions = _cycle(structure, SignupScope.WHOLE_CYCLE, capacity=1)
    sign_up(sessions[1], 1, whole_cycle=False)  # whole anyway: the cycle says so
    bookings = sign_up(sessions[0], 2)
    assert [b.status for b in bookings] == [BookingStatus.WAITING] * 3


def test_cycle_all_or_nothing_when_a_date_is_closed(structure):
    _series, sessions = _cycle(structure, SignupScope.WHOLE_CYCLE, capacity=1, waitlist_capacity=0)
    sign_up(sessions[2], 1, whole_cycle=False)
    Booking.objects.exclude(session=sessions[2]).delete()  # only the last date is full
    with pytest.raises(BookingRefused) as refused:
        sign_up(sessions[0], 2)
    assert "complète" in refused.value.messages[0]
    assert Booking.objects.count() == 1


def test_per_date_cycle_offers_the_choice(structure):
    _series, sessions = _cycle(structure, SignupScope.PER_DATE)
    assert len(sign_up(sessions[0], 1)) == 1
    assert len(sign_up(sessions[0], 2, whole_cycle=True)) == 3


def test_cancel_offers_the_place_to_the_first_waiting(
    make_session, notices, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1, waitlist_capacity=5, start=in_days(5))
    holder = sign_up(session, 1)[0]
    first_waiting = sign_up(session, 2)[0]
    second_waiting = sign_up(session, 3)[0]
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = booking_cancel(booking=holder, by=CancelledBy.PERSON)
    assert [b.pk for b in cancelled] == [holder.pk]
    first_waiting.refresh_from_db()
    assert first_waiting.status == BookingStatus.OFFERED
    assert first_waiting.offered_until - timezone.now() <= datetime.timedelta(hours=24)
    assert first_waiting.offered_until > timezone.now() + datetime.timedelta(hours=23)
    assert notices == [{"booking_ids": [first_waiting.pk], "kind": "proposition"}]
    assert session_places(session).free == 0  # the offered place is held
    assert waitlist_rank(Booking.objects.get(pk=second_waiting.pk)) == 1
    # Cancelling again does nothing.
    assert booking_cancel(booking=holder, by=CancelledBy.PERSON) == []


def test_offer_deadline_closes_before_the_session(make_session):
    start = timezone.now() + datetime.timedelta(hours=10)
    session = make_session(capacity=1, start=start)
    holder, waiting = sign_up(session, 1)[0], sign_up(session, 2)[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    waiting.refresh_from_db()
    assert waiting.offered_until == start - datetime.timedelta(hours=3)


def test_close_session_confirms_directly(make_session, notices, django_capture_on_commit_callbacks):
    session = make_session(capacity=1, start=timezone.now() + datetime.timedelta(hours=4))
    holder, waiting = sign_up(session, 1)[0], sign_up(session, 2)[0]
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=holder, by=CancelledBy.PERSON)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    assert waiting.offered_until is None
    assert notices == [{"booking_ids": [waiting.pk], "kind": "confirmation"}]


def test_accept_and_decline(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    holder = sign_up(session, 1)[0]
    a, b = sign_up(session, 2)[0], sign_up(session, 3)[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    with pytest.raises(BookingRefused):
        offer_accept(booking=b)  # not offered to b
    declined = offer_decline(booking=Booking.objects.get(pk=a.pk))
    assert declined.status == BookingStatus.CANCELLED
    b.refresh_from_db()
    assert b.status == BookingStatus.OFFERED
    assert offer_accept(booking=b).status == BookingStatus.CONFIRMED
    assert offer_accept(booking=b).status == BookingStatus.CONFIRMED  # twice is harmless


def test_expired_offers_pass_to_the_next_idempotently(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    holder = sign_up(session, 1)[0]
    a, b = sign_up(session, 2)[0], sign_up(session, 3)[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    a.refresh_from_db()
    later = a.offered_until + datetime.timedelta(seconds=1)
    assert offers_expire(now=later) == 1
    assert offers_expire(now=later) == 0
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.cancelled_by) == (BookingStatus.EXPIRED, CancelledBy.SYSTEM)
    assert b.status == BookingStatus.OFFERED


def test_accepting_too_late_refused_and_passed_on(make_session):
    session = make_session(capacity=1, waitlist_capacity=5)
    holder = sign_up(session, 1)[0]
    a, b = sign_up(session, 2)[0], sign_up(session, 3)[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    Booking.objects.filter(pk=a.pk).update(
        offered_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(BookingRefused) as refused:
        offer_accept(booking=a)
    assert "délai" in refused.value.messages[0]
    b.refresh_from_db()
    assert b.status == BookingStatus.OFFERED


def test_cancel_whole_group(structure):
    _series, sessions = _cycle(structure, SignupScope.WHOLE_CYCLE)
    bookings = sign_up(sessions[0], 1)
    assert len(booking_cancel(booking=bookings[1], by=CancelledBy.PERSON, whole_group=True)) == 3
    assert not Booking.objects.filter(status=BookingStatus.CONFIRMED).exists()


def test_past_session_cannot_be_cancelled(make_session):
    session = make_session()
    booking = sign_up(session, 1)[0]
    session.start = timezone.now() - datetime.timedelta(hours=1)
    session.save()
    booking.refresh_from_db()
    with pytest.raises(BookingRefused):
        booking_cancel(booking=booking, by=CancelledBy.PERSON)


def test_carnet_link_kept(make_session):
    learner = LearnerFactory()
    booking = sign_up(make_session(), 1, learner=learner)[0]
    assert booking.learner == learner


def test_periodic_task_expires_offers(make_session, settings):
    from learners.tasks import booking_offers_expire_task

    assert settings.CELERY_BEAT_SCHEDULE["learners-booking-offers"]["task"] == (
        "learners.booking_offers_expire"
    )
    session = make_session(capacity=1, waitlist_capacity=5)
    holder = sign_up(session, 1)[0]
    a, b = sign_up(session, 2)[0], sign_up(session, 3)[0]
    booking_cancel(booking=holder, by=CancelledBy.PERSON)
    Booking.objects.filter(pk=a.pk).update(
        offered_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert booking_offers_expire_task.apply().get() == 1
    assert booking_offers_expire_task.apply().get() == 0
    b.refresh_from_db()
    assert b.status == BookingStatus.OFFERED


def test_cancelled_by_the_structure_is_told(
    make_session, notices, django_capture_on_commit_callbacks
):
    session = make_session()
    mine, theirs = sign_up(session, 1)[0], sign_up(session, 2)[0]
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=mine, by=CancelledBy.PERSON)
    assert notices == []
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=theirs, by=CancelledBy.STRUCTURE)
    assert notices == [{"booking_ids": [theirs.pk], "kind": "desinscription"}]


def test_cancel_bumps_the_agenda(make_session):
    booking = sign_up(make_session(), 1)[0]
    before = versions.current(versions.AGENDA)
    booking_cancel(booking=booking, by=CancelledBy.PERSON)
    assert versions.current(versions.AGENDA) != before


@override_settings(AGENDA_SIGNUP_LIMITS={"live_groups_per_contact": 1})
def test_same_contact_at_the_cap_gets_its_booking_back_not_a_refusal(make_session):
    session = make_session()
    first = sign_up(session, 1)
    assert [b.pk for b in sign_up(session, 1)] == [b.pk for b in first]
    with pytest.raises(BookingRefused):
        sign_up(make_session(start=in_days(8)), 1)


def test_places_count_attendances_and_unlinked_sign_ups_once(make_session):
    session = make_session(capacity=5, waitlist_capacity=3)
    AttendanceFactory(session=session, status=AttendanceStatus.PRESENT)
    AttendanceFactory(session=session, status=AttendanceStatus.EXCUSED)
    linked = sign_up(session, 1)[0]
    linked.attendance = AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    linked.save()
    sign_up(session, 2)
    places = session_places(session)
    assert (places.taken, places.waiting) == (3, 0)
    Booking.objects.filter(pk=linked.pk).update(status=BookingStatus.WAITING, attendance=None)
    assert (session_places(session).taken, session_places(session).waiting) == (3, 1)


def test_sign_up_query_count_bounded(make_session, django_assert_max_num_queries):
    session = make_session(capacity=1, waitlist_capacity=2)
    sign_up(session, 1)
    # Lock, the contact's live sign-ups (same contact and cap), the places, the insert;
    # the atomic block's savepoint and release in a test's transaction.
    with django_assert_max_num_queries(6):
        assert sign_up(session, 2)[0].status == BookingStatus.WAITING
