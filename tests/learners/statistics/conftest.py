"""A small world with known answers for the statistics dashboard (period: year 2024).

Sessions (structure, counsellors, venue commune, kind, minutes, themes; present people):
- s0 2023-11-10 A ca  C1 permanence 60  -            ; p2            (before the period)
- s1 2024-03-10 A ca  C1 permanence 60  e-mail       ; p1 p2 (p3 absent)
- s2 2024-04-02 B cb  C2 atelier X  120 sécurité     ; p1 p4 + 3 anonymous (70+, féminin)
- s3 2024-04-09 B cb  C2 atelier X  120 -            ; p1
- s4 2024-12-31 23:30 A ca2 at home échange 30 papiers (sub-theme of démarches) ; p5
- s5 2025-01-05 A ca  C1 individuel 60 -             ; p6            (after the period)
- s6 2024-06-01 A ca+ca2 C1 atelier (no curriculum) 90 - ; p2 p5

People: p1 born 2007 C1 féminin scolarisé; p2 1950 C2 masculin retraité; p3 1990 C1 (only
absent); p4 no birth year, no commune; p5 1984 C1 féminin en emploi; p6 2000 C2.
"""

import datetime
from types import SimpleNamespace

import pytest

from learners.choices import AttendanceStatus, Gender, PlaceType, SessionKind, SocialStatus
from learners.models import AnonymousParticipants, Observation
from learners.services.progress import summary_rebuild
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    CounsellorFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    at,
    level,
)
from tests.factories.workshops import AtelierPageFactory, competence, theme


def _session(day, *, structure, counsellors, venue=None, hour=10, minute=0, **kwargs):
    start = at(day, hour).replace(minute=minute)
    kwargs.setdefault("place_type", PlaceType.VENUE if venue else PlaceType.HOME)
    session = SessionFactory(start=start, structure=structure, venue=venue, **kwargs)
    session.counsellors.set(counsellors)
    return session


def _present(session, *people, status=AttendanceStatus.PRESENT):
    for person in people:
        AttendanceFactory(session=session, learner=person, status=status)


def _person(birth_year, commune, gender, social, *, structure):
    return LearnerFactory(
        birth_year=birth_year,
        commune=commune,
        gender=gender,
        social_status=social,
        structure=structure,
    )


def _observe(who, comp, rank, day):
    Observation.objects.create(
        learner=who, competence=comp, level=level("socle", rank), observed_on=day
    )


def _staff_places_and_themes(w):
    w.c1 = CommuneFactory(insee_code="T8501", name="Landeronde")
    w.c2 = CommuneFactory(insee_code="T8502", name="Aizenay")
    w.ca = w.counsellor_a.counsellor
    w.cb = w.counsellor_b.counsellor
    w.ca2 = CounsellorFactory(structure=w.structure_a)
    w.manager = CounsellorFactory(structure=w.structure_a, is_structure_manager=True)
    w.va = VenueFactory(structure=w.structure_a, commune=w.c1, name="Mairie de Landeronde")
    w.vb = VenueFactory(structure=w.structure_b, commune=w.c2, name="Médiathèque d'Aizenay")
    w.atelier_x = AtelierPageFactory(title="Se protéger des arnaques")
    w.email, w.security, w.papers = (
        theme("e-mail"),
        theme("securite-numerique"),
        theme("demarches-papiers"),
    )


def _people(w):
    a, b = w.structure_a, w.structure_b
    w.p1 = _person(2007, w.c1, Gender.FEMALE, SocialStatus.STUDENT, structure=a)
    w.p2 = _person(1950, w.c2, Gender.MALE, SocialStatus.RETIRED, structure=a)
    w.p3 = _person(1990, w.c1, Gender.MALE, SocialStatus.EMPLOYED, structure=a)
    w.p4 = _person(None, None, Gender.UNKNOWN, SocialStatus.UNKNOWN, structure=b)
    w.p5 = _person(1984, w.c1, Gender.FEMALE, SocialStatus.EMPLOYED, structure=a)
    w.p6 = _person(2000, w.c2, Gender.MALE, SocialStatus.EMPLOYED, structure=a)


def _sessions(w):
    d = datetime.date
    a, b = w.structure_a, w.structure_b
    w.s0 = _session(d(2023, 11, 10), structure=a, counsellors=[w.ca], venue=w.va)
    w.s1 = _session(d(2024, 3, 10), structure=a, counsellors=[w.ca], venue=w.va)
    w.s1.themes.set([w.email])
    w.s2 = _session(
        d(2024, 4, 2),
        structure=b,
        counsellors=[w.cb],
        venue=w.vb,
        kind=SessionKind.WORKSHOP,
        atelier=w.atelier_x,
        duration_minutes=120,
    )
    w.s2.themes.set([w.security])
    w.s3 = _session(
        d(2024, 4, 9),
        structure=b,
        counsellors=[w.cb],
        venue=w.vb,
        kind=SessionKind.WORKSHOP,
        atelier=w.atelier_x,
        duration_minutes=120,
    )
    w.s4 = _session(
        d(2024, 12, 31),
        hour=23,
        minute=30,
        structure=a,
        counsellors=[w.ca2],
        kind=SessionKind.DISCUSSION,
        duration_minutes=30,
    )
    w.s4.themes.set([w.papers])
    w.s5 = _session(
        d(2025, 1, 5), structure=a, counsellors=[w.ca], venue=w.va, kind=SessionKind.INDIVIDUAL
    )
    w.s6 = _session(
        d(2024, 6, 1),
        structure=a,
        counsellors=[w.ca, w.ca2],
        venue=w.va,
        kind=SessionKind.WORKSHOP,
        duration_minutes=90,
    )


def _attendances(w):
    _present(w.s0, w.p2)
    _present(w.s1, w.p1, w.p2)
    _present(w.s1, w.p3, status=AttendanceStatus.ABSENT)
    _present(w.s2, w.p1, w.p4)
    AnonymousParticipants.objects.create(
        session=w.s2, age_band="70_plus", gender="feminin", count=3
    )
    _present(w.s3, w.p1)
    _present(w.s4, w.p5)
    _present(w.s5, w.p6)
    _present(w.s6, w.p2, w.p5)


def _observations(w):
    d = datetime.date
    w.s1_comp, w.s2_comp = competence("S1.1"), competence("S1.2")
    _observe(w.p1, w.s1_comp, 1, d(2023, 12, 1))
    _observe(w.p1, w.s1_comp, 1, d(2024, 3, 10))
    _observe(w.p1, w.s1_comp, 3, d(2024, 4, 9))
    _observe(w.p2, w.s1_comp, 0, d(2024, 3, 10))
    _observe(w.p2, w.s1_comp, 0, d(2024, 6, 1))
    _observe(w.p2, w.s2_comp, 2, d(2023, 11, 10))
    _observe(w.p2, w.s2_comp, 1, d(2024, 6, 1))
    _observe(w.p4, w.s2_comp, 0, d(2024, 4, 2))
    _observe(w.p4, w.s2_comp, 1, d(2024, 4, 9))
    _observe(w.p5, w.s2_comp, 2, d(2024, 6, 1))
    _observe(w.p5, w.s2_comp, 1, d(2024, 12, 31))
    _observe(w.p6, w.s2_comp, 0, d(2025, 1, 5))
    _observe(w.p6, w.s2_comp, 3, d(2025, 1, 6))


@pytest.fixture
def world(structure_a, structure_b, counsellor_a, counsellor_b):
    """The world of the module docstring, built in that order (factories draw names from a
    shared random source, so the order fixes who is who)."""
    w = SimpleNamespace(
        structure_a=structure_a,
        structure_b=structure_b,
        counsellor_a=counsellor_a,
        counsellor_b=counsellor_b,
    )
    _staff_places_and_themes(w)
    _people(w)
    _sessions(w)
    _attendances(w)
    _observations(w)
    summary_rebuild()
    return w
