import pytest

from tests.factories.learners import (
    StructureFactory,
    coordinator_user,
    counsellor_user,
    partner_editor_user,
    socle_competences,
)


@pytest.fixture
def structure_a(db):
    return StructureFactory(name="Mairie de Landeronde")


@pytest.fixture
def structure_b(db):
    return StructureFactory(name="Association Clic Vendée")


@pytest.fixture
def counsellor_a(structure_a):
    return counsellor_user(structure=structure_a)


@pytest.fixture
def counsellor_b(structure_b):
    return counsellor_user(structure=structure_b)


@pytest.fixture
def coordinator(db):
    return coordinator_user()


@pytest.fixture
def partner_editor(db):
    return partner_editor_user()


@pytest.fixture
def socle(db):
    """The beginner framework's competences (levels 0-3) from the reference data."""
    competences = socle_competences()
    assert len(competences) >= 3
    return competences
