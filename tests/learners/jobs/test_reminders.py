"""Reminders the day before a session: who gets one, what it says, and only once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from learners.choices import AttendanceStatus, PlaceType
from learners.models import JobRun, JobStatus, ReminderSent
from learners.services.privacy import learner_anonymize
from learners.services.reminders import reminders_send
from learners.tasks import reminders_send_task
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
)

from .smtp import closed_port, smtp_server, use_smtp

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)  # a Monday
UTC = datetime.UTC


def consenting(structure, first_name, email):
    return LearnerFactory(
        structure=structure,
        first_name=first_name,
        contact_consent=True,
        contact_consent_at=timezone.now(),
        email=email,
    )


@pytest.fixture
def tomorrow(structure_a):
    commune = CommuneFactory(name="La Roche-sur-Yon", postal_codes="85000")
    venue = VenueFactory(
        structure=structure_a,
        commune=commune,
        name="Médiathèque Benjamin-Rabier",
        address="Esplanade Jeannie-Mazurelle",
        postal_code="85000",
        phone="02 51 00 00 00",
        email="mediatheque@example.org",
    )
    # 13:30 UTC is 14:30 in Paris in March (UTC+1).
    session = SessionFactory(
        structure=structure_a,
        venue=venue,
        title="Créer son adresse e-mail",
        start=datetime.datetime(2026, 3, 17, 13, 30, tzinfo=UTC),
        duration_minutes=90,
    )
    return session


def register(session, learner, status=AttendanceStatus.REGISTERED):
    return AttendanceFactory(session=session, learner=learner, status=status)


def test_only_registered_consenting_people_with_an_email(structure_a, tomorrow):
    anne = consenting(structure_a, "Anne", "anne@example.org")
    register(tomorrow, anne)
    no_email = consenting(structure_a, "Bernard", "")
    register(tomorrow, no_email)
    register(tomorrow, LearnerFactory(structure=structure_a, first_name="Chantal"))
    waiting = consenting(structure_a, "Denis", "denis@example.org")
    register(tomorrow, waiting, status=AttendanceStatus.WAITING)
    excused = consenting(structure_a, "Élise", "elise@example.org")
    register(tomorrow, excused, status=AttendanceStatus.EXCUSED)
    gone = consenting(structure_a, "Fanny", "fanny@example.org")
    register(tomorrow, gone)
    learner_anonymize(learner=gone)
    # Sessions today and the day after tomorrow are not "tomorrow".
    for start in (
        datetime.datetime(2026, 3, 16, 15, 0, tzinfo=UTC),
        datetime.datetime(2026, 3, 17, 23, 30, tzinfo=UTC),  # 00:30 on the 18th in Paris
    ):
        other = SessionFactory(structure=structure_a, start=start)
        register(other, consenting(structure_a, "Gaston", "gaston@example.org"))

    result = reminders_send(today=TODAY)
    assert result.sent == 1
    assert [m.to for m in mail.outbox] == [["anne@example.org"]]


def test_french_text_with_time_venue_and_how_to_cancel(structure_a, tomorrow):
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    reminders_send(today=TODAY)
    (message,) = mail.outbox
    assert message.subject == "Rappel : Créer son adresse e-mail demain à 14 h 30"
    body = message.body
    assert body.startswith("Bonjour Anne,")
    assert "Le mardi 17 mars 2026 à 14 h 30 (durée : 1 h 30)" in body
    assert "Médiathèque Benjamin-Rabier" in body
    assert "Esplanade Jeannie-Mazurelle" in body
    assert "85000 La Roche-sur-Yon" in body
    assert "Vous ne pouvez pas venir ? Prévenez-nous pour libérer votre place" in body
    assert f"Contact : {structure_a.name}" in body
    assert "Téléphone : 02 51 00 00 00" in body
    assert message.reply_to == ["mediatheque@example.org"]
    assert "&#x27;" not in body and "&amp;" not in body  # plain text, not HTML-escaped


@pytest.mark.parametrize(
    ("place_type", "expected"),
    [
        (PlaceType.REMOTE, "À distance : votre conseiller ou conseillère vous dira"),
        (PlaceType.HOME, "À domicile"),
    ],
)
def test_remote_and_home_sessions(structure_a, place_type, expected):
    session = SessionFactory(
        structure=structure_a,
        place_type=place_type,
        venue=None,
        start=datetime.datetime(2026, 3, 17, 8, 0, tzinfo=UTC),
    )
    register(session, consenting(structure_a, "Anne", "anne@example.org"))
    reminders_send(today=TODAY)
    (message,) = mail.outbox
    assert expected in message.body
    assert "à 9 h" in message.body
    assert message.reply_to == []


def test_sent_once_when_the_task_runs_twice(structure_a, tomorrow):
    people = [consenting(structure_a, f"P{i}", f"p{i}@example.org") for i in range(3)]
    for person in people:
        register(tomorrow, person)
    first = reminders_send_task.delay(today=TODAY.isoformat()).get()
    second = reminders_send_task.apply(kwargs={"today": TODAY.isoformat()}).get()
    call_command("send_reminders", "--today", TODAY.isoformat())
    assert first["sent"] == 3 and second["sent"] == 0 and second["skipped"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 3
    runs = list(JobRun.objects.filter(name="reminders").order_by("id"))
    assert [r.status for r in runs] == [JobStatus.OK] * 3
    assert runs[0].summary == "3 envoyés, 0 déjà envoyé"
    assert runs[1].summary == "0 envoyé, 3 déjà envoyés"
    assert runs[2].origin == "commande"


def test_a_moved_session_gets_a_new_reminder(structure_a, tomorrow):
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    reminders_send(today=TODAY)
    tomorrow.start += datetime.timedelta(days=1)
    tomorrow.save()
    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert "mercredi 18 mars 2026" in mail.outbox[1].body


def test_unreachable_mail_server_sends_nothing_and_the_retry_sends(structure_a, tomorrow, settings):
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    use_smtp(settings, closed_port())
    with pytest.raises(ConnectionRefusedError):
        reminders_send(today=TODAY)
    assert not ReminderSent.objects.exists()
    with smtp_server() as server:
        use_smtp(settings, server.server_address[1])
        assert reminders_send(today=TODAY).sent == 1
    ((recipients, message),) = server.messages
    assert recipients == ["anne@example.org"]
    assert message["Subject"]


def test_server_lost_mid_batch_then_the_retry_sends_only_the_rest(structure_a, tomorrow, settings):
    import smtplib

    people = [consenting(structure_a, f"P{i}", f"p{i}@example.org") for i in range(3)]
    for person in people:
        register(tomorrow, person)
    with smtp_server(drop_after=2) as server:
        use_smtp(settings, server.server_address[1])
        with pytest.raises(smtplib.SMTPServerDisconnected):
            reminders_send(today=TODAY)
    assert len(server.messages) == 2
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 2
    assert ReminderSent.objects.count() == 2  # the failed one was released
    with smtp_server() as retry_server:
        use_smtp(settings, retry_server.server_address[1])
        result = reminders_send(today=TODAY)
    assert (result.sent, result.skipped) == (1, 2)
    delivered = [
        r for recipients, _m in server.messages + retry_server.messages for r in recipients
    ]
    assert sorted(delivered) == sorted(p.email for p in people)


def test_refused_address_does_not_block_the_others(structure_a, tomorrow, settings):
    register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    register(tomorrow, consenting(structure_a, "Basile", "inconnu@example.org"))
    with smtp_server(refused={"inconnu@example.org"}) as server:
        use_smtp(settings, server.server_address[1])
        result = reminders_send(today=TODAY)
    assert (result.sent, result.refused) == (1, 1)
    assert [recipients for recipients, _m in server.messages] == [["anne@example.org"]]
    assert "1 adresse refusée" in result.summary
    assert ReminderSent.objects.count() == 1


def test_crash_window_is_at_most_once(structure_a, tomorrow):
    """A claim left without `sent_at` (worker lost mid-send) is not sent again: counted."""
    attendance = register(tomorrow, consenting(structure_a, "Anne", "anne@example.org"))
    ReminderSent.objects.create(attendance=attendance, session_start=tomorrow.start)
    result = reminders_send(today=TODAY)
    assert mail.outbox == []
    assert result.unconfirmed == 1
    assert "1 envoi non confirmé" in result.summary


def test_a_spent_time_budget_leaves_the_rest_to_follow_up_tasks(structure_a, tomorrow, settings):
    """No task runs longer than its budget (below the broker's visibility timeout): the
    service stops and counts what is left, the task queues a follow-up for the same day,
    and the pieces add up to one reminder per person."""
    people = [consenting(structure_a, f"P{i}", f"p{i}@example.org") for i in range(3)]
    for person in people:
        register(tomorrow, person)
    piece = reminders_send(today=TODAY, budget=0)  # at least one message per piece
    assert (piece.sent, piece.remaining) == (1, 2)
    assert "2 restants pour la tâche suivante" in piece.summary
    settings.JOBS_SEND_BUDGET_SECONDS = 0
    result = reminders_send_task.delay(today=TODAY.isoformat()).get()
    assert (result["sent"], result["remaining"]) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    runs = JobRun.objects.filter(name="reminders")
    assert runs.count() == 2 and {r.status for r in runs} == {JobStatus.OK}


def test_queries_do_not_depend_on_sessions(structure_a, tomorrow, django_assert_max_num_queries):
    for i in range(5):
        register(tomorrow, consenting(structure_a, f"P{i}", f"p{i}@example.org"))
    # Three reads, then per message: the claim (savepoint, insert, release) and sent_at.
    with django_assert_max_num_queries(3 + 5 * 4):
        assert reminders_send(today=TODAY).sent == 5
