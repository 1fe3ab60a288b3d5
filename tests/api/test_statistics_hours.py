"""The API's hours are the dashboard's: rounded half up to one decimal, the same in the
headline and in the table by kind (3 sessions of 50 min = 2.5 h, never 2)."""

import datetime

import pytest
from django.utils import timezone

from api.scopes import Scope
from tests.factories.learners import AttendanceFactory, SessionFactory, StructureFactory, at

pytestmark = pytest.mark.django_db


def test_headline_and_table_hours_agree(client, make_key):
    structure = StructureFactory()
    for month in (2, 3, 4):
        session = SessionFactory(
            structure=structure,
            start=at(datetime.date(timezone.localdate().year, month, 5)),
            duration_minutes=50,
        )
        AttendanceFactory(session=session)
    _client, headers = make_key(scopes=[Scope.STATISTICS])
    response = client.get("/api/v1/statistiques", **headers)
    assert response.status_code == 200, response.content
    tables = {t["cle"]: t for t in response.json()["data"]["attributes"]["tableaux"]}
    lines = {line["cle"]: line for line in tables["headline"]["lignes"]}
    assert lines["hours"]["valeurs"]["value"] == 2.5
    total = next(line for line in tables["kinds"]["lignes"] if line["total"])
    assert total["valeurs"]["hours"] == 2.5
