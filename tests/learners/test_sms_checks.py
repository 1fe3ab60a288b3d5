"""`check --deploy` refuses SMS backends that reach nobody, and a sender or key the
provider would refuse."""

import pytest
from django.core.checks import run_checks

from learners.checks import sms_reach_people

from .test_checks import _deploy_check


@pytest.mark.parametrize(
    ("backend", "key", "ids"),
    [
        ("common.sms.backends.console.SmsBackend", "", ["learners.E002"]),
        ("common.sms.backends.locmem.SmsBackend", "k", ["learners.E002"]),
        ("common.sms.backends.filebased.SmsBackend", "", ["learners.W002"]),
        ("common.sms.backends.brevo.SmsBackend", "", ["learners.E004"]),
        ("common.sms.backends.brevo.SmsBackend", "xkeysib-1", []),
    ],
)
def test_backends(settings, backend, key, ids):
    settings.SMS_BACKEND = backend
    settings.SMS_API_KEY = key
    assert [problem.id for problem in sms_reach_people()] == ids


@pytest.mark.parametrize(("sender", "ok"), [("PasAPas", True), ("Pas-à-pas 85", False)])
def test_sender(settings, sender, ok):
    settings.SMS_BACKEND = "common.sms.backends.brevo.SmsBackend"
    settings.SMS_API_KEY = "k"
    settings.SMS_SENDER = sender
    assert [p.id for p in sms_reach_people()] == ([] if ok else ["learners.E003"])


def test_it_is_a_deploy_check(settings):
    settings.SMS_BACKEND = "common.sms.backends.locmem.SmsBackend"
    assert "learners.E002" not in [e.id for e in run_checks()]
    assert "learners.E002" in [e.id for e in run_checks(include_deployment_checks=True)]


def test_production_settings_need_an_sms_provider():
    """What .ci/run runs: without an SMS provider, then with one (nothing is sent)."""
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    without = _deploy_check(**redis)
    assert without.returncode != 0
    assert "learners.E002" in without.stderr + without.stdout
    with_provider = _deploy_check(
        **redis, SMS_BACKEND="common.sms.backends.brevo.SmsBackend", SMS_API_KEY="ci-check-only"
    )
    assert with_provider.returncode == 0, with_provider.stderr + with_provider.stdout
