"""Sign-ups (bookings) for the tests: the ONE factory. The sign-up service
(`learners.services.bookings`) makes the real ones; this only sets fields (a confirmed
sign-up with a French mobile number, reminders accepted)."""

from __future__ import annotations

import secrets

import factory

from learners.models import Booking, BookingStatus

from .learners import SessionFactory


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(16))  # 22 symbols, as stored
    first_name = "Josiane"
    phone = factory.Sequence(lambda n: f"+3361234{n:04d}")
    email = ""
    reminder_consent = True
    status = BookingStatus.CONFIRMED
