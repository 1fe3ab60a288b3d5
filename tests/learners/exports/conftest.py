import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from learners.choices import AttendanceStatus, SessionKind
from learners.models import Observation
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    at,
    level,
)


def csv_table(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for French spreadsheets"
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return list(reader)


def xlsx_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def xlsx_table(content: bytes) -> list[dict]:
    rows = list(xlsx_sheet(content).iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def network(structure_a, structure_b, socle):
    """Two structures, each with a venue, people, a past session with attendance and an
    observation."""
    commune = CommuneFactory(insee_code="85191", name="La Roche-sur-Yon")
    day = datetime.date(2024, 3, 25)
    data = {}
    for key, structure, names in (
        ("a", structure_a, ("Hélène", "Jean")),
        ("b", structure_b, ("Bruno", "Brigitte")),
    ):
        venue = VenueFactory(structure=structure, commune=commune, name=f"Médiathèque {key}")
        people = [
            LearnerFactory(structure=structure, first_name=name, commune=commune) for name in names
        ]
        session = SessionFactory(
            structure=structure,
            venue=venue,
            kind=SessionKind.WORKSHOP,
            title=f"Atelier {key}",
            start=at(day, 14),
        )
        for person in people:
            AttendanceFactory(session=session, learner=person, status=AttendanceStatus.PRESENT)
        Observation.objects.create(
            learner=people[0],
            competence=socle[0],
            level=level("socle", 2),
            session=session,
            observed_on=day,
        )
        data[key] = {"venue": venue, "people": people, "session": session}
    return data
