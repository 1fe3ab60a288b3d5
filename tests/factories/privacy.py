"""A small network for the privacy and jobs tests: people with every
statistical attribute, sessions in 2024 across two structures, attendance, observations,
carnets and guides read. Everyone's last activity is in 2024, so a retention run "today"
in 2026 anonymises them all."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from learners.choices import AttendanceStatus, Gender, SessionKind, SocialStatus
from learners.codes import code_generate, code_hash
from learners.models import Carnet, Observation
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
from tests.factories.workshops import competence

OLD_ACTIVITY = timezone.make_aware(datetime.datetime(2024, 12, 20, 12, 0))


def privacy_world(*, structure_a, structure_b) -> SimpleNamespace:
    c1 = CommuneFactory(insee_code="T8591", name="Le Poiré-sur-Vie")
    c2 = CommuneFactory(insee_code="T8592", name="Belleville-sur-Vie")
    ca = CounsellorFactory(structure=structure_a)
    cb = CounsellorFactory(structure=structure_b)
    va = VenueFactory(structure=structure_a, commune=c1, name="Espace numérique du Poiré")
    vb = VenueFactory(structure=structure_b, commune=c2, name="Médiathèque de Belleville")

    def person(first, last, birth_year, commune, gender, social, structure, **extra):
        return LearnerFactory(
            first_name=first,
            last_name=last,
            birth_year=birth_year,
            commune=commune,
            gender=gender,
            social_status=social,
            structure=structure,
            last_activity_at=OLD_ACTIVITY,
            **extra,
        )

    consent = {
        "contact_consent": True,
        "contact_consent_at": OLD_ACTIVITY,
        "phone": "06 12 34 56 78",
        "email": "josiane.mercier@example.org",
    }
    people = [
        person(
            "Josiane",
            "Mercier",
            1948,
            c1,
            Gender.FEMALE,
            SocialStatus.RETIRED,
            structure_a,
            notes="Préfère le matin.",
            external_id="SUIVI-12",
            **consent,
        ),
        person("Marcel", "Guérin", 1952, c1, Gender.MALE, SocialStatus.RETIRED, structure_a),
        person("Inès", "Boucher", 2006, c2, Gender.FEMALE, SocialStatus.STUDENT, structure_b),
        person("Karim", "Benali", 1979, c2, Gender.MALE, SocialStatus.UNEMPLOYED, structure_b),
        person("Lucie", "", None, None, Gender.UNKNOWN, SocialStatus.UNKNOWN, structure_a),
        person("Paul", "Renaud", 1990, c1, Gender.MALE, SocialStatus.EMPLOYED, structure_b),
    ]
    d = datetime.date
    sessions = [
        SessionFactory(start=at(d(2024, 3, 4)), structure=structure_a, venue=va),
        SessionFactory(
            start=at(d(2024, 5, 13), 14),
            structure=structure_a,
            venue=va,
            kind=SessionKind.WORKSHOP,
            duration_minutes=120,
        ),
        SessionFactory(start=at(d(2024, 9, 2)), structure=structure_b, venue=vb),
        SessionFactory(
            start=at(d(2024, 11, 25), 9),
            structure=structure_b,
            venue=vb,
            kind=SessionKind.WORKSHOP,
            duration_minutes=90,
        ),
    ]
    sessions[0].counsellors.set([ca])
    sessions[1].counsellors.set([ca])
    sessions[2].counsellors.set([cb])
    sessions[3].counsellors.set([cb])
    presence = {
        0: [0, 1, 4],
        1: [0, 1, 5],
        2: [2, 3, 0],
        3: [2, 3, 5],
    }
    for s_index, p_indexes in presence.items():
        for p_index in p_indexes:
            AttendanceFactory(
                session=sessions[s_index],
                learner=people[p_index],
                status=AttendanceStatus.PRESENT,
            )
    AttendanceFactory(session=sessions[0], learner=people[2], status=AttendanceStatus.ABSENT)
    comp = competence("S1.1")
    for p_index, ranks in {0: (0, 1, 2), 1: (1, 1), 2: (0, 2), 3: (1,)}.items():
        for offset, rank in enumerate(ranks):
            Observation.objects.create(
                learner=people[p_index],
                competence=comp,
                level=level("socle", rank),
                observed_on=d(2024, 3 + 3 * offset, 4),
            )
    summary_rebuild()
    Carnet.objects.create(learner=people[0], code_hash=code_hash(code_generate()))
    return SimpleNamespace(
        communes=(c1, c2),
        counsellors=(ca, cb),
        venues=(va, vb),
        people=people,
        sessions=sessions,
        competence=comp,
    )
