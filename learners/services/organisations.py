"""Structures, counsellor profiles and venues (managed by coordinators)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caching import versions
from common.types import AnyUser
from learners.choices import AttestationBasis, StructureKind
from learners.contacts import phone_normalize
from learners.models import Commune, Counsellor, Structure, Venue
from learners.roles import is_coordinator, roles_cache_clear
from learners.scoping import can_write_structure
from workshops.roles import COUNSELLORS
from workshops.services.editorial import structure_collection_ensure

from ._common import apply_data, refuse, reject_unknown
from .opening_hours_check import opening_hours_clean

if TYPE_CHECKING:
    pass

STRUCTURE_FIELDS = frozenset({"name", "kind", "siret", "commune", "attestation_basis"})
# Every editable field of a venue (the national standard's, `learners.national.lieux`).
VENUE_FIELDS = frozenset(
    {
        "name",
        "pivot",
        "typology",
        "summary",
        "description",
        "address",
        "address_complement",
        "postal_code",
        "commune",
        "latitude",
        "longitude",
        "mobility",
        "parent_organisation",
        "opening_hours",
        "access_details",
        "takes_appointments",
        "services",
        "other_services",
        "audiences",
        "publics",
        "specific_support",
        "accessibility",
        "fees",
        "national_programmes",
        "training_labels",
        "other_training_labels",
        "access_modes",
        "support_modes",
        "acceslibre_url",
        "booking_url",
        "phone",
        "emails",
        "website",
        "external_id",
        "is_active",
    }
)


def structure_create(
    *,
    name: str,
    kind: str = StructureKind.ASSOCIATION,
    commune: Commune | None = None,
    siret: str = "",
    attestation_basis: str = AttestationBasis.LEVEL,
    user: AnyUser | None = None,
) -> Structure:
    """Create a structure and its Wagtail collection (for its editors' documents and images).

    When `user` is given it must be a coordinator.
    """
    if user is not None and not is_coordinator(user):
        refuse(_("Seule la coordination peut créer une structure."))
    structure = Structure(
        name=name.strip(),
        kind=kind,
        commune=commune,
        siret=siret.strip(),
        attestation_basis=attestation_basis,
    )
    structure.full_clean()
    with transaction.atomic():
        structure.collection = structure_collection_ensure(name=structure.name)[0]
        structure.save()
        # The open data files (/donnees/) list structures, cached under this version.
        versions.bump_now_and_on_commit(versions.AGENDA)
    return structure


def structure_update(*, user: AnyUser, structure: Structure, data: dict) -> Structure:
    if not is_coordinator(user):
        refuse(_("Seule la coordination peut modifier une structure."))
    if "name" in data:
        data = {**data, "name": data["name"].strip()}
    apply_data(structure, data, STRUCTURE_FIELDS)
    structure.full_clean()
    with transaction.atomic():
        structure.save()
        # Its name shows on the agenda's venue pages and feeds.
        versions.bump_now_and_on_commit(versions.AGENDA)
    return structure


def counsellor_create(
    *,
    user: User,
    structure: Structure,
    communes: Iterable[Commune] = (),
    is_structure_manager: bool = False,
    created_by: AnyUser | None = None,
) -> Counsellor:
    """Give `user` a counsellor profile in `structure` and put them in the counsellors group
    (and in the structure's editorial group when the publishing app provides one).

    When `created_by` is given it must be a coordinator.
    """
    if created_by is not None and not is_coordinator(created_by):
        refuse(_("Seule la coordination peut ajouter un conseiller."))
    counsellor = Counsellor(
        user=user, structure=structure, is_structure_manager=is_structure_manager
    )
    counsellor.full_clean()
    with transaction.atomic():
        counsellor.save()
        counsellor.communes.set(list(communes))
        group, _created = Group.objects.get_or_create(name=COUNSELLORS)
        user.groups.add(group)
        collection, editors = structure_collection_ensure(
            name=structure.collection.name if structure.collection is not None else structure.name
        )
        if structure.collection_id is None:
            structure.collection = collection
            structure.save(update_fields=["collection"])
        user.groups.add(editors)
    roles_cache_clear(user)
    return counsellor


def counsellor_update(*, user: AnyUser, counsellor: Counsellor, data: dict) -> Counsellor:
    """`data` keys: structure, is_structure_manager, communes (an iterable of communes)."""
    if not is_coordinator(user):
        refuse(_("Seule la coordination peut modifier un conseiller."))
    data = dict(data)
    communes = data.pop("communes", None)
    apply_data(counsellor, data, frozenset({"structure", "is_structure_manager"}))
    counsellor.full_clean()
    with transaction.atomic():
        counsellor.save()
        if communes is not None:
            counsellor.communes.set(list(communes))
    roles_cache_clear(counsellor.user)
    return counsellor


def _venue_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The hours checked, the phone in the standard's international form."""
    data = dict(data)
    if "opening_hours" in data:
        data["opening_hours"] = opening_hours_clean(data["opening_hours"])
    if data.get("phone"):
        try:
            data["phone"] = phone_normalize(data["phone"], mobile_only=False)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    return data


def venue_create(
    *, structure: Structure, name: str, commune: Commune, user: AnyUser | None = None, **fields: Any
) -> Venue:
    """Create a venue. Other keyword arguments: the optional fields of `Venue` (see
    VENUE_FIELDS; the list fields hold values of the standard's vocabularies). Coordinates
    default to the commune's; a phone typed as « 02 51 00 00 01 » is stored as the standard
    writes it (« +33251000001 »).

    When `user` is given, they must be a coordinator or a counsellor of `structure`.
    """
    if user is not None and not can_write_structure(user, structure.pk):
        refuse(_("Vous ne pouvez ajouter un lieu que pour votre structure."))
    reject_unknown(fields, VENUE_FIELDS)
    fields = _venue_clean(fields)
    venue = Venue(structure=structure, name=name.strip(), commune=commune, **fields)
    if venue.latitude is None and venue.longitude is None:
        venue.latitude, venue.longitude = commune.latitude, commune.longitude
    venue.full_clean()
    venue.save()
    # The open venue files (/donnees/) list it, cached under this version.
    versions.bump_now_and_on_commit(versions.AGENDA)
    return venue


def venue_update(*, user: AnyUser, venue: Venue, data: dict) -> Venue:
    if not can_write_structure(user, venue.structure_id):
        refuse(_("Vous ne pouvez modifier que les lieux de votre structure."))
    data = _venue_clean(data)
    apply_data(venue, data, VENUE_FIELDS)
    venue.full_clean()
    venue.save()
    # The public agenda shows venues (address, access, hours) on cached pages.
    versions.bump_now_and_on_commit(versions.AGENDA)
    return venue
