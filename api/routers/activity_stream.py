"""/api/v1/activites/flux (scope `activites`): every activity record in one answer, NDJSON.

For a warehouse's full and incremental syncs: the records of /activites, identical and in
the same (modification, id) order, one JSON:API resource object per line
(`application/x-ndjson`), then one last line `{"meta": {...}, "links": {"next": ...}}`
saying how many records were sent, the last modification read and the address to call
next time (the same stream with `filter[modification][depuis]` at that modification). A
stream cut before that last line is resumed the same way from the last record received:
records modified at that same moment are sent again, and a warehouse keyed by id
overwrites them.

One call is one call: one key check, one count against the client's rate limit, one
line in the audit log, whatever the number of records.

On PostgreSQL the records come from ONE statement (`api.selectors.activities`,
`activity_resources_ndjson`): each row is already the resource's JSON text, sent by
PostgreSQL's COPY as it is made and written out in blocks of lines as it comes (no
parsing again, only the last line of the last block, for the final line's modification),
so memory stays flat. Elsewhere (SQLite) the Python reference builder
(`learners.selectors.activity_records`) is read page after page of `CHUNK` records.
"""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import ClientKey
from api.documents import KEYED_ERRORS
from api.errors import bad_parameter
from api.pagination import SINCE, since_parse
from api.routers.activities import resource_object
from api.scopes import Scope
from api.selectors.activities import activity_resources_ndjson
from learners.choices import SessionKind
from learners.selectors.activity_records import RecordPosition, activity_records_page

router = Router(tags=["Activités"], auth=ClientKey(Scope.ACTIVITIES))

CONTENT_TYPE = "application/x-ndjson"
CHUNK = 1000


class StreamQuery(Schema):
    modified_since: str | None = Field(
        None,
        alias="filter[modification][depuis]",
        json_schema_extra={"format": "date-time", "example": "2026-09-01T00:00:00Z"},
        description=(
            "ne retourne que les activités modifiées à cette date-heure ou après (ISO 8601 ; "
            "sans fuseau horaire, l'heure de Paris) : la valeur meta.derniere_modification "
            "du flux précédent"
        ),
    )


def _refuse_other_parameters(request: HttpRequest) -> None:
    for name in request.GET:
        if name.startswith(("page[", "filter[")) and name != SINCE:
            raise bad_parameter(
                name,
                _(
                    "Paramètre inconnu. Le flux n'est pas découpé en pages ; seul %(known)s "
                    "est reconnu."
                )
                % {"known": SINCE},
                code="parametre_inconnu",
            )


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def _python_blocks(*, structure_id: int | None, since: datetime.datetime | None):
    """Blocks of `CHUNK` whole lines, from the Python reference builder (SQLite)."""
    kind_labels = {kind.value: str(kind.label) for kind in SessionKind}
    after = None
    while True:
        records = activity_records_page(
            structure_id=structure_id, since=since, after=after, size=CHUNK
        )
        if records:
            texts = (
                json.dumps(
                    resource_object(r, kind_labels), ensure_ascii=False, separators=(",", ":")
                )
                for r in records
            )
            yield ("\n".join(texts) + "\n").encode()
        if len(records) < CHUNK:
            return
        after = RecordPosition(records[-1].modified, records[-1].id)


def _last_modification(block: bytes) -> str:
    """The modification of the last record of a block (its last line)."""
    last_line = block[block.rfind(b"\n", 0, len(block) - 1) + 1 :]
    return json.loads(last_line)["attributes"]["modification"]


def _lines(request: HttpRequest, structure_id: int | None, since: datetime.datetime | None):
    """The body, block by block: the records' lines, then the final meta line."""
    read = activity_resources_ndjson if connection.vendor == "postgresql" else _python_blocks
    count, last_block = 0, b""
    for block in read(structure_id=structure_id, since=since):
        count += block.count(b"\n")
        last_block = block
        yield block
    last = _last_modification(last_block) if last_block else (_stamp(since) if since else None)
    yield (_final_line(request, count, last) + "\n").encode()


def _final_line(request: HttpRequest, count: int, stamp: str | None) -> str:
    query = urlencode({SINCE: stamp}) if stamp else ""
    base = request.build_absolute_uri(request.path)
    final = {
        "meta": {"enregistrements": count, "derniere_modification": stamp},
        "links": {"next": f"{base}?{query}" if query else base},
    }
    return json.dumps(final, ensure_ascii=False, separators=(",", ":"))


_FINAL_LINE_SCHEMA = {
    "type": "object",
    "required": ["meta", "links"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["enregistrements", "derniere_modification"],
            "properties": {
                "enregistrements": {"type": "integer", "description": "activités envoyées"},
                "derniere_modification": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": "modification de la dernière activité envoyée",
                },
            },
        },
        "links": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"type": "string", "description": "le flux suivant"}},
        },
    },
}
_RESPONSE_DOC = {
    "200": {
        "description": (
            "une ressource « activite » par ligne (JSON), identique à celles de "
            "/activites, puis une dernière ligne {meta, links}"
        ),
        "content": {
            CONTENT_TYPE: {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Activite"},
                        _FINAL_LINE_SCHEMA,
                    ]
                }
            }
        },
    }
}


@router.get(
    "/activites/flux",
    response={**KEYED_ERRORS},
    summary="flux des activités (NDJSON), pour une synchronisation complète ou incrémentale",
    description=(
        "Toutes les activités de /activites, dans le même ordre (modification, id), en une "
        "seule réponse au format NDJSON (application/x-ndjson) : une ressource « activite » "
        'par ligne, puis une dernière ligne {"meta": {"enregistrements", '
        '"derniere_modification"}, "links": {"next"}}. Appelez links.next la '
        "prochaine fois pour ne recevoir que ce qui a changé ; si le flux est coupé, "
        "reprenez avec filter[modification][depuis] égal à la modification de la dernière "
        "ligne reçue (les activités de ce même instant sont renvoyées). Un appel compte "
        "pour un seul dans la limite de débit. Droit `activites` ; une clé liée à une "
        "structure ne voit que ses activités."
    ),
    openapi_extra={"responses": _RESPONSE_DOC},
)
def activity_stream(request: HttpRequest, query: Query[StreamQuery]):
    _refuse_other_parameters(request)
    since = since_parse(query.modified_since) if query.modified_since else None
    structure_id = getattr(request.auth, "structure_id", None)
    response = StreamingHttpResponse(
        _lines(request, structure_id, since), content_type=CONTENT_TYPE
    )
    # No buffering by a reverse proxy (nginx reads this header): lines go out as written.
    response["X-Accel-Buffering"] = "no"
    return response
