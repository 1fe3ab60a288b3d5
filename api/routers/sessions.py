"""/api/v1/sessions (open): the public agenda's upcoming sessions."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from api.documents import OPEN_ERRORS, list_schema, resource, resource_schema
from api.pagination import (
    ListQuery,
    Removed,
    list_document,
    page_read,
    unknown_parameters_refuse,
)
from api.routers.references import Reference, references
from api.selectors.open_data import api_session_places, api_sessions
from api.selectors.removals import session_removals
from api.services.usage import api_open_call_count
from learners.models import Session
from learners.selectors.places import Places

router = Router(tags=["Agenda"])


class AtelierRef(Schema):
    id: str
    titre: str
    url: str | None = Field(description="adresse publique du déroulé, s'il est publié")


class SessionAttributes(Schema):
    titre: str
    type: str = Field(description="atelier, permanence, temps d'échange…")
    type_libelle: str
    debut: datetime.datetime
    fin: datetime.datetime
    duree_minutes: int
    niveau: str | None
    atelier: AtelierRef | None
    lieu_id: str = Field(description="identifiant du lieu dans /lieux")
    places_restantes: int | None = Field(
        description="places libres au moment de la lecture ; vide quand elles ne sont pas limitées"
    )
    thematiques: list[Reference]
    publics: list[Reference]
    url: str = Field(description="page publique de la séance, pour s'y inscrire")
    modification: datetime.datetime = Field(
        description="dernière modification de la séance (une inscription ne la change pas)"
    )


SessionResource = resource_schema("session", SessionAttributes)


def _atelier(session: Session, request: HttpRequest) -> dict | None:
    atelier = session.atelier
    if atelier is None:
        return None
    url = request.build_absolute_uri(atelier.get_url(request=request)) if atelier.live else None
    return {"id": str(atelier.pk), "titre": atelier.title, "url": url}


def _audiences(session: Session) -> list[dict]:
    seen = {a.pk: a for a in session.audiences.all()}
    if session.atelier is not None:
        for audience in session.atelier.audiences.all():
            seen.setdefault(audience.pk, audience)
    return references(seen.values())


def _session(session: Session, places: Places, request: HttpRequest) -> dict:
    return resource(
        "session",
        session.pk,
        {
            "titre": session.display_title,
            "type": session.kind,
            "type_libelle": str(session.get_kind_display()),
            "debut": session.start,
            "fin": session.end,
            "duree_minutes": session.duration_minutes,
            "niveau": session.level or None,
            "atelier": _atelier(session, request),
            "lieu_id": str(session.venue_id),
            "places_restantes": places.free,
            "thematiques": references(session.themes.all()),
            "publics": _audiences(session),
            "url": request.build_absolute_uri(reverse("agenda:session", args=[session.pk])),
            "modification": session.modified,
        },
    )


@router.get(
    "/sessions",
    response={200: list_schema(SessionResource, removable="session"), **OPEN_ERRORS},
    auth=None,
    operation_id="sessions",
    summary="liste des séances à venir",
    description=(
        "Les séances publiées et à venir de l'agenda public (ateliers, permanences, temps "
        "d'échange ; jamais les rendez-vous individuels), sans clé."
    ),
)
def sessions(request: HttpRequest, query: Query[ListQuery]):
    api_open_call_count(request=request)
    unknown_parameters_refuse(request)
    page = page_read(api_sessions(), query=query, removals=session_removals)
    places = api_session_places([s for s in page.items if not isinstance(s, Removed)])
    return list_document(
        request, page, lambda s: _session(s, places[s.pk], request), type_name="session"
    )
