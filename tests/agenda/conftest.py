"""The sign-up fixtures (published sessions, the notices' task recorded) shared with
tests/learners/bookings/."""

from tests.learners.bookings.conftest import in_days, make_session, notices, structure  # noqa: F401
