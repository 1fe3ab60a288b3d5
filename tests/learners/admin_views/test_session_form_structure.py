"""The session form offers one structure's venues and counsellors: a coordinator chooses the
structure first (`?structure=`), never gets the whole network's lists."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from learners.choices import PlaceType, SessionKind
from learners.models import Session
from tests.factories.learners import (
    CounsellorFactory,
    SessionFactory,
    StructureFactory,
    UserFactory,
    VenueFactory,
    counsellor_user,
)
from tests.factories.workshops import AtelierPageFactory
from tests.queries import count_queries
from workshops.roles import COORDINATORS

pytestmark = pytest.mark.django_db

CREATE = reverse("learners_session_create")
HINT = "Choisissez d'abord la structure de la séance"
CHOOSER = "Changer de structure"


def named_counsellor(structure, first_name, last_name):
    user = counsellor_user(structure=structure)
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


@pytest.fixture
def network(structure_a, structure_b):
    """Two structures, each with a venue and a counsellor whose names are unique."""
    return {
        "venue_a": VenueFactory(structure=structure_a, name="Médiathèque Landeronde"),
        "venue_b": VenueFactory(structure=structure_b, name="Espace Clic Vendée"),
        "inactive_a": VenueFactory(structure=structure_a, name="Ancienne mairie", is_active=False),
        "counsellor_a": named_counsellor(structure_a, "Aline", "Auzance"),
        "counsellor_b": named_counsellor(structure_b, "Bruno", "Boulogne"),
    }


def coordinator_of(structure):
    """A coordinator who is also a counsellor of `structure` (their own structure)."""
    user = counsellor_user(structure=structure)
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    return user


def _post_data(**overrides):
    data = {
        "kind": SessionKind.DROP_IN,
        "date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "time": "14:00",
        "duration": "60",
        "title": "Séance test",
    }
    data.update(overrides)
    return data


def test_coordinator_with_structure_param_sees_that_structure_only(
    client, coordinator, structure_a, structure_b, network
):
    client.force_login(coordinator)
    response = client.get(CREATE, {"structure": structure_a.pk})
    html = response.content.decode()
    form = response.context["form"]
    assert form.chosen_structure == structure_a
    assert "Médiathèque Landeronde" in html and "Aline Auzance" in html
    assert "Espace Clic Vendée" not in html and "Bruno Boulogne" not in html
    assert "Ancienne mairie" not in html  # inactive
    assert list(form.fields["counsellors"].queryset) == [network["counsellor_a"].counsellor]
    # The chooser lists every structure (names only), the chosen one selected; the main
    # form carries it hidden.
    assert CHOOSER in html and HINT not in html
    assert f'<option value="{structure_a.pk}" selected>Mairie de Landeronde</option>' in html
    assert f'<option value="{structure_b.pk}">Association Clic Vendée</option>' in html
    assert f'<input type="hidden" name="structure" value="{structure_a.pk}"' in html


def test_coordinator_without_structure_is_asked_to_choose_it_first(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(CREATE)
    html = response.content.decode()
    assert response.context["form"].chosen_structure is None
    assert HINT in html and CHOOSER in html
    for name in ("Médiathèque Landeronde", "Espace Clic Vendée", "Aline Auzance", "Bruno Boulogne"):
        assert name not in html
    # Only the places that need no venue are offered.
    place_values = [value for value, _label in response.context["form"].fields["place"].choices]
    assert place_values == ["", PlaceType.HOME, PlaceType.REMOTE, PlaceType.OTHER]


def test_coordinator_defaults_to_own_structure(client, structure_a, structure_b, network):
    coordinator = coordinator_of(structure_a)
    client.force_login(coordinator)
    html = client.get(CREATE).content.decode()
    assert "Médiathèque Landeronde" in html and "Espace Clic Vendée" not in html
    html = client.get(CREATE, {"structure": structure_b.pk}).content.decode()
    assert "Espace Clic Vendée" in html and "Bruno Boulogne" in html
    assert "Médiathèque Landeronde" not in html and "Aline Auzance" not in html


def test_coordinator_creating_for_another_structure_is_not_added_as_counsellor(
    client, structure_a, structure_b, network
):
    coordinator = coordinator_of(structure_a)
    client.force_login(coordinator)
    response = client.post(
        f"{CREATE}?structure={structure_b.pk}",
        _post_data(structure=structure_b.pk, place=f"lieu-{network['venue_b'].pk}"),
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Séance test")
    assert session.structure == structure_b and session.venue == network["venue_b"]
    assert list(session.counsellors.all()) == []


def test_counsellor_cannot_choose_another_structure(client, structure_b, network):
    client.force_login(network["counsellor_a"])
    response = client.get(CREATE, {"structure": structure_b.pk})
    html = response.content.decode()
    assert "Médiathèque Landeronde" in html and "Aline Auzance" in html
    assert "Espace Clic Vendée" not in html and "Bruno Boulogne" not in html
    assert CHOOSER not in html and 'name="structure"' not in html


@pytest.mark.parametrize("value", ["abc", "0", "999999", "²", "-1", "9" * 30, " "])
def test_malformed_or_unknown_structure_param_is_ignored(client, coordinator, network, value):
    client.force_login(coordinator)
    response = client.get(CREATE, {"structure": value})
    assert response.status_code == 200
    assert response.context["form"].chosen_structure is None
    assert HINT in response.content.decode()


def test_post_mixing_structures_is_refused(client, coordinator, structure_a, network):
    client.force_login(coordinator)
    # A venue of structure B with structure A.
    response = client.post(
        CREATE, _post_data(structure=structure_a.pk, place=f"lieu-{network['venue_b'].pk}")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce lieu n&#x27;est pas proposé pour la structure de la séance." in html
    assert "Espace Clic Vendée" not in html
    # A counsellor of structure B with structure A.
    response = client.post(
        CREATE,
        _post_data(
            structure=structure_a.pk,
            place=f"lieu-{network['venue_a'].pk}",
            counsellors=[network["counsellor_b"].counsellor.pk],
        ),
    )
    assert response.status_code == 200
    assert "Un des conseillers cochés ne fait pas partie de la structure" in (
        response.content.decode()
    )
    # An unknown structure.
    response = client.post(CREATE, _post_data(structure="999999", place=PlaceType.HOME))
    assert "Cette structure n&#x27;existe pas" in response.content.decode()
    assert not Session.objects.exists()


def test_posted_structure_wins_over_the_url(client, coordinator, structure_a, structure_b, network):
    client.force_login(coordinator)
    response = client.post(
        f"{CREATE}?structure={structure_b.pk}",
        _post_data(
            structure=structure_a.pk,
            place=f"lieu-{network['venue_a'].pk}",
            counsellors=[network["counsellor_a"].counsellor.pk],
        ),
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Séance test")
    assert session.structure == structure_a
    assert list(session.counsellors.all()) == [network["counsellor_a"].counsellor]


def test_structure_chooser_keeps_the_prefilling_parameters(
    client, coordinator, structure_a, network
):
    atelier = AtelierPageFactory(title="Créer son adresse e-mail")
    client.force_login(coordinator)
    response = client.get(
        CREATE, {"atelier": atelier.pk, "date": "2030-03-04", "structure": structure_a.pk}
    )
    html = response.content.decode()
    chooser = html[html.index('<form method="get"') : html.index("</form>")]
    assert f'<input type="hidden" name="atelier" value="{atelier.pk}">' in chooser
    assert '<input type="hidden" name="date" value="2030-03-04">' in chooser
    assert 'name="structure"' in chooser and CHOOSER in chooser
    # Its select is labelled and described by the hint.
    assert 'for="id_choose_structure"' in chooser
    assert 'aria-describedby="pap-structure-hint"' in chooser
    # The pre-filling still applies.
    form = response.context["form"]
    assert form.initial["atelier"] == atelier.pk
    assert form.initial["date"] == datetime.date(2030, 3, 4)


def test_coordinator_editing_sees_the_sessions_structure_venues(
    client, coordinator, structure_a, structure_b, network
):
    session = SessionFactory(structure=structure_b, venue=network["inactive_a"])
    client.force_login(coordinator)
    response = client.get(reverse("learners_session_edit", args=[session.pk]))
    html = response.content.decode()
    assert "Espace Clic Vendée" in html and "Bruno Boulogne" in html
    # The current venue stays offered (inactive, elsewhere); no other venue of A.
    assert "Ancienne mairie" in html
    assert "Médiathèque Landeronde" not in html and "Aline Auzance" not in html
    assert CHOOSER not in html


def test_create_page_queries_do_not_grow_with_other_structures(
    client, coordinator, structure_a, network
):
    client.force_login(coordinator)
    url = f"{CREATE}?structure={structure_a.pk}"
    before = count_queries(client, url)
    for _n in range(4):
        other = StructureFactory()
        VenueFactory.create_batch(3, structure=other)
        for _m in range(3):
            CounsellorFactory(structure=other, user=UserFactory())
    assert count_queries(client, url) == before
