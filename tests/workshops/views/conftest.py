import pytest

from tests.factories.editorial import UserFactory, atelier_index, guide_index
from workshops import roles
from workshops.services.editorial import editorial_setup, structure_collection_ensure


@pytest.fixture
def editorial(db):
    guide_index()
    atelier_index()
    editorial_setup()


@pytest.fixture
def counsellor(editorial):
    return UserFactory(groups=[roles.COUNSELLORS])


@pytest.fixture
def coordinator(editorial):
    return UserFactory(groups=[roles.COORDINATORS])


@pytest.fixture
def partner(editorial):
    _, group = structure_collection_ensure(name="Médiathèque de Luçon")
    return UserFactory(groups=[roles.PARTNER_EDITORS, group.name])


def assert_refused(response):
    """Wagtail answers a permission refusal with a 403 or a redirect away from the view."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or response[
            "Location"
        ].startswith("/admin/login/")
