"""Sign-ups and appointment requests in the data export: the person's export (sign-ups
linked to them) and the export by contact (sign-ups and requests linked to no one)."""

import pytest
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import LearnerStructure, SharingConsent
from learners.models.sharing import ConsentMethod
from learners.selectors.bookings_privacy import contact_data_export, contact_parse
from learners.selectors.privacy import learner_data_export
from learners.services.bookings_audit import session_bookings_read_log
from tests.factories.agenda_privacy import AppointmentRequestFactory, message_sent
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(world):
    va, vb = world.venues
    return (
        SessionFactory(structure=va.structure, venue=va),
        SessionFactory(structure=vb.structure, venue=vb),
    )


def test_person_export_lists_their_sign_ups(world, sessions, coordinator):
    josiane = world.people[0]
    booking = BookingFactory(
        session=sessions[0], learner=josiane, phone="+33612345678", email="j@example.org"
    )
    message_sent(booking)
    BookingFactory(session=sessions[1], learner=josiane)
    BookingFactory(session=sessions[0], first_name="Marcel")  # someone else

    data = learner_data_export(user=coordinator, learner_id=josiane.pk)

    items = data["inscriptions_en_ligne"]
    assert len(items) == 2
    first = next(i for i in items if i["structure"] == sessions[0].structure.name)
    assert (first["prenom"], first["telephone"], first["courriel"]) == (
        "Josiane",
        "+33612345678",
        "j@example.org",
    )
    assert first["statut"] == "Inscription confirmée"
    assert first["messages_envoyes"] == [
        {"message": "Confirmation d'inscription", "canal": "SMS", "envoye_le": None}
    ]


def test_counsellor_export_scoped_to_their_structure(world, sessions, counsellor_b, counsellor_a):
    josiane = world.people[0]  # followed by A (created) and B (came to its session)
    LearnerStructure.objects.get_or_create(learner=josiane, structure=sessions[1].structure)
    BookingFactory(session=sessions[0], learner=josiane)
    BookingFactory(session=sessions[1], learner=josiane)

    items = learner_data_export(user=counsellor_b, learner_id=josiane.pk)["inscriptions_en_ligne"]
    assert [i["structure"] for i in items] == [sessions[1].structure.name]

    # With Josiane's consent, structure B reads her whole record, sign-ups included.
    SharingConsent.objects.create(
        learner=josiane,
        structure=sessions[1].structure,
        method=ConsentMethod.values[0],
        given_at=timezone.now(),
    )
    items = learner_data_export(user=counsellor_b, learner_id=josiane.pk)["inscriptions_en_ligne"]
    assert len(items) == 2


def test_export_by_contact(world, sessions, coordinator, counsellor_a):
    mine = BookingFactory(session=sessions[0], phone="+33611111111", first_name="Ginette")
    elsewhere = BookingFactory(session=sessions[1], phone="", email="ginette@example.org")
    BookingFactory(
        session=SessionFactory(structure=sessions[0].structure),
        phone="+33611111111",
        learner=world.people[1],
    )
    BookingFactory(session=sessions[0], phone="+33622222222")  # another person
    AppointmentRequestFactory(venue=world.venues[1], email="GINETTE@example.org")
    session_bookings_read_log(user=counsellor_a, bookings=[mine])
    contact = contact_parse(phone="06 11 11 11 11", email="ginette@example.org")

    data = contact_data_export(user=coordinator, contact=contact)

    assert data["recherche"] == {"telephone": "+33611111111", "courriel": "ginette@example.org"}
    assert [i["prenom"] for i in data["inscriptions"]] == ["Ginette", "Josiane"]
    assert data["inscriptions"][1]["courriel"] == elsewhere.email
    assert [r["objet"] for r in data["demandes_de_rendez_vous"]] == ["dossier de retraite"]
    assert data["inscriptions_liees_a_une_fiche"] == 1
    assert data["perimetre"] == "toutes les structures du réseau"
    [entry] = data["journal_des_acces"]
    assert entry["action"] == str(AuditAction.READ.label)
    assert entry["par"] == f"conseiller ou conseillère numérique de {world.venues[0].structure}"

    own = contact_data_export(user=counsellor_a, contact=contact)
    assert [i["prenom"] for i in own["inscriptions"]] == ["Ginette"]
    assert own["demandes_de_rendez_vous"] == []
    assert "la coordination du réseau peut fournir l'export complet" in own["perimetre"]


def test_export_by_contact_query_count_is_constant(
    world, sessions, coordinator, django_assert_max_num_queries
):
    contact = contact_parse(phone="0611111111")
    user_roles_warm = contact_data_export(user=coordinator, contact=contact)
    assert user_roles_warm["inscriptions"] == []
    for session in (
        *sessions,
        *(SessionFactory(structure=sessions[0].structure) for _ in range(5)),
    ):
        message_sent(BookingFactory(session=session, phone="+33611111111"))
        AppointmentRequestFactory(venue=world.venues[0], phone="+33611111111")
    with django_assert_max_num_queries(5):
        data = contact_data_export(user=coordinator, contact=contact)
    assert len(data["inscriptions"]) == 7
    assert len(data["demandes_de_rendez_vous"]) == 7
