"""The audit log keeps no personal data in its detail, whatever the services write."""

import re

import pytest

from learners.choices import AttendanceStatus
from learners.models import AuditLog
from learners.services import (
    attendance_register,
    attendance_sheet_save,
    carnet_issue,
    carnet_revoke,
    learner_create,
    learner_merge,
    learner_update,
)
from learners.services.privacy import learner_anonymize, learners_anonymize_inactive
from tests.factories.learners import SessionFactory

pytestmark = pytest.mark.django_db

IDENTITY = {
    "first_name": "Gwendoline",
    "last_name": "Ollivier-Tessier",
    "email": "gwendoline.ollivier@example.org",
    "phone": "06 98 76 54 32",
}


def test_details_hold_no_personal_data(structure_a, counsellor_a, coordinator):
    person = learner_create(
        user=counsellor_a,
        first_name=IDENTITY["first_name"],
        last_name=IDENTITY["last_name"],
        birth_year=1961,
        contact_consent=True,
        email=IDENTITY["email"],
        phone=IDENTITY["phone"],
        notes="Vient avec sa fille Maëlys.",
    )
    learner_update(
        user=counsellor_a,
        learner=person,
        data={"email": "g.ollivier@example.org", "notes": "Rappeler Maëlys."},
    )
    session = SessionFactory(structure=structure_a)
    attendance_register(user=counsellor_a, session=session, learner=person)
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[{"learner_id": person.pk, "status": AttendanceStatus.PRESENT}],
    )
    carnet_issue(user=counsellor_a, learner=person)
    carnet = person.carnets.get(revoked_at__isnull=True)
    carnet_revoke(user=counsellor_a, carnet=carnet)
    twin = learner_create(
        user=counsellor_a, first_name=IDENTITY["first_name"], last_name="Ollivier", birth_year=1961
    )
    learner_merge(user=coordinator, keep=person, remove=twin)
    learner_anonymize(user=coordinator, learner=person)
    learners_anonymize_inactive()

    details = list(AuditLog.objects.values_list("detail", flat=True))
    assert len(details) >= 8
    forbidden = [
        *IDENTITY.values(),
        "g.ollivier@example.org",
        "Ollivier",
        "Gwendoline",
        "Maëlys",
        "@",
    ]
    # The birth year as a number of its own: the records' random hexadecimal network ids
    # may contain "1961" by chance.
    birth_year = re.compile(r"(?<![0-9a-f])1961(?![0-9a-f])")
    for detail in details:
        for value in forbidden:
            assert value.lower() not in detail.lower(), (value, detail)
        assert not birth_year.search(detail.lower()), detail
