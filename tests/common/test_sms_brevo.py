"""The Brevo backend against a local server that checks the documented request."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from common.sms import SmsProviderUnavailable, SmsRecipientRefused, SmsSendError, send_sms
from common.sms.backends.brevo import SmsBackend

from .brevo_server import API_KEY, PATH, fake_brevo


@pytest.fixture
def brevo(settings):
    with fake_brevo() as server:
        settings.SMS_BACKEND = "common.sms.backends.brevo.SmsBackend"
        settings.SMS_API_URL = server.url
        settings.SMS_API_KEY = API_KEY
        settings.SMS_TIMEOUT = 1
        settings.SMS_SENDER = "PasAPas"
        yield server


def test_the_request_is_the_documented_one(brevo):
    billed = send_sms("+33612345678", "Votre séance de mardi est confirmée.")
    assert billed == 1
    assert brevo.problems == []
    (request,) = brevo.requests
    assert request["method"] == "POST" and request["path"] == PATH
    assert request["headers"]["api-key"] == API_KEY
    assert request["headers"]["content-type"] == "application/json"
    assert request["json"] == {
        "sender": "PasAPas",
        "recipient": "33612345678",  # country code and number, no "+"
        "content": "Votre séance de mardi est confirmée.",
        "type": "transactional",
        "tag": "pas-a-pas",
        "unicodeEnabled": False,
    }


def test_unicode_is_asked_for_a_text_outside_the_gsm_alphabet(brevo):
    assert send_sms("+33612345678", "Ça commence à 14 h : " + "ê" * 60) == 2
    assert brevo.requests[0]["json"]["unicodeEnabled"] is True


def test_an_overseas_french_number_keeps_its_country_code(brevo):
    send_sms("+262692123456", "Bonjour")  # La Réunion
    assert brevo.requests[0]["json"]["recipient"] == "262692123456"
    assert brevo.problems == []


def test_wrong_key_is_401_not_retryable(brevo, settings):
    settings.SMS_API_KEY = "wrong"
    with pytest.raises(SmsSendError) as caught:
        send_sms("+33612345678", "Bonjour")
    assert caught.value.status == 401
    assert not caught.value.retryable
    assert not isinstance(caught.value, SmsRecipientRefused)
    assert "unauthorized" in str(caught.value)


def test_invalid_number_is_refused_for_that_recipient(brevo):
    with pytest.raises(SmsRecipientRefused) as caught:
        send_sms("+33700000000", "Bonjour")
    assert caught.value.status == 400 and not caught.value.retryable


def test_server_error_is_retryable(brevo):
    brevo.mode = "server_error"
    with pytest.raises(SmsProviderUnavailable) as caught:
        send_sms("+33612345678", "Bonjour")
    assert caught.value.status == 502 and caught.value.retryable
    # An OSError: the jobs' autoretry on network errors retries it.
    assert isinstance(caught.value, ConnectionError)


def test_a_silent_provider_times_out_and_is_retryable(brevo):
    brevo.mode = "slow"
    started = time.monotonic()
    with pytest.raises(SmsProviderUnavailable, match="in time") as caught:
        send_sms("+33612345678", "Bonjour")
    assert caught.value.retryable
    assert time.monotonic() - started < brevo.slow_seconds  # gave up at SMS_TIMEOUT


def test_nobody_listening_is_retryable(settings):
    with fake_brevo() as server:
        url = server.url
    settings.SMS_BACKEND = "common.sms.backends.brevo.SmsBackend"
    settings.SMS_API_URL = url
    settings.SMS_API_KEY = API_KEY
    with pytest.raises(SmsProviderUnavailable, match="reached") as caught:
        send_sms("+33612345678", "Bonjour")
    assert caught.value.retryable


def test_the_sms_count_of_the_former_endpoint_is_used_when_given():
    from common.sms import SmsMessage

    message = SmsMessage(to="+33612345678", body="Bonjour", sender="PasAPas")
    assert SmsBackend._billed(b'{"messageId": 1, "smsCount": 3}', message) == 3
    assert SmsBackend._billed(b'{"messageId": 1}', message) == 1


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"api_key": ""}, "SMS_API_KEY"),
        ({"api_key": "k", "api_url": "http://api.example.org/v3/x"}, "https"),
    ],
)
def test_configuration_is_checked(settings, options, error):
    settings.SMS_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match=error):
        SmsBackend(**options)
