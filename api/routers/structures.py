"""/api/v1/structures and /api/v1/conseillers (scope `structures`)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import ClientKey
from api.documents import KEYED_ERRORS, list_schema, resource, resource_schema
from api.pagination import ListQuery, list_document, page_read, unknown_parameters_refuse
from api.scopes import Scope
from api.selectors.removals import counsellor_removals, keyed_removals
from api.selectors.structures import api_counsellors, api_structures
from learners.models import Counsellor, Structure

router = Router(tags=["Structures"], auth=ClientKey(Scope.STRUCTURES))


class CommuneRef(Schema):
    code_insee: str
    nom: str


class StructureAttributes(Schema):
    nom: str
    type: str = Field(description="type de structure (commune, association, france_services…)")
    type_libelle: str
    siret: str | None = Field(description="SIRET, quand il est connu")
    commune: CommuneRef | None
    creation: datetime.datetime
    modification: datetime.datetime = Field(
        description="date de création : une structure ne garde pas trace de ses changements"
    )


class ConseillerAttributes(Schema):
    prenom: str
    nom: str
    structure_id: str
    communes_desservies: list[CommuneRef]
    modification: datetime.datetime = Field(
        description="date de création du compte : un profil ne garde pas trace de ses changements"
    )


StructureResource = resource_schema("structure", StructureAttributes)
ConseillerResource = resource_schema("conseiller", ConseillerAttributes)


def _commune(commune) -> dict | None:
    if commune is None:
        return None
    return {"code_insee": commune.insee_code, "nom": commune.name}


def _structure(structure: Structure) -> dict:
    return resource(
        "structure",
        structure.pk,
        {
            "nom": structure.name,
            "type": structure.kind,
            "type_libelle": str(structure.get_kind_display()),
            "siret": structure.siret or None,
            "commune": _commune(structure.commune),
            "creation": structure.created_at,
            "modification": structure.modified,
        },
    )


def _counsellor(counsellor: Counsellor) -> dict:
    return resource(
        "conseiller",
        counsellor.pk,
        {
            "prenom": counsellor.user.first_name,
            "nom": counsellor.user.last_name,
            "structure_id": str(counsellor.structure_id),
            "communes_desservies": [_commune(c) for c in counsellor.communes.all()],
            "modification": counsellor.modified,
        },
    )


@router.get(
    "/structures",
    operation_id="structures",
    response={200: list_schema(StructureResource, removable="structure"), **KEYED_ERRORS},
    summary="liste des structures",
    description=(
        "Les structures du réseau (employeurs des conseillers et partenaires), ou la seule "
        "structure de la clé si elle y est liée. Droit `structures`."
    ),
)
def structures(request: HttpRequest, query: Query[ListQuery]):
    unknown_parameters_refuse(request)
    page = page_read(
        api_structures(client=request.auth),
        query=query,
        removals=keyed_removals("structure", request.auth),
    )
    return list_document(request, page, _structure, type_name="structure")


@router.get(
    "/conseillers",
    operation_id="conseillers",
    response={200: list_schema(ConseillerResource, removable="conseiller"), **KEYED_ERRORS},
    summary="liste des conseillers",
    description=(
        "Les conseillers numériques : nom, structure, communes desservies (jamais leur "
        "courriel, leur téléphone ni leur identifiant de connexion). Droit `structures`."
    ),
)
def counsellors(request: HttpRequest, query: Query[ListQuery]):
    unknown_parameters_refuse(request)
    page = page_read(
        api_counsellors(client=request.auth),
        query=query,
        removals=counsellor_removals(request.auth),
    )
    return list_document(request, page, _counsellor, type_name="conseiller")
