"""Test data for the online sign-ups on the counsellor's side (no factory of the sign-up
part in this branch: created as the sign-up service stores them)."""

import secrets

from learners.models import Booking, BookingStatus


def make_booking(session, *, first_name="Josiane", phone="", email="", **kwargs):
    kwargs.setdefault("status", BookingStatus.CONFIRMED)
    return Booking.objects.create(
        session=session,
        first_name=first_name,
        phone=phone,
        email=email,
        token=secrets.token_urlsafe(32),
        **kwargs,
    )


class RecordedTask:
    """Stands in the Celery registry for a task of another part of issue 14 (the SMS and
    e-mail notices of sign-ups) while a test runs: records the keyword arguments it is
    queued with, after commit like the real one."""

    def __init__(self):
        self.calls = []

    def delay_on_commit(self, **kwargs):
        from django.db import transaction

        transaction.on_commit(lambda: self.calls.append(kwargs))
