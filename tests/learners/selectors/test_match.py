import dataclasses

import pytest

from learners.selectors import MatchCandidate, communes_nearby, learner_match_candidates
from tests.factories.learners import CommuneFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db):
    roche = CommuneFactory(name="La Roche-sur-Yon", latitude=46.6659, longitude=-1.4162)
    landeronde = CommuneFactory(name="Landeronde", latitude=46.6553, longitude=-1.5717)  # 12 km
    nantes = CommuneFactory(
        name="Nantes", department_code="44", latitude=47.2184, longitude=-1.5536
    )
    clisson = CommuneFactory(
        name="Clisson", department_code="44", latitude=47.0870, longitude=-1.2820
    )
    montaigu = CommuneFactory(  # other département code, 11 km from Clisson
        name="Montaigu", department_code="85", latitude=46.9733, longitude=-1.3092
    )
    return {
        "roche": roche,
        "landeronde": landeronde,
        "nantes": nantes,
        "clisson": clisson,
        "montaigu": montaigu,
    }


def names(candidates):
    return sorted((c.first_name, c.last_initial) for c in candidates)


def test_accents_case_and_hyphens_do_not_matter(coordinator, structure_b):
    LearnerFactory(structure=structure_b, first_name="Hélène", last_name="Durand")
    LearnerFactory(structure=structure_b, first_name="jean pierre", last_name="MARTIN")
    LearnerFactory(structure=structure_b, first_name="Hélèna", last_name="Durand")

    found = learner_match_candidates(user=coordinator, first_name="Helene", last_name="durand")
    assert names(found) == [("Hélène", "D")]
    found = learner_match_candidates(user=coordinator, first_name="Jean-Pierre", last_name="Martin")
    assert names(found) == [("jean pierre", "M")]
    found = learner_match_candidates(user=coordinator, first_name="HELENE")
    assert names(found) == [("Hélène", "D")]
    # First and last names typed the other way round.
    found = learner_match_candidates(user=coordinator, first_name="Durand", last_name="Hélène")
    assert names(found) == [("Hélène", "D")]


def test_only_safe_fields_are_returned(counsellor_a, structure_b, communes):
    LearnerFactory(
        structure=structure_b,
        first_name="Hélène",
        last_name="Durand",
        birth_year=1948,
        commune=communes["roche"],
        email="h@example.org",
        phone="0600000000",
        contact_consent=True,
        notes="Vient avec sa fille",
    )
    # First and last name without a birth year: too vague to look at other structures.
    assert (
        learner_match_candidates(user=counsellor_a, first_name="Helene", last_name="Durand") == []
    )
    # First name and birth year alone neither (anyone could list the network by year).
    assert learner_match_candidates(user=counsellor_a, first_name="Helene", birth_year=1948) == []
    [candidate] = learner_match_candidates(
        user=counsellor_a, first_name="Helene", last_name="Durand", birth_year=1949
    )
    assert {f.name for f in dataclasses.fields(MatchCandidate)} == {
        "first_name",
        "last_initial",
        "birth_year",
        "commune_name",
        "learner_id",
        "score",
        "other_structure",
    }
    # Another structure's record: its birth year, nothing else (no name, no initial,
    # no commune, no id).
    assert candidate == MatchCandidate(
        first_name="",
        last_initial="",
        birth_year=1948,
        commune_name="",
        learner_id=None,
        score=0,
        other_structure=True,
    )
    # First name, birth year and commune is precise enough too.
    [by_commune] = learner_match_candidates(
        user=counsellor_a, first_name="Helene", birth_year=1948, commune=communes["landeronde"]
    )
    assert by_commune.other_structure and by_commune.first_name == ""


def test_own_records_are_named_from_a_first_name(counsellor_a, structure_a, structure_b):
    mine = LearnerFactory(structure=structure_a, first_name="Andrée", last_name="Morin")
    LearnerFactory(structure=structure_b, first_name="Andrée", last_name="Moreau")
    [candidate] = learner_match_candidates(user=counsellor_a, first_name="andree")
    assert (candidate.display_name, candidate.learner_id) == ("Andrée M.", mine.pk)
    assert not candidate.other_structure


def test_birth_year_tolerance(coordinator, structure_b):
    for year in (1949, 1950, 1951, 1953, None):
        LearnerFactory(structure=structure_b, first_name="Rose", last_name="", birth_year=year)
    found = learner_match_candidates(user=coordinator, first_name="Rose", birth_year=1950)
    assert sorted(c.birth_year or 0 for c in found) == [0, 1949, 1950, 1951]
    assert found[0].birth_year == 1950  # exact year first


def test_nearby_communes(coordinator, structure_b, communes):
    assert set(communes_nearby(communes["roche"])) == {
        communes["roche"].pk,
        communes["landeronde"].pk,
    }
    for key in communes:
        LearnerFactory(structure=structure_b, first_name="Yves", commune=communes[key])
    found = learner_match_candidates(
        user=coordinator, first_name="Yves", commune=communes["landeronde"]
    )
    # Same département (85) only: Nantes and Clisson (44) are far.
    assert sorted(c.commune_name for c in found) == ["La Roche-sur-Yon", "Landeronde", "Montaigu"]
    assert found[0].commune_name == "Landeronde"
    found = learner_match_candidates(
        user=coordinator, first_name="Yves", commune=communes["clisson"]
    )
    # Clisson (44): Nantes by département, Montaigu (85) because it is within 15 km.
    assert sorted(c.commune_name for c in found) == ["Clisson", "Montaigu", "Nantes"]


def test_anonymised_records_never_match(coordinator, structure_b):
    from django.utils import timezone

    LearnerFactory(structure=structure_b, first_name="Odile", anonymized_at=timezone.now())
    assert learner_match_candidates(user=coordinator, first_name="Odile") == []
    assert learner_match_candidates(user=coordinator, first_name="  -  ") == []
