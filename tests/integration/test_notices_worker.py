"""Messages about sign-ups through a real Celery worker and Redis, the SMS written by the
file backend (the issue's check: « get the SMS (file backend) »): the task delivered twice
sends one message per person, SMS to phones and e-mail to the others."""

import datetime
import uuid

import pytest
from django.utils import timezone

from learners.models import JobRun, MessageChannel, MessageSent
from tests.factories.bookings import BookingFactory
from tests.factories.learners import SessionFactory, StructureFactory

from .test_reminders_worker import _mails

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def celery_worker_env(tmp_path):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SMS_BACKEND": "common.sms.backends.filebased.SmsBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "SMS_SENDER": "Clic85",
        "SITE_URL": "https://pasapas.example.org",
    }


def _sms_files(folder):
    if not folder.exists():
        return []
    return sorted(path.read_text(encoding="utf-8") for path in folder.glob("*.txt"))


def test_notices_task_writes_one_sms_per_person(celery_worker_process):
    client, queue, tmp_path = celery_worker_process
    structure = StructureFactory(name="Association Clic Vendée")
    start = timezone.localtime() + datetime.timedelta(days=3)
    session = SessionFactory(structure=structure, title="Créer son adresse e-mail", start=start)
    later = SessionFactory(structure=structure, start=start + datetime.timedelta(days=7))
    group = uuid.uuid4()
    by_sms = BookingFactory(session=session, phone="+33612345678", group=group, token="tokA")
    in_cycle = BookingFactory(session=later, phone="+33612345678", group=group, token="tokB")
    by_mail = BookingFactory(session=session, phone="", email="rose@example.org", token="tokC")
    nobody = BookingFactory(session=session, phone="", email="", token="tokD")
    ids = [by_sms.pk, in_cycle.pk, by_mail.pk, nobody.pk]

    kwargs = {"booking_ids": ids, "kind": "confirmation"}
    client.send_task("learners.booking_notices", kwargs=kwargs, queue=queue)
    client.send_task("learners.booking_notices", kwargs=kwargs, queue=queue)
    # The notices task stores no result (ignore_result: nobody reads it); the solo worker
    # runs its queue in order, so a built-in task's result says both ran.
    after = client.send_task("celery.accumulate", args=[1], queue=queue)
    assert after.get(timeout=60) == [1]

    (text,) = _sms_files(tmp_path / "sms")
    assert "To: +33612345678" in text and "From: Clic85" in text and "Segments: 1" in text
    assert "https://pasapas.example.org/pres-de-chez-vous/inscription/tokA/" in text
    assert "Et 1 autre date." in text
    (mail,) = _mails(tmp_path / "mail")
    assert mail["To"] == "rose@example.org"
    assert "/pres-de-chez-vous/inscription/tokC/" in mail.get_content()
    rows = MessageSent.objects.filter(sent_at__isnull=False)
    assert sorted(rows.values_list("channel", flat=True)) == [
        MessageChannel.EMAIL,
        MessageChannel.SMS,
    ]
    # Runs that succeed leave no job row (each message is recorded in MessageSent).
    assert not JobRun.objects.filter(name="booking_notices").exists()
