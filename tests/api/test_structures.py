"""Scope `structures`: structures and counsellors' public fields, a structure-bound key
sees its own structure only."""

import pytest

from tests.factories.learners import CommuneFactory, CounsellorFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    commune = CommuneFactory(insee_code="85191", name="Les Sables-d'Olonne")
    mine = StructureFactory(name="Espace numérique des Sables", siret="12345678901234")
    other = StructureFactory(name="Association Clic Vendée")
    counsellor = CounsellorFactory(
        structure=mine,
        user__first_name="Odette",
        user__last_name="Martin",
        user__email="odette.martin@exemple.fr",
        user__username="omartin",
    )
    counsellor.communes.set([commune])
    CounsellorFactory(structure=other)
    return {"mine": mine, "other": other, "counsellor": counsellor}


def _attributes(client, url, headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return {item["id"]: item["attributes"] for item in response.json()["data"]}


def test_a_network_key_reads_every_structure(client, make_key, network):
    _, headers = make_key(scopes=["structures"])
    structures = _attributes(client, "/api/v1/structures", headers)
    assert set(structures) == {str(network["mine"].pk), str(network["other"].pk)}
    assert structures[str(network["mine"].pk)]["siret"] == "12345678901234"
    assert len(_attributes(client, "/api/v1/conseillers", headers)) == 2


def test_a_structure_bound_key_reads_its_structure_only(client, make_key, network):
    _, headers = make_key(scopes=["structures"], structure=network["mine"])
    assert list(_attributes(client, "/api/v1/structures", headers)) == [str(network["mine"].pk)]
    counsellors = _attributes(client, "/api/v1/conseillers", headers)
    assert list(counsellors) == [str(network["counsellor"].pk)]


def test_counsellors_carry_public_fields_only(client, make_key, network):
    _, headers = make_key(scopes=["structures"])
    response = client.get("/api/v1/conseillers", **headers)
    attributes = _attributes(client, "/api/v1/conseillers", headers)[str(network["counsellor"].pk)]
    assert attributes["prenom"] == "Odette" and attributes["nom"] == "Martin"
    assert attributes["structure_id"] == str(network["mine"].pk)
    assert attributes["communes_desservies"] == [
        {"code_insee": "85191", "nom": "Les Sables-d'Olonne"}
    ]
    body = response.content.decode()
    assert "odette.martin@exemple.fr" not in body and "omartin" not in body
    assert set(attributes) == {
        "prenom",
        "nom",
        "structure_id",
        "communes_desservies",
        "modification",
    }


@pytest.mark.parametrize("scopes", [["activites"], ["statistiques"], []])
def test_keys_without_the_structures_scope_are_refused(client, make_key, network, scopes):
    _, headers = make_key(scopes=scopes)
    for url in ("/api/v1/structures", "/api/v1/conseillers"):
        response = client.get(url, **headers)
        assert response.status_code == 403
        assert "Odette" not in response.content.decode()


def test_open_lists_need_no_scope(client, make_key, network):
    _, headers = make_key(scopes=[])
    for url in ("/api/v1/sessions", "/api/v1/lieux", "/api/v1/fiches", "/api/v1/ateliers"):
        assert client.get(url, **headers).status_code == 200


def test_departed_counsellors_are_not_published(client, make_key, network):
    """A counsellor who left has a deactivated account: gone from /conseillers."""
    _, headers = make_key(scopes=["structures"])
    user = network["counsellor"].user
    user.is_active = False
    user.save()
    counsellors = _attributes(client, "/api/v1/conseillers", headers)
    assert str(network["counsellor"].pk) not in counsellors
    assert len(counsellors) == 1


def test_a_renamed_structure_comes_back_in_the_incremental_sync(client, make_key, network):
    import datetime

    from django.utils import timezone

    from learners.models import Counsellor, Structure

    _, headers = make_key(scopes=["structures"])
    old = timezone.now() - datetime.timedelta(days=2)
    Structure.objects.update(created_at=old, updated_at=old)
    Counsellor.objects.update(updated_at=old)
    since = {"filter[modification][depuis]": (old + datetime.timedelta(days=1)).isoformat()}
    assert client.get("/api/v1/structures", since, **headers).json()["data"] == []
    network["other"].name = "Clic Vendée"
    network["other"].save()
    network["counsellor"].structure = network["other"]
    network["counsellor"].save()
    synced = client.get("/api/v1/structures", since, **headers).json()["data"]
    assert [(item["id"], item["attributes"]["nom"]) for item in synced] == [
        (str(network["other"].pk), "Clic Vendée")
    ]
    moved = client.get("/api/v1/conseillers", since, **headers).json()["data"]
    assert [item["id"] for item in moved] == [str(network["counsellor"].pk)]
