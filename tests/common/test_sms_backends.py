"""send_sms and its console, file and in-memory backends."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from common import sms
from common.sms import SmsMessage, get_backend, send_sms
from common.sms.backends.console import SmsBackend as ConsoleBackend


def test_locmem_keeps_the_message_and_returns_the_sms_billed(settings):
    settings.SMS_SENDER = "MairieXYZ"
    assert send_sms("+33612345678", "a" * 200) == 2
    (message,) = sms.outbox
    assert (message.to, message.body, message.sender, message.segments) == (
        "+33612345678",
        "a" * 200,
        "MairieXYZ",
        2,
    )


def test_the_sender_can_be_given_per_message():
    send_sms("+33612345678", "Bonjour", sender="Clic85")
    assert sms.outbox[0].sender == "Clic85"


@pytest.mark.parametrize("number", ["0612345678", "33612345678", "+33 6 12 34 56 78", "+0612"])
def test_a_number_not_in_e164_is_refused_before_any_backend(number):
    with pytest.raises(ValueError, match="E.164"):
        send_sms(number, "Bonjour")
    assert sms.outbox == []


@pytest.mark.parametrize("sender", ["PasAPasVendee", "1Mairie", "ab", "Pas-à-pas"])
def test_a_sender_the_operators_would_refuse_is_a_configuration_error(settings, sender):
    settings.SMS_SENDER = sender
    with pytest.raises(ImproperlyConfigured):
        send_sms("+33612345678", "Bonjour")


def test_an_unknown_backend_is_a_configuration_error(settings):
    settings.SMS_BACKEND = "common.sms.backends.nowhere.SmsBackend"
    with pytest.raises(ImproperlyConfigured, match="nowhere"):
        send_sms("+33612345678", "Bonjour")


def test_console_prints_a_readable_message():
    stream = io.StringIO()
    billed = ConsoleBackend(stream=stream).send(
        SmsMessage(to="+33612345678", body="Votre séance est confirmée.", sender="PasAPas")
    )
    assert billed == 1
    text = stream.getvalue()
    assert "To: +33612345678" in text and "From: PasAPas" in text
    assert "Segments: 1" in text and "Votre séance est confirmée." in text


def test_console_is_the_base_default(settings):
    from config.settings import base

    assert base.SMS_BACKEND == "common.sms.backends.console.SmsBackend"


def test_file_backend_writes_one_readable_file_per_message(settings, tmp_path):
    settings.SMS_BACKEND = "common.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    send_sms("+33612345678", "Première : séance confirmée.")
    send_sms("+33698765432", "Deuxième")
    files = sorted((tmp_path / "sms").iterdir())
    assert len(files) == 2
    texts = sorted(path.read_text(encoding="utf-8") for path in files)
    assert all(path.suffix == ".txt" for path in files)
    assert "To: +33612345678" in texts[0] and "Première : séance confirmée." in texts[0]
    assert "To: +33698765432" in texts[1] and texts[1].rstrip().endswith("Deuxième")


def test_file_backend_needs_a_folder(settings):
    settings.SMS_FILE_PATH = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_FILE_PATH"):
        get_backend("common.sms.backends.filebased.SmsBackend")
