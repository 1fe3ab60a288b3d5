"""The counsellors' weekly digest: content, once per ISO week, who receives it."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from learners.choices import AttendanceStatus
from learners.models import DigestSent, Observation
from learners.services.digests import weekly_digests_send
from learners.services.progress import summary_rebuild
from learners.tasks import weekly_digest_send_task
from tests.factories.learners import (
    AttendanceFactory,
    CounsellorFactory,
    LearnerFactory,
    SessionFactory,
    UserFactory,
    at,
    level,
)
from tests.factories.workshops import competence

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 16)


@pytest.fixture
def week(structure_a, counsellor_a, counsellor_b):
    mine = counsellor_a.counsellor
    atelier = SessionFactory(
        structure=structure_a,
        title="Se protéger des arnaques",
        start=at(MONDAY + datetime.timedelta(days=2), 14),
        capacity=8,
    )
    atelier.counsellors.set([mine])
    people = [LearnerFactory(structure=structure_a, first_name=f"Prénom{i}") for i in range(4)]
    for person in people[:3]:
        AttendanceFactory(session=atelier, learner=person, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=atelier, learner=people[3], status=AttendanceStatus.WAITING)
    drop_in = SessionFactory(structure=structure_a, start=at(MONDAY + datetime.timedelta(days=4)))
    drop_in.counsellors.set([mine])
    # Not in the digest: next week, and a colleague's session.
    later = SessionFactory(structure=structure_a, start=at(MONDAY + datetime.timedelta(days=8)))
    later.counsellors.set([mine])
    colleague = SessionFactory(
        structure=structure_a, title="Séance d'un collègue", start=at(MONDAY)
    )
    colleague.counsellors.set([CounsellorFactory(structure=structure_a)])
    # One person stuck: three observations at the same level, recently.
    comp = competence("S1.1")
    for days in (40, 20, 5):
        Observation.objects.create(
            learner=people[0],
            competence=comp,
            level=level("socle", 1),
            observed_on=MONDAY - datetime.timedelta(days=days),
            structure=structure_a,  # recorded by A: A's digest may count it
        )
    summary_rebuild()
    return people


def test_content(week, counsellor_a):
    result = weekly_digests_send(today=MONDAY)
    to_a = [m for m in mail.outbox if m.to == [counsellor_a.email]]
    assert len(to_a) == 1
    message = to_a[0]
    assert message.subject == "Votre semaine du lundi 16 mars 2026"
    body = message.body
    assert "du lundi 16 mars 2026 au dimanche 22 mars 2026" in body
    assert "mercredi 18 mars 2026 à 14 h : Se protéger des arnaques" in body
    assert "5 places libres (3 inscrites), 1 en liste d'attente" in body
    assert "vendredi 20 mars 2026" in body
    assert "Séance d'un collègue" not in body
    assert "mardi 24 mars" not in body
    assert "1 personne bloquée sur une compétence" in body
    assert "http://127.0.0.1:8000/admin/" in body
    # No name of a person accompanied travels by e-mail.
    for person in week:
        assert person.first_name not in body
        assert person.last_name not in body
    assert result.sent >= 1


def test_once_per_iso_week(week, counsellor_a, counsellor_b):
    weekly_digest_send_task.delay(today=MONDAY.isoformat())
    weekly_digest_send_task.delay(today=(MONDAY + datetime.timedelta(days=3)).isoformat())
    call_command("send_weekly_digest", "--today", MONDAY.isoformat())
    recipients = [m.to[0] for m in mail.outbox]
    # counsellor_a, counsellor_b and the colleague of the fixture: one digest each.
    assert len(recipients) == len(set(recipients)) == 3
    assert {counsellor_a.email, counsellor_b.email} < set(recipients)
    assert DigestSent.objects.count() == 3
    weekly_digests_send(today=MONDAY + datetime.timedelta(days=7))
    assert len(mail.outbox) == 6


def test_who_receives_it(structure_a, counsellor_a, partner_editor, coordinator):
    no_email = CounsellorFactory(structure=structure_a, user=UserFactory(email=""))
    inactive = CounsellorFactory(structure=structure_a, user=UserFactory(is_active=False))
    out_of_group = CounsellorFactory(structure=structure_a, in_group=False)
    weekly_digests_send(today=MONDAY)
    assert [m.to for m in mail.outbox] == [[counsellor_a.email]]
    for counsellor in (no_email, inactive, out_of_group):
        assert not DigestSent.objects.filter(counsellor=counsellor).exists()


def test_empty_week_still_says_so(counsellor_a):
    weekly_digests_send(today=MONDAY)
    (message,) = mail.outbox
    assert "Aucune séance prévue à votre nom cette semaine." in message.body
    assert "0 personne bloquée" in message.body
