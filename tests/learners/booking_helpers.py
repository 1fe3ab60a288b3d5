"""A stand-in for the notices task while a counsellor-side test runs (sign-ups:
`tests.factories.bookings.BookingFactory`)."""


class RecordedTask:
    """Stands in the Celery registry for a task of another part of issue 14 (the SMS and
    e-mail notices of sign-ups) while a test runs: records the keyword arguments it is
    queued with, after commit like the real one."""

    def __init__(self):
        self.calls = []

    def delay_on_commit(self, **kwargs):
        from django.db import transaction

        transaction.on_commit(lambda: self.calls.append(kwargs))
