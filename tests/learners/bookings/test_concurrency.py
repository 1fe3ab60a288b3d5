"""No overbooking under real concurrency (PostgreSQL): sign-ups run in threads, each with
its own database connection, all released together by a barrier."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from learners.models import Booking, BookingStatus
from learners.services.bookings import booking_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write: row locks and concurrent writers need PostgreSQL",
    ),
]

WORKERS = 24  # concurrent connections (the server allows 100, shared with other test runs)


def _run_concurrently(calls):
    barrier = threading.Barrier(WORKERS)
    errors = []

    def worker(chunk):
        try:
            barrier.wait()
            for call in chunk:
                try:
                    call()
                except Exception as error:  # noqa: BLE001 - collected and asserted empty
                    errors.append(error)
        finally:
            connections.close_all()

    chunks = [calls[i::WORKERS] for i in range(WORKERS)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(worker, chunks))
    return errors


def test_200_concurrent_sign_ups_for_12_places(make_session):
    session = make_session(capacity=12, waitlist_capacity=500)

    def sign_up(n):
        return lambda: booking_create(
            session=session,
            first_name=f"Personne {n}",
            phone="",
            email=f"personne{n}@exemple.fr",
            reminder_consent=False,
        )

    errors = _run_concurrently([sign_up(n) for n in range(200)])
    assert errors == []
    bookings = Booking.objects.filter(session=session)
    assert bookings.filter(status=BookingStatus.CONFIRMED).count() == 12
    assert bookings.filter(status=BookingStatus.WAITING).count() == 188
    assert bookings.values("email").distinct().count() == 200


def test_same_contact_twenty_times_concurrently_one_booking(make_session):
    session = make_session(capacity=12)
    results = []

    def sign_up():
        results.append(
            booking_create(
                session=session,
                first_name="Josiane",
                phone="06 12 34 56 78",
                email="",
                reminder_consent=False,
            )[0].pk
        )

    errors = _run_concurrently([sign_up for _ in range(20)])
    assert errors == []
    assert Booking.objects.filter(session=session).count() == 1
    assert set(results) == {Booking.objects.get().pk}
