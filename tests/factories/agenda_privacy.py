"""Appointment requests and messages sent, for the agenda's privacy tests (sign-ups:
`tests.factories.bookings.BookingFactory`)."""

from __future__ import annotations

import secrets

import factory

from learners.models import AppointmentRequest, Booking, MessageSent
from learners.models.bookings import MessageChannel, MessageKind
from tests.factories.learners import VenueFactory


class AppointmentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentRequest

    venue = factory.SubFactory(VenueFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    first_name = "Marcel"
    phone = factory.Sequence(lambda n: f"+3361299{n:04d}")
    availability = "le mardi matin"
    topic = "dossier de retraite"


def message_sent(booking: Booking, kind: str = MessageKind.CONFIRMATION) -> MessageSent:
    return MessageSent.objects.create(
        structure=booking.session.structure,
        booking=booking,
        channel=MessageChannel.SMS,
        kind=kind,
        session_start=booking.session.start,
        segments=1,
    )
