import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learners.choices import AttendanceStatus, AuditAction
from learners.models import (
    Attendance,
    AuditLog,
    Carnet,
    CompetenceSummary,
    GuideRead,
    Learner,
    Observation,
)
from learners.scoping import learners_visible
from learners.services import (
    carnet_issue,
    carnet_open,
    learner_merge,
    observation_record,
)
from tests.factories.editorial import guide_create
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    at,
    level,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 1, 6)


@pytest.fixture
def duplicates(structure_a, structure_b, counsellor_a, counsellor_b, coordinator, socle):
    keep = LearnerFactory(structure=structure_a, first_name="Hélène", last_name="", birth_year=None)
    remove = LearnerFactory(
        structure=structure_b, first_name="Helene", last_name="Martin", birth_year=1950
    )
    both = SessionFactory(structure=structure_a, start=at(DAY))
    AttendanceFactory(session=both, learner=keep, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(
        session=both, learner=remove, status=AttendanceStatus.PRESENT, equipment="tablette"
    )
    AttendanceFactory(session=SessionFactory(structure=structure_b, start=at(DAY)), learner=remove)
    AttendanceFactory(session=SessionFactory(structure=structure_a, start=at(DAY)), learner=keep)
    for user, person, rank, offset in [
        (counsellor_a, keep, 0, 0),
        (counsellor_b, remove, 1, 5),
        (counsellor_b, remove, 2, 10),
    ]:
        observation_record(
            user=user,
            learner=person,
            competence=socle[0],
            level=level("socle", rank),
            observed_on=DAY + datetime.timedelta(days=offset),
        )
    observation_record(
        user=counsellor_b, learner=remove, competence=socle[1], level=level("socle", 1)
    )
    carnet_issue(user=counsellor_a, learner=keep)
    remove_code = carnet_issue(user=counsellor_b, learner=remove)
    guide = guide_create()
    GuideRead.objects.create(learner=keep, guide=guide)
    GuideRead.objects.create(learner=remove, guide=guide)
    GuideRead.objects.create(learner=remove, guide=guide_create())
    return keep, remove, remove_code


def test_only_a_coordinator_may_merge(duplicates, counsellor_a):
    keep, remove, _code = duplicates
    with pytest.raises(PermissionDenied):
        learner_merge(user=counsellor_a, keep=keep, remove=remove)
    assert Learner.objects.filter(pk=remove.pk).exists()


def test_merge_loses_nothing(duplicates, coordinator, counsellor_b, socle):
    keep, remove, remove_code = duplicates
    attendance_before = Attendance.objects.count()
    observations_before = Observation.objects.count()
    audit_before = AuditLog.objects.filter(learner__in=[keep, remove]).count()
    remove_network_id = remove.network_id

    merged = learner_merge(user=coordinator, keep=keep, remove=remove)

    assert merged.pk == keep.pk
    assert not Learner.objects.filter(pk=remove.pk).exists()
    # One attendance combined (same session), all others moved.
    assert Attendance.objects.count() == attendance_before - 1
    assert Attendance.objects.filter(learner=keep).count() == 3
    combined = Attendance.objects.get(learner=keep, equipment="tablette")
    assert combined.status == AttendanceStatus.PRESENT
    # Every observation kept, summaries rebuilt over both histories.
    assert Observation.objects.count() == observations_before
    assert Observation.objects.filter(learner=keep).count() == observations_before
    summary = CompetenceSummary.objects.get(learner=keep, competence=socle[0])
    assert (summary.first_level.rank, summary.current_level.rank) == (0, 2)
    assert summary.observation_count == 3
    assert CompetenceSummary.objects.filter(learner=keep).count() == 2
    # Carnets moved, one active (the kept person's); guides read merged.
    assert Carnet.objects.filter(learner=keep).count() == 2
    assert Carnet.objects.filter(learner=keep, revoked_at__isnull=True).count() == 1
    assert carnet_open(code=remove_code) is None
    assert GuideRead.objects.filter(learner=keep).count() == 2
    # Identity completed from the duplicate.
    keep.refresh_from_db()
    assert (keep.last_name, keep.birth_year) == ("Martin", 1950)
    # Both structures still follow the person.
    assert learners_visible(counsellor_b).filter(pk=keep.pk).exists()
    # Audit: history kept and the merge logged with the removed network id.
    assert AuditLog.objects.filter(learner=keep).count() == audit_before + 1
    log = AuditLog.objects.get(action=AuditAction.MERGE)
    assert remove_network_id in log.detail
    assert log.user == coordinator


def test_merge_refuses_the_same_record(duplicates, coordinator):
    keep, _remove, _code = duplicates
    with pytest.raises(ValidationError):
        learner_merge(user=coordinator, keep=keep, remove=keep)
