"""Migration learners 0019 backfills the participant summaries with a frozen copy of the
computation (so that it runs the same whatever the code becomes): on today's code it must
give exactly what the live rebuild gives, on SQLite and on PostgreSQL."""

import datetime
import importlib
import random

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from learners.choices import AttendanceStatus, Gender
from learners.models import AnonymousParticipants, SessionActivitySummary
from learners.services.activity_summaries import activity_summaries_rebuild
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("learners.migrations.0019_session_activity_summary")


class _Editor:
    """What the backfill reads of Django's schema editor."""

    connection = connection


def _stored() -> dict[int, tuple]:
    return {
        s.session_id: (s.registered, s.anonymous, s.by_age_band, s.by_gender)
        for s in SessionActivitySummary.objects.all()
    }


def test_the_frozen_backfill_gives_what_the_live_rebuild_gives():
    rng = random.Random(19)
    structure = StructureFactory()
    today = timezone.localdate()
    sessions = [
        SessionFactory(structure=structure, start=at(today - datetime.timedelta(days=d), 10))
        for d in range(0, 400, 37)
    ]
    # New Year's Eve at 23:30 in Paris: the band uses the local year.
    sessions.append(
        SessionFactory(
            structure=structure,
            start=timezone.make_aware(datetime.datetime(today.year - 1, 12, 31, 23, 30)),
        )
    )
    years = [None, 1940, 1956, 1970, 1999, 2006, 2007, 2015, today.year - 19, 2100]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT]
    for session in sessions:
        for _ in range(rng.randint(0, 5)):
            AttendanceFactory(
                session=session,
                status=rng.choice(statuses),
                learner=LearnerFactory(
                    structure=structure,
                    birth_year=rng.choice(years),
                    gender=rng.choice(list(Gender)),
                ),
            )
        if rng.random() < 0.4:
            AnonymousParticipants.objects.create(
                session=session, age_band="60_69", gender=Gender.FEMALE, count=rng.randint(1, 3)
            )
    activity_summaries_rebuild()
    live = _stored()
    assert any(row[0] for row in live.values()) and any(row[1] for row in live.values())
    SessionActivitySummary.objects.all().delete()
    migration.backfill(apps, _Editor())
    assert _stored() == live
