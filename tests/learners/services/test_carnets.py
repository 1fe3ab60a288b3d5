import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from learners.choices import AuditAction
from learners.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_SPACE,
    code_entropy_bits,
    code_format,
    code_generate,
    code_hash,
    code_normalize,
    guess_probability,
)
from learners.models import AuditLog, Carnet, GuideRead
from learners.services import carnet_issue, carnet_mark_guide_read, carnet_open, carnet_revoke
from tests.factories.editorial import guide_create
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


def test_alphabet_has_no_look_alikes():
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 30
    for confusable in "0O1IL":
        assert confusable not in CODE_ALPHABET
    codes = {code_generate() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    # Every symbol is used (draws are uniform over the whole alphabet).
    assert set("".join(codes)) == set(CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7KXQ-2MZ4-TAB8-9WRC", "7KXQ2MZ4TAB89WRC"),
        (" 7kxq 2mz4 tab8 9wrc ", "7KXQ2MZ4TAB89WRC"),
        ("7kx.q2_mz-4tab89wrc", "7KXQ2MZ4TAB89WRC"),
        ("7KXQ2-MZ4TA", "7KXQ2MZ4TA"),  # a legacy card (10 symbols) stays valid
        (" 7kxq2 mz4ta ", "7KXQ2MZ4TA"),
        ("7KXQ2MZ4T", None),  # too short
        ("7KXQ2MZ4TAA", None),  # neither 10 nor 16
        ("7KXQ2MZ4TAB89WRCC", None),  # too long
        ("OKXQ2MZ4TA", None),  # O is not in the alphabet
        ("1KXQ2MZ4TAB89WRC", None),
        ("", None),
        (None, None),
    ],
)
def test_code_normalisation(typed, expected):
    assert code_normalize(typed) == expected


def test_legacy_codes_can_be_turned_off(settings):
    settings.CARNET_ACCEPT_LEGACY_CODES = False
    assert code_normalize("7KXQ2-MZ4TA") is None
    assert code_normalize("7KXQ-2MZ4-TAB8-9WRC") == "7KXQ2MZ4TAB89WRC"


def test_printed_groups():
    assert code_format("7KXQ2MZ4TAB89WRC") == "7KXQ-2MZ4-TAB8-9WRC"
    assert code_format("7KXQ2MZ4TA") == "7KXQ2-MZ4TA"


def test_entropy_arithmetic():
    """30**16 ≈ 4.3e23 codes (78.5 bits). Legacy 10-symbol codes: 30**10 ≈ 5.9e14 (49 bits),
    which would allow fewer than 590 attempts a year for the 1e-6 target at 1,000,000 codes."""
    assert CODE_SPACE == 30**16
    assert 78.5 < code_entropy_bits() < 78.6
    assert 49 < code_entropy_bits(10) < 49.1
    national = guess_probability(attempts_per_day=10_000, active_codes=1_000_000)
    assert national == pytest.approx(10_000 * 365 * 1_000_000 / CODE_SPACE, rel=1e-3)
    legacy = guess_probability(attempts=590, active_codes=1_000_000, code_space=30**10)
    assert legacy == pytest.approx(1e-6, rel=1e-3)
    # Without any limit (one attempt a millisecond), even long codes are not enough a year
    # of an unbounded botnet: the limits matter.
    assert guess_probability(attempts_per_day=8.64e14, active_codes=1_000_000) > 0.01


def test_issue_stores_only_a_keyed_hash(counsellor_a, structure_a):
    learner = LearnerFactory(structure=structure_a)
    code = carnet_issue(user=counsellor_a, learner=learner)
    assert code_normalize(code) == code
    carnet = Carnet.objects.get(learner=learner)
    assert carnet.code_hash == code_hash(code)
    assert len(carnet.code_hash) == 64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM learners_carnet")
        stored = repr(cursor.fetchall())
    assert code not in stored and code_format(code) not in stored
    assert AuditLog.objects.filter(learner=learner, action=AuditAction.CREATE).exists()


def test_hash_depends_on_the_key(settings):
    code = code_generate()
    settings.CARNET_CODE_KEY = "one key"
    first = code_hash(code)
    settings.CARNET_CODE_KEY = "another key"
    assert code_hash(code) != first


def test_open_is_forgiving_and_counts(counsellor_a, structure_a, django_assert_max_num_queries):
    learner = LearnerFactory(structure=structure_a, first_name="Yvette")
    code = carnet_issue(user=counsellor_a, learner=learner)
    typed = " " + code_format(code).lower() + " "
    with django_assert_max_num_queries(5):
        carnet = carnet_open(code=typed)
    assert carnet.learner.first_name == "Yvette"
    assert carnet.open_count == 1
    carnet.refresh_from_db()
    assert carnet.last_opened_at is not None and carnet.open_count == 1
    log = AuditLog.objects.get(learner=learner, action=AuditAction.READ)
    assert (log.user, log.username, log.detail) == (None, "", "carnet ouvert")
    assert carnet_open(code="ABCDE-FGHJK") is None
    assert carnet_open(code="not a code") is None


def test_revoke_and_replace(counsellor_a, counsellor_b, structure_a):
    learner = LearnerFactory(structure=structure_a)
    first = carnet_issue(user=counsellor_a, learner=learner)
    second = carnet_issue(user=counsellor_a, learner=learner)
    assert carnet_open(code=first) is None
    carnet = carnet_open(code=second)
    assert Carnet.objects.filter(learner=learner, revoked_at__isnull=True).count() == 1
    with pytest.raises(PermissionDenied):
        carnet_revoke(user=counsellor_b, carnet=carnet)
    with pytest.raises(PermissionDenied):
        carnet_issue(user=counsellor_b, learner=learner)
    carnet_revoke(user=counsellor_a, carnet=carnet)
    assert carnet_open(code=second) is None


def test_anonymised_person_carnet_does_not_open(counsellor_a, structure_a):
    learner = LearnerFactory(structure=structure_a)
    code = carnet_issue(user=counsellor_a, learner=learner)
    learner.anonymized_at = timezone.now()
    learner.save()
    assert carnet_open(code=code) is None


def test_mark_guide_read_survives_a_new_code(counsellor_a, structure_a):
    learner = LearnerFactory(structure=structure_a)
    guide = guide_create()
    carnet = carnet_open(code=carnet_issue(user=counsellor_a, learner=learner))
    assert carnet_mark_guide_read(carnet=carnet, guide=guide) is True
    assert carnet_mark_guide_read(carnet=carnet, guide=guide) is False
    new_carnet = carnet_open(code=carnet_issue(user=counsellor_a, learner=learner))
    assert list(new_carnet.read_guides.values_list("guide_id", flat=True)) == [guide.pk]
    # A revoked carnet cannot change anything.
    carnet.refresh_from_db()
    assert carnet_mark_guide_read(carnet=carnet, guide=guide, read=False) is False
    assert carnet_mark_guide_read(carnet=new_carnet, guide=guide, read=False) is True
    assert not GuideRead.objects.exists()
