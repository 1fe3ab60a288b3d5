import pytest

from tests.factories.privacy import privacy_world


@pytest.fixture
def world(structure_a, structure_b):
    return privacy_world(structure_a=structure_a, structure_b=structure_b)
