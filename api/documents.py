"""JSON:API documents, as La Coop's API v1 writes them, so one client reads both.

A list answers `{"data": [{"type", "id", "attributes"}], "links": {"self", "next"},
"meta": {...}}`; a refusal answers `{"errors": [{"status", "code", "title", "detail",
"source": {"parameter"}}]}`. The pydantic schemas below are what the OpenAPI document
shows; each endpoint builds its resource and list schemas with `resource_schema` and
`list_schema` so the document names every attribute.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, create_model


class ErrorSource(Schema):
    parameter: str = Field(description=str(_("paramètre de la requête en cause")))


class ErrorObject(Schema):
    status: str = Field(description=str(_("code HTTP, en texte")), examples=["400"])
    code: str = Field(
        description=str(_("code stable de l'erreur, pour les programmes")),
        examples=["parametre_invalide"],
    )
    title: str = Field(description=str(_("résumé en français")))
    detail: str | None = Field(None, description=str(_("explication en français")))
    source: ErrorSource | None = None


class ErrorDocument(Schema):
    errors: list[ErrorObject]


class ListLinks(Schema):
    # Named `self`, not `self_` with an alias: django-ninja serialises answers by field name.
    self: str = Field(description=str(_("lien vers cette page")))
    next: str | None = Field(
        None,
        description=str(
            _("lien vers la page suivante ; absent quand la liste est entièrement lue")
        ),
    )


class ListMeta(Schema):
    items_per_page: int = Field(description=str(_("nombre maximum d'éléments par page")))
    has_next_page: bool = Field(description=str(_("indique s'il existe une page suivante")))
    next_cursor: str | None = Field(
        None, description=str(_("valeur à passer dans page[after] pour la page suivante"))
    )


def resource_schema(type_name: str, attributes: type[Schema]) -> type[Schema]:
    """`{"type": "<type_name>", "id": "...", "attributes": {...}}`."""
    name = attributes.__name__.removesuffix("Attributes")
    return create_model(  # type: ignore[call-overload]
        name,
        __base__=Schema,
        type=(Literal[type_name], Field(description=str(_("type de la ressource")))),
        id=(str, Field(description=str(_("identifiant stable")))),
        attributes=(attributes, ...),
    )


class RemovedAttributes(Schema):
    statut: Literal["supprime"] = Field(
        description=str(
            _(
                "la ressource a quitté la liste (supprimée, dépubliée, annulée) depuis la "
                "date de filter[modification][depuis] : la retirer de vos données"
            )
        )
    )
    modification: datetime.datetime = Field(description=str(_("date-heure du retrait")))


def list_schema(resource: type[Schema], *, removable: str = "") -> type[Schema]:
    """A list of `resource`; with `removable` (the type name), its items may also be
    removals (`statut: "supprime"`), listed only with filter[modification][depuis]."""
    item: Any = resource
    if removable:
        removed = create_model(  # type: ignore[call-overload]
            f"{resource.__name__}Retrait",
            __base__=Schema,
            type=(Literal[removable], Field(description=str(_("type de la ressource")))),
            id=(str, Field(description=str(_("identifiant stable")))),
            attributes=(RemovedAttributes, ...),
        )
        item = resource | removed
    return create_model(  # type: ignore[call-overload]
        f"{resource.__name__}List",
        __base__=Schema,
        data=(list[item], ...),  # type: ignore[valid-type]
        links=(ListLinks, ...),
        meta=(ListMeta, ...),
    )


def resource(type_name: str, pk: Any, attributes: dict) -> dict:
    return {"type": type_name, "id": str(pk), "attributes": attributes}


# Responses every list declares: the OpenAPI document tells what each refusal looks like.
OPEN_ERRORS: dict[int, type[Schema]] = {400: ErrorDocument, 429: ErrorDocument}
KEYED_ERRORS: dict[int, type[Schema]] = {
    400: ErrorDocument,
    401: ErrorDocument,
    403: ErrorDocument,
    429: ErrorDocument,
}
