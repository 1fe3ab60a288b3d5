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
        ("7KXQ2-MZ4TA", "7KXQ2MZ4TA"),
        (" 7kxq2 mz4ta ", "7KXQ2MZ4TA"),
        ("7kx.q2_mz-4ta", "7KXQ2MZ4TA"),
        ("7KXQ2MZ4T", None),  # too short
        ("7KXQ2MZ4TAA", None),  # too long
        ("OKXQ2MZ4TA", None),  # O is not in the alphabet
        ("1KXQ2MZ4TA", None),
        ("", None),
        (None, None),
    ],
)
def test_code_normalisation(typed, expected):
    assert code_normalize(typed) == expected


def test_entropy_arithmetic():
    """30**10 ≈ 5.9e14 codes (49 bits). With a global limit of 10,000 attempts a day for a
    year, guessing any active code is improbable at Vendée scale (25,000 people: < 2e-4)
    and stays under 1% at national scale (1,000,000 active codes)."""
    assert CODE_SPACE == 30**10 == 590_490_000_000_000
    assert 49 < code_entropy_bits() < 49.1
    vendee = guess_probability(attempts_per_day=10_000, active_codes=25_000)
    national = guess_probability(attempts_per_day=10_000, active_codes=1_000_000)
    assert vendee == pytest.approx(10_000 * 365 * 25_000 / CODE_SPACE, rel=1e-3)
    assert vendee < 2e-4
    assert national < 0.01
    # Without the global limit (one attempt a millisecond), codes would not hold a year.
    assert guess_probability(attempts_per_day=86_400_000, active_codes=1_000_000) > 0.4


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
