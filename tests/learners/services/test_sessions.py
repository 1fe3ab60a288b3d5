import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learners.choices import AttendanceStatus, PlaceType, SessionKind
from learners.models import AuditLog, LearnerStructure
from learners.services import (
    attendance_register,
    session_anonymous_participants_set,
    session_create,
    session_update,
)
from tests.factories.editorial import atelier_create
from tests.factories.learners import LearnerFactory, SessionFactory, VenueFactory, at
from workshops.choices import WorkshopLevel
from workshops.models import Theme

pytestmark = pytest.mark.django_db


def test_session_from_atelier_prefills_duration_level_themes_competences(
    counsellor_a, structure_a, socle
):
    atelier = atelier_create(title="Créer son adresse e-mail", competences=socle[:2])
    atelier.duration_minutes = 120
    atelier.level = WorkshopLevel.INTERMEDIATE
    atelier.group_size_max = 6
    atelier.themes.set(Theme.objects.all()[:2])
    atelier.save()
    venue = VenueFactory(structure=structure_a)
    start = at(timezone.localdate() + datetime.timedelta(days=3), 14)

    session = session_create(user=counsellor_a, atelier=atelier, start=start, venue=venue)

    assert session.kind == SessionKind.WORKSHOP
    assert session.title == "Créer son adresse e-mail"
    assert session.duration_minutes == 120
    assert session.level == WorkshopLevel.INTERMEDIATE
    assert session.capacity == 6
    assert set(session.competences.all()) == set(socle[:2])
    assert set(session.themes.all()) == set(Theme.objects.all()[:2])
    assert session.structure == structure_a
    assert list(session.counsellors.all()) == [counsellor_a.counsellor]
    assert session.is_custom_duration is False


def test_explicit_values_win_over_the_atelier(counsellor_a, socle):
    atelier = atelier_create(competences=socle[:2])
    session = session_create(
        user=counsellor_a,
        atelier=atelier,
        start=at(timezone.localdate()),
        place_type=PlaceType.REMOTE,
        duration_minutes=75,
        competences=socle[2:3],
        capacity=None,
    )
    assert session.duration_minutes == 75
    assert session.is_custom_duration
    assert list(session.competences.all()) == socle[2:3]


def test_session_place_rules_in_french(counsellor_a, structure_a):
    with pytest.raises(ValidationError) as error:
        session_create(user=counsellor_a, kind=SessionKind.DROP_IN, start=timezone.now())
    assert "Choisissez le lieu" in error.value.message_dict["venue"][0]
    session = session_create(
        user=counsellor_a, kind=SessionKind.INDIVIDUAL, start=timezone.now(), place_type="domicile"
    )
    assert session.venue is None


def test_session_scoping(counsellor_a, counsellor_b, structure_b, partner_editor):
    with pytest.raises(PermissionDenied):
        session_create(
            user=counsellor_a,
            kind=SessionKind.DROP_IN,
            start=timezone.now(),
            structure=structure_b,
            place_type="distance",
        )
    with pytest.raises(PermissionDenied):
        session_create(
            user=partner_editor, kind=SessionKind.DROP_IN, start=timezone.now(), place_type="autre"
        )
    session = SessionFactory(structure=structure_b)
    with pytest.raises(PermissionDenied):
        session_update(user=counsellor_a, session=session, data={"title": "X"})
    session_update(user=counsellor_b, session=session, data={"title": " Nouvel intitulé "})
    session.refresh_from_db()
    assert session.title == "Nouvel intitulé"


def test_capacity_refusal_has_a_clear_french_message(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=2)
    first, second, third = LearnerFactory.create_batch(3, structure=structure_a)
    attendance_register(user=counsellor_a, session=session, learner=first)
    attendance_register(user=counsellor_a, session=session, learner=second)
    with pytest.raises(ValidationError) as error:
        attendance_register(user=counsellor_a, session=session, learner=third)
    message = error.value.messages[0]
    assert message.startswith("Cette séance est complète : ses 2 places sont déjà prises.")
    assert "liste d'attente" in message
    assert session.attendances.count() == 2

    waiting = attendance_register(user=counsellor_a, session=session, learner=third, waitlist=True)
    assert waiting.status == AttendanceStatus.WAITING
    # Registering again is idempotent.
    again = attendance_register(user=counsellor_a, session=session, learner=first)
    assert again.status == AttendanceStatus.REGISTERED
    assert session.attendances.count() == 3

    # A place frees up: the waiting person can be moved up.
    session.attendances.filter(learner=first).update(status=AttendanceStatus.EXCUSED)
    moved = attendance_register(user=counsellor_a, session=session, learner=third)
    assert moved.status == AttendanceStatus.REGISTERED


def test_single_place_message(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=1)
    one, two = LearnerFactory.create_batch(2, structure=structure_a)
    attendance_register(user=counsellor_a, session=session, learner=one)
    with pytest.raises(ValidationError) as error:
        attendance_register(user=counsellor_a, session=session, learner=two)
    assert "sa 1 place est déjà prise" in error.value.messages[0]


def test_register_links_and_audits(coordinator, structure_a, structure_b):
    session = SessionFactory(structure=structure_b)
    learner = LearnerFactory(structure=structure_a)
    attendance_register(user=coordinator, session=session, learner=learner)
    assert LearnerStructure.objects.filter(learner=learner, structure=structure_b).exists()
    assert AuditLog.objects.filter(learner=learner, detail__contains=str(session.pk)).exists()


def test_register_refuses_out_of_scope(counsellor_a, structure_a, structure_b):
    own_session = SessionFactory(structure=structure_a)
    other_person = LearnerFactory(structure=structure_b)
    with pytest.raises(PermissionDenied):
        attendance_register(user=counsellor_a, session=own_session, learner=other_person)
    other_session = SessionFactory(structure=structure_b)
    with pytest.raises(PermissionDenied):
        attendance_register(
            user=counsellor_a, session=other_session, learner=LearnerFactory(structure=structure_a)
        )


def test_capacity_cannot_drop_below_registrations(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=5)
    for learner in LearnerFactory.create_batch(3, structure=structure_a):
        attendance_register(user=counsellor_a, session=session, learner=learner)
    with pytest.raises(ValidationError) as error:
        session_update(user=counsellor_a, session=session, data={"capacity": 2})
    assert "3 personnes sont déjà inscrites" in error.value.message_dict["capacity"][0]


def test_anonymous_participants_are_replaced(counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, kind=SessionKind.WORKSHOP)
    session_anonymous_participants_set(
        user=counsellor_a,
        session=session,
        counts={("70_plus", "feminin"): 3, ("25_39", "masculin"): 1},
    )
    session_anonymous_participants_set(
        user=counsellor_a, session=session, counts={("70_plus", "feminin"): 2}
    )
    assert [(a.age_band, a.count) for a in session.anonymous_participants.all()] == [("70_plus", 2)]
    with pytest.raises(ValidationError):
        session_anonymous_participants_set(
            user=counsellor_a, session=session, counts={("99_plus", "feminin"): 1}
        )
