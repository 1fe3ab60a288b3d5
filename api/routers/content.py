"""/api/v1/fiches and /api/v1/ateliers (open): the network's guides and atelier curricula,
live public pages only."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from api.documents import OPEN_ERRORS, list_schema, resource, resource_schema
from api.pagination import ListQuery, list_document, page_read, unknown_parameters_refuse
from api.routers.references import Reference, competences, references
from api.selectors.open_data import api_ateliers, api_guides
from api.selectors.removals import page_removals
from api.services.usage import api_open_call_count
from workshops.choices import Licence
from workshops.models import AtelierPage, GuidePage

router = Router(tags=["Fiches et ateliers"])


class Competence(Schema):
    code: str
    nom: str
    referentiel: str = Field(description="identifiant du référentiel (socle, crcn…)")


class LicenceRef(Schema):
    code: str = Field(
        description="etalab-2.0, cc-by-4.0, cc-by-sa-4.0, cc-by-nc-sa-4.0 ou tous-droits"
    )
    nom: str
    url: str = Field(description="texte de la licence ; vide pour « tous droits réservés »")


class FicheAttributes(Schema):
    titre: str
    resume: str
    competences: list[Competence]
    thematiques: list[Reference]
    licence: LicenceRef
    url: str = Field(description="adresse publique de la fiche")
    modification: datetime.datetime = Field(description="dernière publication ou déplacement")


class AtelierAttributes(FicheAttributes):
    publics: list[Reference]
    duree_minutes: int


Fiche = resource_schema("fiche", FicheAttributes)
Atelier = resource_schema("atelier", AtelierAttributes)


def _licence(code: str) -> dict:
    """The page's own licence (the editor's choice, Etalab 2.0 by default)."""
    if code not in Licence.values:
        return {"code": code, "nom": code, "url": ""}
    licence = Licence(code)
    return {"code": code, "nom": str(licence.label), "url": licence.url}


def _common(page: GuidePage | AtelierPage, request: HttpRequest) -> dict:
    return {
        "titre": page.title,
        "resume": page.summary,
        "competences": competences(page.competences.all()),
        "thematiques": references(page.themes.all()),
        "licence": _licence(page.licence),
        "url": request.build_absolute_uri(page.get_url(request=request)),
        "modification": page.modified,
    }


@router.get(
    "/fiches",
    response={200: list_schema(Fiche, removable="fiche"), **OPEN_ERRORS},
    auth=None,
    operation_id="fiches",
    summary="liste des fiches pratiques",
    description="Les fiches pratiques publiées, sans clé.",
)
def guides(request: HttpRequest, query: Query[ListQuery]):
    api_open_call_count(request=request)
    unknown_parameters_refuse(request)
    page = page_read(api_guides(), query=query, removals=page_removals("fiche"))
    return list_document(
        request,
        page,
        lambda guide: resource("fiche", guide.pk, _common(guide, request)),
        type_name="fiche",
    )


def _atelier(page: AtelierPage, request: HttpRequest) -> dict:
    attributes = _common(page, request)
    attributes["publics"] = references(page.audiences.all())
    attributes["duree_minutes"] = page.duration_minutes
    return resource("atelier", page.pk, attributes)


@router.get(
    "/ateliers",
    response={200: list_schema(Atelier, removable="atelier"), **OPEN_ERRORS},
    auth=None,
    operation_id="ateliers",
    summary="liste des déroulés d'ateliers",
    description=(
        "Les déroulés d'ateliers publiés (le programme, pas les dates : voir /sessions), sans clé."
    ),
)
def ateliers(request: HttpRequest, query: Query[ListQuery]):
    api_open_call_count(request=request)
    unknown_parameters_refuse(request)
    page = page_read(api_ateliers(), query=query, removals=page_removals("atelier"))
    return list_document(
        request, page, lambda atelier: _atelier(atelier, request), type_name="atelier"
    )
