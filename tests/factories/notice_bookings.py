"""Sign-ups (bookings) for the tests of messages and reminders. The sign-up service
(`learners.services.bookings`) makes the real ones; these only set the fields the
messages read."""

from __future__ import annotations

import secrets

import factory

from learners.models import Booking, BookingStatus

from .learners import SessionFactory


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(16))
    first_name = "Hélène"
    phone = factory.Sequence(lambda n: f"+336{n:08d}")
    email = ""
    reminder_consent = True
    status = BookingStatus.CONFIRMED
