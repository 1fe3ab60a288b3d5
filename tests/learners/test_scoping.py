"""Every selector × every role: a counsellor sees their structure only, a coordinator
everything, a partner editor or an anonymous visitor nothing, and out-of-scope single
objects look exactly like missing ones."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from learners.models import Learner, Session
from learners.selectors import (
    audit_logs_for_user,
    counsellor_dashboard,
    learner_get_for_user,
    learner_match_candidates,
    learners_for_user,
    progress_for_learner,
    session_attendance_sheet,
    session_get_for_user,
    sessions_for_user,
)
from learners.services import SheetRow, attendance_sheet_save, learner_create
from tests.factories.learners import SessionFactory, at, level

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(structure_a, structure_b, counsellor_a, counsellor_b, coordinator, partner_editor, socle):
    """Two structures with the same kind of data: a person named Hélène in each, a past
    session with her present and levels recorded, an upcoming session with free places."""
    data = {}
    for key, structure, user in (
        ("a", structure_a, counsellor_a),
        ("b", structure_b, counsellor_b),
    ):
        learner = learner_create(
            user=user, first_name="Hélène", last_name=f"Nom{key}", birth_year=1950
        )
        past = SessionFactory(
            structure=structure,
            start=at(TODAY - datetime.timedelta(days=70)),
            competences=socle[:1],
        )
        attendance_sheet_save(
            user=user,
            session=past,
            rows=[SheetRow(learner_id=learner.pk, levels={socle[0].pk: level("socle", 1).pk})],
        )
        upcoming = SessionFactory(
            structure=structure, start=at(TODAY + datetime.timedelta(days=2)), capacity=8
        )
        data[key] = {"learner": learner, "past": past, "upcoming": upcoming}
    data["users"] = {
        "counsellor_a": counsellor_a,
        "counsellor_b": counsellor_b,
        "coordinator": coordinator,
        "partner_editor": partner_editor,
        "anonymous": AnonymousUser(),
    }
    return data


VISIBLE = {
    "counsellor_a": {"a"},
    "counsellor_b": {"b"},
    "coordinator": {"a", "b"},
    "partner_editor": set(),
    "anonymous": set(),
}
ROLES = sorted(VISIBLE)


@pytest.mark.parametrize("role", ROLES)
def test_learners_for_user(world, role):
    user = world["users"][role]
    expected = {world[k]["learner"].pk for k in VISIBLE[role]}
    assert set(learners_for_user(user=user).values_list("pk", flat=True)) == expected
    assert set(learners_for_user(user=user, search="helene").values_list("pk", flat=True)) == (
        expected
    )


@pytest.mark.parametrize("role", ROLES)
def test_single_object_getters_refuse_like_missing_rows(world, role):
    user = world["users"][role]
    for key in ("a", "b"):
        learner, past = world[key]["learner"], world[key]["past"]
        if key in VISIBLE[role]:
            assert learner_get_for_user(user=user, learner_id=learner.pk) == learner
            assert session_get_for_user(user=user, session_id=past.pk) == past
            assert session_attendance_sheet(user=user, session_id=past.pk).session == past
            assert progress_for_learner(user=user, learner_id=learner.pk).learner == learner
        else:
            with pytest.raises(Learner.DoesNotExist):
                learner_get_for_user(user=user, learner_id=learner.pk)
            with pytest.raises(Session.DoesNotExist):
                session_get_for_user(user=user, session_id=past.pk)
            with pytest.raises(Session.DoesNotExist):
                session_attendance_sheet(user=user, session_id=past.pk)
            with pytest.raises(Learner.DoesNotExist):
                progress_for_learner(user=user, learner_id=learner.pk)
    # A missing id raises the very same exception.
    with pytest.raises(Learner.DoesNotExist):
        learner_get_for_user(user=user, learner_id=999_999)


@pytest.mark.parametrize("role", ROLES)
def test_sessions_for_user(world, role):
    user = world["users"][role]
    upcoming = {world[k]["upcoming"].pk for k in VISIBLE[role]}
    assert set(sessions_for_user(user=user).values_list("pk", flat=True)) == upcoming
    everything = {world[k][s].pk for k in VISIBLE[role] for s in ("past", "upcoming")}
    since = TODAY - datetime.timedelta(days=365)
    assert set(sessions_for_user(user=user, start_from=since).values_list("pk", flat=True)) == (
        everything
    )


@pytest.mark.parametrize("role", ROLES)
def test_dashboard(world, role):
    user = world["users"][role]
    dashboard = counsellor_dashboard(user=user, today=TODAY)
    stopped = {world[k]["learner"].pk for k in VISIBLE[role]}
    assert {learner.pk for learner in dashboard.stopped} == stopped
    assert dashboard.stopped_count == len(stopped)
    assert {s.pk for s in dashboard.upcoming_with_places} == {
        world[k]["upcoming"].pk for k in VISIBLE[role]
    }


@pytest.mark.parametrize("role", ROLES)
def test_match_candidates_give_ids_only_within_scope(world, role):
    user = world["users"][role]
    candidates = learner_match_candidates(
        user=user, first_name="Helene", last_name="Noma", birth_year=1950
    )
    if role in ("partner_editor", "anonymous"):
        assert candidates == []
        return
    # Named, with an id, only for records the user's structure follows; another
    # structure's record is its birth year alone.
    named = [c for c in candidates if not c.other_structure]
    others = [c for c in candidates if c.other_structure]
    assert {c.learner_id for c in named} == {world["a"]["learner"].pk} & {
        world[k]["learner"].pk for k in VISIBLE[role]
    }
    assert all(c.learner_id is None and c.first_name == "" for c in others)
    assert len(named) + len(others) == 1


@pytest.mark.parametrize("role", ROLES)
def test_audit_log_is_for_coordinators(world, role):
    user = world["users"][role]
    logs = audit_logs_for_user(user=user)
    if role == "coordinator":
        learner = world["a"]["learner"]
        assert logs.filter(learner=learner).exists()
        assert set(audit_logs_for_user(user=user, learner_id=learner.pk)) == set(
            logs.filter(learner=learner)
        )
    else:
        assert not logs.exists()


def test_person_seen_in_another_structure_session_becomes_visible(world, coordinator, counsellor_b):
    """Coming to a session of structure B links the person to B (so B can record them)."""
    learner_a = world["a"]["learner"]
    attendance_sheet_save(
        user=coordinator,
        session=world["b"]["upcoming"],
        rows=[SheetRow(learner_id=learner_a.pk, status="inscrit")],
    )
    assert learners_for_user(user=counsellor_b).filter(pk=learner_a.pk).exists()
    progress = progress_for_learner(user=counsellor_b, learner_id=learner_a.pk)
    # B sees its own session in the person's history, not structure A's one.
    assert [a.session_id for a in progress.attendances] == [world["b"]["upcoming"].pk]
    # ...and nothing of A's levels: no observation, no competence.
    assert progress.observations == [] and progress.competences == []
    assert not progress.shared and not progress.holds_record
