"""Demo-like data for the API's contract and privacy tests: two structures, counsellors
serving communes, venues, published sessions with sign-ups and attendance, guides and
ateliers, and people whose name, phone, e-mail and birth year are distinctive enough to be
found in any answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Learner
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    CounsellorFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
)
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    atelier_index_page,
    audience,
    competence,
    guide_index_page,
    theme,
)

# Values that appear nowhere else: if one leaves through the API, a scan finds it.
SECRET_PEOPLE = [
    {
        "first_name": "Zéphyrine",
        "last_name": "Quasimodowska",
        "phone": "0699887766",
        "email": "zephyrine.quasimodowska@exemple-prive.fr",
        "birth_year": 1937,
    },
    {
        "first_name": "Barnabé",
        "last_name": "Xylophonidès",
        "phone": "0755443322",
        "email": "barnabe.xylo@exemple-prive.fr",
        "birth_year": 2003,
    },
]


def distinctive_texts() -> list[str]:
    """Names, e-mails and phones (as typed and in the +33 form), folded to lower case."""
    values = []
    for person in SECRET_PEOPLE:
        values += [person["first_name"], person["last_name"], person["email"], person["phone"]]
        values.append("+33" + person["phone"][1:])
    return [value.lower() for value in values]


def birth_years() -> set[int]:
    return {person["birth_year"] for person in SECRET_PEOPLE}


@dataclass
class ApiData:
    structures: list
    learners: list[Learner]


def _sessions(structure, venue, atelier, people) -> None:
    start = timezone.now() + datetime.timedelta(days=3)
    for day in range(3):
        session = SessionFactory(
            structure=structure,
            venue=venue,
            kind=SessionKind.WORKSHOP,
            title=f"Atelier tablette {day + 1}",
            atelier=atelier,
            is_published=True,
            capacity=8,
            start=start + datetime.timedelta(days=day),
            competences=[competence("2.1")],
        )
        session.themes.set([theme("e-mail")])
        session.audiences.set([audience("seniors")])
        for person in people:
            AttendanceFactory(session=session, learner=person)


def api_data() -> ApiData:
    atelier = AtelierPageFactory(
        parent=atelier_index_page(),
        audiences=[audience("seniors")],
        competences=[competence("2.1")],
        themes=[theme("e-mail")],
    )
    GuidePageFactory(parent=guide_index_page(), competences=[competence("2.1")])
    structures, learners = [], []
    for index, person in enumerate(SECRET_PEOPLE):
        commune = CommuneFactory(insee_code=f"8519{index}", name=f"Commune {index}")
        structure = StructureFactory(name=f"Espace numérique {index}", commune=commune)
        counsellor = CounsellorFactory(structure=structure)
        counsellor.communes.set([commune])
        venue = VenueFactory(structure=structure, commune=commune)
        learner = LearnerFactory(structure=structure, commune=commune, **person)
        _sessions(structure, venue, atelier, [learner])
        structures.append(structure)
        learners.append(learner)
    return ApiData(structures=structures, learners=learners)
