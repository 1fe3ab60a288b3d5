"""Which competences a structure's setting makes eligible: a level reached (« acquis » or
« autonome »), a cycle of ateliers attended in full, or either."""

import datetime

import pytest
from django.utils import timezone

from learners.choices import AttendanceStatus, AttestationBasis, AttestationName
from learners.models import SessionSeries
from learners.selectors.attestations import attestation_eligible_competences
from learners.services.attestations import attestation_issue
from tests.factories.learners import AttendanceFactory, SessionFactory
from tests.learners.attestations.conftest import jwt_parts

pytestmark = pytest.mark.django_db


def _codes(user, learner) -> list[str]:
    return [e.competence.code for e in attestation_eligible_competences(user=user, learner=learner)]


@pytest.fixture
def cycle(structure_a, odette, socle):
    """A finished cycle of two sessions on socle[3] and socle[4], Odette present at both."""
    series = SessionSeries.objects.create(structure=structure_a, title="Les mardis du numérique")
    sessions = [
        SessionFactory(
            structure=structure_a,
            series=series,
            competences=[socle[3], socle[4]],
            start=timezone.now() - datetime.timedelta(days=days),
        )
        for days in (14, 7)
    ]
    for session in sessions:
        AttendanceFactory(session=session, learner=odette, status=AttendanceStatus.PRESENT)
    return sessions


def test_level_basis_is_the_default(counsellor_a, odette, socle, structure_a, cycle):
    assert structure_a.attestation_basis == AttestationBasis.LEVEL
    assert _codes(counsellor_a, odette) == [socle[0].code, socle[2].code]


def test_cycle_basis(counsellor_a, odette, socle, structure_a, cycle):
    structure_a.attestation_basis = AttestationBasis.CYCLE
    structure_a.save()
    assert _codes(counsellor_a, odette) == [socle[3].code, socle[4].code]
    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[3].pk],
        name_shown=AttestationName.NONE,
    )
    _header, payload = jwt_parts(attestation.credential_jws)
    assert payload["credentialSubject"]["result"] == []  # no level claimed, none observed


def test_cycle_missed_once_is_not_complete(counsellor_a, odette, socle, structure_a, cycle):
    structure_a.attestation_basis = AttestationBasis.CYCLE
    structure_a.save()
    late = SessionFactory(
        structure=structure_a,
        series=cycle[0].series,
        competences=[socle[3]],
        start=timezone.now() - datetime.timedelta(days=1),
    )
    AttendanceFactory(session=late, learner=odette, status=AttendanceStatus.ABSENT)
    assert _codes(counsellor_a, odette) == []


def test_cycle_not_over_yet(counsellor_a, odette, socle, structure_a, cycle):
    structure_a.attestation_basis = AttestationBasis.CYCLE
    structure_a.save()
    SessionFactory(structure=structure_a, series=cycle[0].series, competences=[socle[3]])
    assert _codes(counsellor_a, odette) == []


def test_either_basis(counsellor_a, odette, socle, structure_a, cycle):
    structure_a.attestation_basis = AttestationBasis.EITHER
    structure_a.save()
    assert _codes(counsellor_a, odette) == [
        c.code for c in (socle[0], socle[2], socle[3], socle[4])
    ]


def test_another_structure_sees_nothing_to_attest(counsellor_b, odette):
    assert _codes(counsellor_b, odette) == []


def test_verification_page_queries_are_bounded(client, counsellor_a, odette, socle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk, socle[2].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    client.get(f"/attestations/{attestation.public_id}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/attestations/{attestation.public_id}/")
    assert response.status_code == 200
    # The stored token, the key by thumbprint, the attestation with its key and structure,
    # its competences (prefetch).
    assert len(queries.captured_queries) <= 4, [q["sql"] for q in queries.captured_queries]
