import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from learners import roles
from learners.models import Structure
from learners.services import (
    counsellor_create,
    structure_create,
    venue_create,
    venue_update,
)
from tests.factories.learners import CommuneFactory, StructureFactory, UserFactory
from workshops.roles import COUNSELLORS

pytestmark = pytest.mark.django_db


def test_structure_create_by_coordinator_only(coordinator, counsellor_a):
    commune = CommuneFactory()
    structure = structure_create(
        user=coordinator,
        name=" France Services de Venansault ",
        kind="france_services",
        commune=commune,
        siret="12345678901234",
    )
    assert structure.name == "France Services de Venansault"
    try:
        from workshops.services.editorial import structure_collection_ensure  # noqa: F401
    except ImportError:
        assert structure.collection is None
    else:
        assert structure.collection is not None
    with pytest.raises(PermissionDenied):
        structure_create(user=counsellor_a, name="X")
    with pytest.raises(ValidationError) as error:
        structure_create(name="Y", siret="123")
    assert "14 chiffres" in error.value.message_dict["siret"][0]
    assert not Structure.objects.filter(name__in=["X", "Y"]).exists()


def test_counsellor_create_gives_the_role(coordinator):
    user = UserFactory()
    structure = StructureFactory()
    communes = CommuneFactory.create_batch(4)
    counsellor = counsellor_create(
        user=user, structure=structure, communes=communes, created_by=coordinator
    )
    assert set(counsellor.communes.all()) == set(communes)
    assert user.groups.filter(name=COUNSELLORS).exists()
    assert roles.is_counsellor(user)
    assert roles.counsellor_structure(user) == structure
    assert not roles.is_coordinator(user)
    with pytest.raises(PermissionDenied):
        counsellor_create(user=UserFactory(), structure=structure, created_by=user)


def test_roles(coordinator, partner_editor, counsellor_a, structure_a, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "r@example.org", "x")
    assert roles.is_coordinator(superuser) and roles.is_coordinator(coordinator)
    assert roles.is_partner_editor(partner_editor)
    assert not roles.can_use_tracking(partner_editor)
    assert roles.counsellor_structure(partner_editor) is None
    assert roles.counsellor_structure(counsellor_a) == structure_a
    # A profile without the group, or an inactive account, gives no access.
    counsellor_a.groups.clear()
    roles.roles_cache_clear(counsellor_a)
    assert not roles.can_use_tracking(counsellor_a)
    counsellor_a.groups.add(Group.objects.get(name=COUNSELLORS))
    roles.roles_cache_clear(counsellor_a)
    counsellor_a.is_active = False
    assert not roles.can_use_tracking(counsellor_a)
    assert not roles.can_use_tracking(None)


def test_venue_scope(counsellor_a, counsellor_b, structure_a):
    commune = CommuneFactory(latitude=46.6, longitude=-1.5)
    venue = venue_create(
        user=counsellor_a,
        structure=structure_a,
        name="Médiathèque",
        commune=commune,
        opening_hours="Mo-Fr 09:00-12:00",
        services=["Accès internet et matériel informatique"],
        other_services="Prendre en main un smartphone",
        phone="02 51 00 00 01",
    )
    assert (venue.latitude, venue.longitude) == (46.6, -1.5)
    assert venue.service_list == [
        "Accès internet et matériel informatique",
        "Prendre en main un smartphone",
    ]
    assert venue.phone == "+33251000001"  # as the national standard writes it
    with pytest.raises(PermissionDenied):
        venue_create(user=counsellor_b, structure=structure_a, name="X", commune=commune)
    with pytest.raises(PermissionDenied):
        venue_update(user=counsellor_b, venue=venue, data={"name": "Y"})
    with pytest.raises(ValidationError):
        venue_create(structure=structure_a, name="Z", commune=commune, colour="red")
    with pytest.raises(ValidationError):
        venue_create(structure=structure_a, name="Z", commune=commune, postal_code="8500")
