"""On PostgreSQL the activity records are written as JSON by the database
(`api.selectors.activities`): they must be exactly the reference records built in Python
(`learners.selectors.activity_records`), whatever the session holds."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from api.routers.activities import resource_object
from api.selectors.activities import activity_resources_json
from learners.choices import AttendanceStatus, Gender, PlaceType, SessionKind
from learners.models import AnonymousParticipants, Session
from learners.selectors.activity_records import RecordPosition, activity_records_page
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
    socle_competences,
)
from tests.factories.workshops import AtelierPageFactory, theme

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JSON path"),
]


@pytest.fixture
def varied():
    structure = StructureFactory()
    other = StructureFactory()
    day = timezone.localdate() - datetime.timedelta(days=2)
    atelier = SessionFactory(
        structure=structure,
        kind=SessionKind.WORKSHOP,
        atelier=AtelierPageFactory(title="Premiers pas sur la tablette"),
        start=at(day, 9),
    )
    atelier.themes.set([theme("e-mail"), theme("securite-numerique")])
    atelier.competences.set(socle_competences()[:3])
    for birth_year, gender in ((1950, Gender.FEMALE), (None, Gender.UNKNOWN), (2015, Gender.MALE)):
        AttendanceFactory(
            session=atelier,
            learner=LearnerFactory(structure=structure, birth_year=birth_year, gender=gender),
        )
    AttendanceFactory(session=atelier, status=AttendanceStatus.ABSENT)
    AnonymousParticipants.objects.create(
        session=atelier, age_band="12_17", gender=Gender.MALE, count=2
    )
    # New Year's Eve at 23:30 in Paris: the band uses the local year.
    late = SessionFactory(
        structure=structure,
        start=timezone.make_aware(datetime.datetime(day.year - 1, 12, 31, 23, 30)),
    )
    AttendanceFactory(
        session=late, learner=LearnerFactory(structure=structure, birth_year=day.year - 19)
    )
    home = SessionFactory(
        structure=other,
        place_type=PlaceType.HOME,
        venue=None,
        kind=SessionKind.INDIVIDUAL,
        duration_minutes=37,
    )
    home.cancelled_at = timezone.now()
    home.save()
    SessionFactory(structure=other)  # empty
    return {"structure": structure}


def _python(**kwargs):
    from learners.choices import SessionKind as Kind

    labels = {kind.value: str(kind.label) for kind in Kind}
    return [resource_object(record, labels) for record in activity_records_page(**kwargs)]


def _sql(**kwargs):
    return [json.loads(text) for _pk, _modified, text in activity_resources_json(**kwargs)]


def test_the_database_writes_the_reference_records(varied):
    python = _python(size=100)
    assert len(python) == Session.objects.count() == 4
    assert _sql(size=100) == python


def test_the_same_pages_filters_and_cursor(varied):
    first = activity_records_page(size=2)
    after = RecordPosition(first[-1].modified, first[-1].id)
    assert _sql(size=2, after=after) == _python(size=2, after=after)
    since = timezone.now() - datetime.timedelta(minutes=5)
    assert _sql(since=since) == _python(since=since)
    bound = varied["structure"].pk
    assert _sql(structure_id=bound) == _python(structure_id=bound)
    assert len(_sql(structure_id=bound)) == 2
