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


@pytest.fixture
def world(structure_a, structure_b, counsellor_a, counsellor_b):
    c1 = CommuneFactory(insee_code="T8501", name="Landeronde")
    c2 = CommuneFactory(insee_code="T8502", name="Aizenay")
    ca = counsellor_a.counsellor
    cb = counsellor_b.counsellor
    ca2 = CounsellorFactory(structure=structure_a)
    manager = CounsellorFactory(structure=structure_a, is_structure_manager=True)
    va = VenueFactory(structure=structure_a, commune=c1, name="Mairie de Landeronde")
    vb = VenueFactory(structure=structure_b, commune=c2, name="Médiathèque d'Aizenay")
    atelier_x = AtelierPageFactory(title="Se protéger des arnaques")
    email, security, papers = (
        theme("e-mail"),
        theme("securite-numerique"),
        theme("demarches-papiers"),
    )

    def person(birth_year, commune, gender, social, structure=structure_a):
        return LearnerFactory(
            birth_year=birth_year,
            commune=commune,
            gender=gender,
            social_status=social,
            structure=structure,
        )

    p1 = person(2007, c1, Gender.FEMALE, SocialStatus.STUDENT)
    p2 = person(1950, c2, Gender.MALE, SocialStatus.RETIRED)
    p3 = person(1990, c1, Gender.MALE, SocialStatus.EMPLOYED)
    p4 = person(None, None, Gender.UNKNOWN, SocialStatus.UNKNOWN, structure=structure_b)
    p5 = person(1984, c1, Gender.FEMALE, SocialStatus.EMPLOYED)
    p6 = person(2000, c2, Gender.MALE, SocialStatus.EMPLOYED)

    d = datetime.date
    s0 = _session(d(2023, 11, 10), structure=structure_a, counsellors=[ca], venue=va)
    s1 = _session(d(2024, 3, 10), structure=structure_a, counsellors=[ca], venue=va)
    s1.themes.set([email])
    s2 = _session(
        d(2024, 4, 2),
        structure=structure_b,
        counsellors=[cb],
        venue=vb,
        kind=SessionKind.WORKSHOP,
        atelier=atelier_x,
        duration_minutes=120,
    )
    s2.themes.set([security])
    s3 = _session(
        d(2024, 4, 9),
        structure=structure_b,
        counsellors=[cb],
        venue=vb,
        kind=SessionKind.WORKSHOP,
        atelier=atelier_x,
        duration_minutes=120,
    )
    s4 = _session(
        d(2024, 12, 31),
        hour=23,
        minute=30,
        structure=structure_a,
        counsellors=[ca2],
        kind=SessionKind.DISCUSSION,
        duration_minutes=30,
    )
    s4.themes.set([papers])
    s5 = _session(
        d(2025, 1, 5),
        structure=structure_a,
        counsellors=[ca],
        venue=va,
        kind=SessionKind.INDIVIDUAL,
    )
    s6 = _session(
        d(2024, 6, 1),
        structure=structure_a,
        counsellors=[ca, ca2],
        venue=va,
        kind=SessionKind.WORKSHOP,
        duration_minutes=90,
    )
    _present(s0, p2)
    _present(s1, p1, p2)
    _present(s1, p3, status=AttendanceStatus.ABSENT)
    _present(s2, p1, p4)
    AnonymousParticipants.objects.create(session=s2, age_band="70_plus", gender="feminin", count=3)
    _present(s3, p1)
    _present(s4, p5)
    _present(s5, p6)
    _present(s6, p2, p5)

    s1_comp, s2_comp = competence("S1.1"), competence("S1.2")

    def observe(who, comp, rank, day):
        Observation.objects.create(
            learner=who, competence=comp, level=level("socle", rank), observed_on=day
        )

    observe(p1, s1_comp, 1, d(2023, 12, 1))
    observe(p1, s1_comp, 1, d(2024, 3, 10))
    observe(p1, s1_comp, 3, d(2024, 4, 9))
    observe(p2, s1_comp, 0, d(2024, 3, 10))
    observe(p2, s1_comp, 0, d(2024, 6, 1))
    observe(p2, s2_comp, 2, d(2023, 11, 10))
    observe(p2, s2_comp, 1, d(2024, 6, 1))
    observe(p4, s2_comp, 0, d(2024, 4, 2))
    observe(p4, s2_comp, 1, d(2024, 4, 9))
    observe(p5, s2_comp, 2, d(2024, 6, 1))
    observe(p5, s2_comp, 1, d(2024, 12, 31))
    observe(p6, s2_comp, 0, d(2025, 1, 5))
    observe(p6, s2_comp, 3, d(2025, 1, 6))
    summary_rebuild()

    return SimpleNamespace(**locals())
