"""/api/v1/activites (scope `activites`): one anonymous record per session.

Read with the common cursor (`api.pagination`): pages of 100 by default, up to 1,000 for a
full sync, in (modification, id) order. On PostgreSQL each record arrives written as JSON
by the database (`api.selectors.activities`) and the page is joined as text; elsewhere
(SQLite) the records are built in Python (`learners.selectors.activity_records`, the
reference) and serialised with `json.dumps`. Either way the answer is not validated by
pydantic record by record, which cost more than the queries: the pydantic schemas below
describe that same JSON in the OpenAPI document (schemathesis checks the answers).
"""

from __future__ import annotations

import datetime
import json
from typing import Literal

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import ClientKey
from api.documents import KEYED_ERRORS, ListLinks, list_schema, resource_schema
from api.pagination import (
    Cursor,
    ListQuery,
    Page,
    cursor_decode,
    cursor_encode,
    list_document,
    since_parse,
    unknown_parameters_refuse,
)
from api.scopes import Scope
from api.selectors.activities import activity_resources_json
from learners.age_bands import AgeBand
from learners.choices import Gender, SessionKind
from learners.selectors.activity_records import (
    ActivityRecord,
    RecordPosition,
    activity_records_page,
)

router = Router(tags=["Activités"], auth=ClientKey(Scope.ACTIVITIES))

RESOURCE_TYPE = "activite"


class Thematique(Schema):
    slug: str = Field(description="identifiant stable de la thématique")
    libelle: str


class AtelierRef(Schema):
    id: str = Field(description="identifiant du déroulé d'atelier (API « ateliers »)")
    titre: str


class Participants(Schema):
    total: int = Field(description="personnes présentes enregistrées + participants anonymes")
    enregistrees: int = Field(description="personnes enregistrées notées « présent »")
    anonymes: int = Field(description="participants comptés sans fiche")
    par_tranche_age: dict[str, int] = Field(
        description=(
            "total par tranche d'âge à la date de la séance (âge = année de la séance − "
            "année de naissance) : " + ", ".join(f"{band.value} ({band.label})" for band in AgeBand)
        )
    )
    par_genre: dict[str, int] = Field(
        description="total par genre : " + ", ".join(str(g.value) for g in Gender)
    )


class ActiviteAttributes(Schema):
    statut: Literal["active", "annulee"] = Field(
        description="« annulee » : la séance a été annulée (elle reste dans la liste)"
    )
    type: str = Field(description="permanence, atelier, echange ou individuel")
    type_libelle: str
    date: datetime.date = Field(description="jour de la séance (heure de Paris)")
    debut: datetime.datetime
    duree_minutes: int
    type_lieu: str = Field(description="lieu, domicile, distance ou autre")
    structure_id: str
    lieu_id: str | None = Field(description="lieu d'activité (API « lieux »)")
    commune_code_insee: str | None = Field(description="code INSEE de la commune du lieu")
    thematiques: list[Thematique]
    atelier: AtelierRef | None
    competences: list[str] = Field(description="codes des compétences travaillées")
    participants: Participants
    creation: datetime.datetime
    modification: datetime.datetime = Field(
        description=(
            "dernière modification de l'activité : de la séance, de ses thématiques, de ses "
            "présences, de ses participants anonymes ou de l'âge ou du genre d'une personne "
            "présente"
        )
    )


ActiviteResource = resource_schema(RESOURCE_TYPE, ActiviteAttributes)


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def _attributes(record: ActivityRecord, kind_labels: dict[str, str]) -> dict:
    by_gender = record.by_gender()
    return {
        "statut": record.status,
        "type": record.kind,
        "type_libelle": kind_labels.get(record.kind, record.kind),
        "date": timezone.localdate(record.start).isoformat(),
        "debut": _stamp(record.start),
        "duree_minutes": record.duration_minutes,
        "type_lieu": record.place_type,
        "structure_id": str(record.structure_id),
        "lieu_id": str(record.venue_id) if record.venue_id is not None else None,
        "commune_code_insee": record.commune_code,
        "thematiques": [{"slug": t["slug"], "libelle": t["label"]} for t in record.themes],
        "atelier": (
            {"id": str(record.atelier["id"]), "titre": record.atelier["title"]}
            if record.atelier
            else None
        ),
        "competences": record.competences,
        "participants": {
            "total": sum(by_gender.values()),
            "enregistrees": record.present,
            "anonymes": record.anonymous,
            "par_tranche_age": record.by_band(),
            "par_genre": by_gender,
        },
        "creation": _stamp(record.created),
        "modification": _stamp(record.modified),
    }


def _position(query: ListQuery) -> tuple[RecordPosition | None, datetime.datetime | None]:
    after = None
    if query.page_after:
        cursor: Cursor = cursor_decode(query.page_after)
        after = RecordPosition(cursor.modified, cursor.pk)
    since = since_parse(query.modified_since) if query.modified_since else None
    return after, since


def _next_cursor(items: list, size: int, last) -> tuple[list, str | None]:
    """The page without its extra item, and the cursor after `last(page)` if it had one."""
    if len(items) <= size:
        return items, None
    items = items[:size]
    modified, pk = last(items[-1])
    return items, cursor_encode(Cursor(modified, pk))


def _links_as_declared(document: dict) -> dict:
    """`links` exactly as the other lists answer it, serialised by their declared schema
    (`api.documents.ListLinks`)."""
    document["links"] = ListLinks.model_validate(document["links"]).model_dump()
    return document


def _python_page(request: HttpRequest, query: ListQuery) -> str:
    """The reference path (SQLite): records built in Python, then serialised."""
    after, since = _position(query)
    records = activity_records_page(
        structure_id=getattr(request.auth, "structure_id", None),
        since=since,
        after=after,
        size=query.page_size + 1,
    )
    records, next_cursor = _next_cursor(records, query.page_size, lambda r: (r.modified, r.id))
    kind_labels = {kind.value: str(kind.label) for kind in SessionKind}
    page = Page(items=records, size=query.page_size, next_cursor=next_cursor)
    document = _links_as_declared(
        list_document(request, page, lambda r: resource_object(r, kind_labels))
    )
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _postgresql_page(request: HttpRequest, query: ListQuery) -> str:
    """PostgreSQL writes each resource (`api.selectors.activities`); only the page's
    links and meta are serialised here."""
    after, since = _position(query)
    rows = activity_resources_json(
        structure_id=getattr(request.auth, "structure_id", None),
        since=since,
        after=after,
        size=query.page_size + 1,
    )
    rows, next_cursor = _next_cursor(rows, query.page_size, lambda row: (row[1], row[0]))
    page: Page = Page(items=[], size=query.page_size, next_cursor=next_cursor)
    document = _links_as_declared(list_document(request, page, lambda item: item))
    del document["data"]
    rest = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return '{"data":[' + ",".join(row[2] for row in rows) + "]," + rest[1:]


@router.get(
    "/activites",
    response={200: list_schema(ActiviteResource), **KEYED_ERRORS},
    summary="liste des activités (sans nom)",
    description=(
        "Une activité par séance : date, type, durée, lieu et commune, thématiques, atelier, "
        "compétences travaillées, nombre de participants par tranche d'âge et par genre. "
        "Jamais de nom, de téléphone, de courriel ni d'année de naissance. Triée par "
        "(modification, id) croissants : suivez links.next jusqu'à son absence, puis "
        "reprenez plus tard avec filter[modification][depuis]. Une séance annulée reste "
        "dans la liste avec le statut « annulee ». Pour une synchronisation complète, "
        "demandez des pages de 1 000 (page[size]=1000). Droit `activites` ; une clé liée à "
        "une structure ne voit que ses activités."
    ),
)
def activities(request: HttpRequest, query: Query[ListQuery]):
    unknown_parameters_refuse(request)
    if connection.vendor == "postgresql":
        body = _postgresql_page(request, query)
    else:
        body = _python_page(request, query)
    return HttpResponse(body, content_type="application/json")


def resource_object(record: ActivityRecord, kind_labels: dict[str, str]) -> dict:
    return {
        "type": RESOURCE_TYPE,
        "id": str(record.id),
        "attributes": _attributes(record, kind_labels),
    }
