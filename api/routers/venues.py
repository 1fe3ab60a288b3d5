"""/api/v1/lieux (open): the active venues in the national standard « Lieux de médiation
numérique » v1.0.2, each row exactly as the open file writes it (`venue_standard_row`,
one definition). The attributes' schema is read from the vendored schema file, so the
OpenAPI document carries the standard's own French descriptions."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, create_model

from api.documents import OPEN_ERRORS, list_schema, resource, resource_schema
from api.pagination import ListQuery, list_document, page_read, unknown_parameters_refuse
from api.selectors.open_data import api_venues, api_venues_complete
from api.selectors.removals import venue_removals
from api.services.usage import api_open_call_count
from learners.models import Venue
from learners.national.lieux import COLUMNS, SCHEMA_PATH, SCHEMA_VERSION, venue_standard_row

router = Router(tags=["Lieux"])

_TYPES: dict[str, Any] = {"number": float, "string": str, "date": datetime.date}


def _attributes_schema() -> type[Schema]:
    fields = {f["name"]: f for f in json.loads(SCHEMA_PATH.read_text())["fields"]}
    columns: dict[str, Any] = {
        name: (
            _TYPES[fields[name].get("type", "string")] | None,
            Field(None, description=fields[name].get("title", "")),
        )
        for name in COLUMNS
    }
    columns["modification"] = (
        datetime.datetime,
        Field(description="dernière modification du lieu (date-heure ; date_maj en est le jour)"),
    )
    return create_model("LieuAttributes", __base__=Schema, **columns)


LieuAttributes = _attributes_schema()
Lieu = resource_schema("lieu", LieuAttributes)


def _venue(venue: Venue) -> dict:
    attributes = dict(venue_standard_row(venue))
    attributes["modification"] = venue.modified
    return resource("lieu", venue.pk, attributes)


@router.get(
    "/lieux",
    response={200: list_schema(Lieu, removable="lieu"), **OPEN_ERRORS},
    auth=None,
    operation_id="lieux",
    summary="liste des lieux",
    description=(
        f"Les lieux en activité du réseau, au standard national « Lieux de médiation "
        f"numérique » v{SCHEMA_VERSION} : les mêmes lieux et les mêmes colonnes que le "
        "fichier ouvert (un lieu auquel manque une colonne obligatoire n'est pas publié ; "
        "une page peut donc compter moins de lignes que page[size] ; avec "
        "filter[modification][depuis], il est signalé comme retiré, statut « supprime »). "
        "L'identifiant JSON:API est celui du lieu dans Pas à pas (le `lieu_id` des séances) ; "
        "`attributes.id` est l'identifiant du standard. Sans clé."
    ),
)
def venues(request: HttpRequest, query: Query[ListQuery]):
    api_open_call_count(request=request)
    unknown_parameters_refuse(request)
    page = page_read(api_venues(), query=query, removals=venue_removals)
    # The cursor stays the last row read, so a left-out venue never stops the sync.
    incremental = bool(query.modified_since)
    page = replace(page, items=api_venues_complete(page.items, incremental=incremental))
    return list_document(request, page, _venue, type_name="lieu")
