import pytest


@pytest.fixture(autouse=True)
def structure_links_stay_in_step(request):
    """After every service test: the dashboard's copies of each person's dates on their
    structure links (learners/services/activity.py) equal the originals."""
    yield
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from learners.services.activity import structure_links_out_of_date

    assert structure_links_out_of_date() == []
