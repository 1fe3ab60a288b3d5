import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from learners.choices import ObservationSource
from learners.models import CompetenceSummary, Observation
from learners.services import observation_record, summary_rebuild
from tests.factories.learners import (
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    at,
    counsellor_user,
    crcn_competences,
    level,
    socle_competences,
)

pytestmark = pytest.mark.django_db

SUMMARY_COLUMNS = (
    "learner_id",
    "competence_id",
    "first_level_id",
    "current_level_id",
    "best_level_id",
    "first_observed_on",
    "last_observed_on",
    "observation_count",
    "levels_gained",
    "observations_without_gain",
    "last_progress_on",
)
DAY = datetime.date(2025, 3, 3)


def summaries() -> list[tuple]:
    return sorted(CompetenceSummary.objects.values_list(*SUMMARY_COLUMNS))


def test_observation_appends_and_updates_summary(counsellor_a, structure_a, socle):
    learner = LearnerFactory(structure=structure_a)
    competence = socle[0]
    for offset, rank in [(0, 0), (7, 1), (14, 1), (21, 3), (28, 2)]:
        observation_record(
            user=counsellor_a,
            learner=learner,
            competence=competence,
            level=level("socle", rank),
            observed_on=DAY + datetime.timedelta(days=offset),
        )
    summary = CompetenceSummary.objects.get(learner=learner, competence=competence)
    assert summary.first_level.rank == 0
    assert summary.current_level.rank == 2
    assert summary.best_level.rank == 3
    assert summary.levels_gained == 3
    assert summary.observation_count == 5
    assert summary.first_observed_on == DAY
    assert summary.last_observed_on == DAY + datetime.timedelta(days=28)
    assert summary.last_progress_on == DAY + datetime.timedelta(days=21)
    assert summary.observations_without_gain == 1
    assert Observation.objects.filter(learner=learner).count() == 5


def test_backdated_observation_recomputes_history(counsellor_a, structure_a, socle):
    learner = LearnerFactory(structure=structure_a)
    for offset, rank in [(10, 2), (0, 1)]:
        observation_record(
            user=counsellor_a,
            learner=learner,
            competence=socle[0],
            level=level("socle", rank),
            observed_on=DAY + datetime.timedelta(days=offset),
        )
    summary = CompetenceSummary.objects.get(learner=learner)
    assert (summary.first_level.rank, summary.current_level.rank) == (1, 2)
    assert summary.levels_gained == 1
    assert summary.last_progress_on == DAY + datetime.timedelta(days=10)


def test_stuck_counter(counsellor_a, structure_a, socle):
    learner = LearnerFactory(structure=structure_a)
    for offset in range(3):
        observation_record(
            user=counsellor_a,
            learner=learner,
            competence=socle[1],
            level=level("socle", 1),
            observed_on=DAY + datetime.timedelta(days=offset),
        )
    assert CompetenceSummary.objects.get(learner=learner).observations_without_gain == 3


def test_level_must_belong_to_the_competence_framework(counsellor_a, structure_a, socle):
    learner = LearnerFactory(structure=structure_a)
    with pytest.raises(ValidationError) as error:
        observation_record(
            user=counsellor_a, learner=learner, competence=socle[0], level=level("crcn", 2)
        )
    assert "référentiel de la compétence" in error.value.message_dict["level"][0]
    assert not Observation.objects.exists()
    assert not CompetenceSummary.objects.exists()


def test_observation_defaults_to_session_date_and_checks_scope(
    counsellor_a, counsellor_b, structure_a, socle
):
    learner = LearnerFactory(structure=structure_a)
    session = SessionFactory(structure=structure_a, start=at(DAY))
    observation = observation_record(
        user=counsellor_a,
        learner=learner,
        competence=socle[0],
        level=level("socle", 1),
        session=session,
    )
    assert observation.observed_on == DAY
    with pytest.raises(PermissionDenied):
        observation_record(
            user=counsellor_b, learner=learner, competence=socle[0], level=level("socle", 2)
        )
    with pytest.raises(PermissionDenied):
        observation_record(user=None, learner=learner, competence=socle[0], level=level("socle", 2))
    self_assessed = observation_record(
        user=None,
        learner=learner,
        competence=socle[0],
        level=level("socle", 2),
        source=ObservationSource.SELF,
    )
    assert self_assessed.author is None


def test_rebuild_command_restores_lost_summaries(counsellor_a, structure_a, socle, capsys):
    people = LearnerFactory.create_batch(3, structure=structure_a)
    for index, person in enumerate(people):
        for competence in socle[:2]:
            observation_record(
                user=counsellor_a,
                learner=person,
                competence=competence,
                level=level("socle", index % 4),
                observed_on=DAY,
            )
    expected = summaries()
    CompetenceSummary.objects.all().delete()
    call_command("rebuild_competence_summaries")
    assert summaries() == expected
    assert "6 synthèses recalculées" in capsys.readouterr().out

    CompetenceSummary.objects.filter(learner=people[0]).update(observation_count=99)
    assert summary_rebuild(learner=people[0]) == 2
    assert summaries() == expected


# Sequences of (competence index, framework, rank, day offset): several competences of two
# frameworks, ties on dates and backdated entries included.
observation_steps = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 2), st.just("socle"), st.integers(0, 3), st.integers(0, 40)),
        st.tuples(st.integers(0, 1), st.just("crcn"), st.integers(1, 8), st.integers(0, 40)),
    ),
    min_size=1,
    max_size=12,
)


class TestSummaryEqualsRebuild(TestCase):
    """The incremental summaries (observation_record) equal a rebuild from the
    observations alone, on random histories. Each example runs in its own transaction."""

    @classmethod
    def setUpTestData(cls):
        cls.structure = StructureFactory()
        cls.user = counsellor_user(structure=cls.structure)
        cls.competences = {"socle": socle_competences()[:3], "crcn": crcn_competences()[:2]}
        cls.levels = {
            (slug, rank): level(slug, rank)
            for slug, ranks in (("socle", range(4)), ("crcn", range(1, 9)))
            for rank in ranks
        }

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=observation_steps, second_person=st.lists(observation_steps, max_size=1))
    def test_incremental_equals_rebuild(self, steps, second_person):
        people = [LearnerFactory(structure=self.structure)]
        histories = [steps]
        if second_person:
            people.append(LearnerFactory(structure=self.structure))
            histories.append(second_person[0])
        for person, history in zip(people, histories, strict=True):
            for index, slug, rank, offset in history:
                observation_record(
                    user=self.user,
                    learner=person,
                    competence=self.competences[slug][index],
                    level=self.levels[(slug, rank)],
                    observed_on=DAY + datetime.timedelta(days=offset),
                )
        incremental = summaries()
        summary_rebuild()
        assert summaries() == incremental
        assert sum(row[7] for row in incremental) == sum(len(h) for h in histories)
