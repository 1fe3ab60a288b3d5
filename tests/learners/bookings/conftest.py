"""Fixtures of the public sign-up tests: published sessions, and the notices' task recorded.

The task "learners.booking_notices" is wrapped, for each test, by a task of the same name
that records what it was asked to send and then sends it for real (the real task is put
back afterwards): these tests check which notice the sign-up asked for, and when (on
commit); tests/learners/services/test_notices.py checks the messages themselves."""

import datetime

import pytest
from celery import current_app, shared_task
from django.utils import timezone

from learners.choices import SessionKind
from learners.services.notices import booking_notices_send
from tests.factories.learners import SessionFactory, StructureFactory

NOTICES = "learners.booking_notices"
SENT: list[dict] = []


@shared_task(name="tests.booking_notices_recorder")
def _record(**kwargs):
    SENT.append({k: v for k, v in kwargs.items() if k != "reason" or v})
    booking_notices_send(**kwargs)


@pytest.fixture(autouse=True)
def notices():
    """The notices asked for: [{"booking_ids": [...], "kind": "..."}]."""
    previous = current_app.tasks.get(NOTICES)
    current_app.tasks[NOTICES] = _record
    SENT.clear()
    yield SENT
    if previous is None:
        del current_app.tasks[NOTICES]
    else:
        current_app.tasks[NOTICES] = previous


def in_days(days: float, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def structure(db):
    return StructureFactory(name="Espace numérique de Landeronde")


@pytest.fixture
def make_session(structure):
    def make(**kwargs):
        values = {
            "structure": structure,
            "kind": SessionKind.WORKSHOP,
            "title": "Créer son adresse e-mail",
            "is_published": True,
            "capacity": 2,
            "waitlist_capacity": 2,
            "start": in_days(5),
        }
        values.update(kwargs)
        return SessionFactory(**values)

    return make
