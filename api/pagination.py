"""Cursor pagination and incremental sync, as La Coop's API v1 offers them.

A list is read in the order of (modification date-time, id), ascending: a warehouse
follows `links.next` until it is absent, keeps the last `modification` it saw, and later
asks only for what changed since with `filter[modification][depuis]`. Ascending order
makes that one loop: a row changed during the sync moves to the end and is read again,
never skipped (descending order, La Coop's, would skip it).

The cursor (`page[after]`) is the last row's (modification, id), base64url-encoded: a
keyset, so page 10,000 costs what page 1 does (an index on (modification, id) serves it),
where OFFSET would read every skipped row. It is opaque to clients, who must not build it.

Page size: 100 by default, as asked of the activity list; at most 1,000. A page is read,
serialised and validated in memory: 1,000 rows of a few hundred bytes keep one answer
under about 1 MB and a few tens of milliseconds, while cutting a full sync's round trips
tenfold. No total count: counting millions of rows would cost more than the page itself.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from api.errors import ApiError, bad_parameter

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
CURSOR_MAX_LENGTH = 200

SIZE = "page[size]"
AFTER = "page[after]"
SINCE = "filter[modification][depuis]"
KNOWN = frozenset({SIZE, AFTER, SINCE})

M = TypeVar("M", bound=Model)
T = TypeVar("T")


class ListQuery(Schema):
    """The query parameters every list takes (`Query[ListQuery]` in an operation)."""

    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        alias="page[size]",
        ge=1,
        le=MAX_PAGE_SIZE,
        description="nombre maximum d'éléments à retourner (100 par défaut, 1 000 au plus)",
    )
    page_after: str | None = Field(
        None,
        alias="page[after]",
        max_length=CURSOR_MAX_LENGTH,
        description=(
            "curseur de pagination pour obtenir les éléments suivants : la valeur de "
            "meta.next_cursor de la page précédente (links.next la contient déjà)"
        ),
    )
    modified_since: str | None = Field(
        None,
        alias="filter[modification][depuis]",
        json_schema_extra={"format": "date-time", "example": "2026-09-01T00:00:00Z"},
        description=(
            "retourne les éléments modifiés à cette date-heure ou après (ISO 8601 ; "
            "sans fuseau horaire, l'heure de Paris)"
        ),
    )


@dataclass(frozen=True)
class Cursor:
    modified: datetime.datetime
    pk: int


def cursor_encode(cursor: Cursor) -> str:
    raw = json.dumps([cursor.modified.isoformat(), cursor.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _unreadable_cursor() -> ApiError:
    return bad_parameter(
        AFTER,
        _(
            "Curseur illisible. Reprenez la valeur de meta.next_cursor ou le lien "
            "links.next de la page précédente, sans la modifier."
        ),
        code="curseur_invalide",
    )


def cursor_decode(token: str) -> Cursor:
    """The cursor a client sent back, or a 400 error naming `page[after]`."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        modified, pk = json.loads(raw)
        moment = datetime.datetime.fromisoformat(modified)
        if moment.tzinfo is None or type(pk) is not int or pk < 0 or pk > 2**63 - 1:
            raise _unreadable_cursor()
        # In UTC here: a far offset on year 1 or 9999 must fail now, not in the database.
        return Cursor(moment.astimezone(datetime.UTC), pk)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise _unreadable_cursor() from None


def since_parse(value: str) -> datetime.datetime:
    """`filter[modification][depuis]`: an ISO 8601 date-time (or a date: midnight), in
    Paris time when it names no offset; a 400 error otherwise."""
    error = bad_parameter(
        SINCE,
        _(
            "Date-heure illisible : « %(value)s ». Écrivez-la en ISO 8601, par exemple "
            "2026-09-01T08:30:00Z ou 2026-09-01."
        )
        % {"value": value[:40]},
        code="date_invalide",
    )
    try:
        moment = parse_datetime(value.strip())
        if moment is None:
            day = parse_date(value.strip())
            if day is None:
                raise error
            moment = datetime.datetime.combine(day, datetime.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise error from None


def unknown_parameters_refuse(request: HttpRequest) -> None:
    """A misspelt filter must not silently return everything (JSON:API asks for a 400)."""
    for name in request.GET:
        if name.startswith(("page[", "filter[")) and name not in KNOWN:
            raise bad_parameter(
                name,
                _("Paramètre inconnu. Les paramètres reconnus : %(known)s.")
                % {"known": ", ".join(sorted(KNOWN))},
                code="parametre_inconnu",
            )


@dataclass(frozen=True)
class Removed:
    """A record that left the list (deleted, unpublished, cancelled): reported with
    `filter[modification][depuis]` as `{"type", "id", "attributes": {"statut":
    "supprime", "modification"}}`, in the list's order."""

    pk: int
    modified: datetime.datetime


REMOVED = "supprime"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    size: int
    next_cursor: str | None


def _window(rows: QuerySet, query: ListQuery, modified: str, pk: str) -> QuerySet:
    """`rows` from `depuis` and after the cursor, in (modified, pk) order, one page + 1."""
    if query.modified_since:
        rows = rows.filter(**{f"{modified}__gte": since_parse(query.modified_since)})
    if query.page_after:
        cursor = cursor_decode(query.page_after)
        rows = rows.filter(
            Q(**{f"{modified}__gt": cursor.modified})
            | Q(**{modified: cursor.modified, f"{pk}__gt": cursor.pk})
        )
    return rows.order_by(modified, pk)[: query.page_size + 1]


def page_read(
    queryset: QuerySet[M],
    *,
    query: ListQuery,
    modified: str = "modified",
    removals: Callable[[], list[QuerySet]] | None = None,
) -> Page[Any]:
    """One page of `queryset` in (modified, pk) order. `modified` names a field or an
    annotation holding each row's last modification date-time. With
    `filter[modification][depuis]`, the records that left the list since (`removals`:
    querysets annotated with `modified` and `rid`, the record's id) are merged into the
    same order as `Removed` items; a full sync (no `depuis`) lists none."""
    rows: list[tuple[datetime.datetime, int, Any]] = [
        (getattr(item, modified), item.pk, item)
        for item in _window(queryset, query, modified, "pk")
    ]
    if removals is not None and query.modified_since:
        for source in removals():
            rows += [
                (moment, rid, Removed(rid, moment))
                for moment, rid in _window(source, query, "modified", "rid").values_list(
                    "modified", "rid"
                )
            ]
        rows.sort(key=lambda row: (row[0], row[1]))
    has_next = len(rows) > query.page_size
    rows = rows[: query.page_size]
    next_cursor = None
    if has_next:
        last_modified, last_pk, _item = rows[-1]
        next_cursor = cursor_encode(Cursor(last_modified, last_pk))
    return Page(
        items=[item for _m, _pk, item in rows], size=query.page_size, next_cursor=next_cursor
    )


def _link(request: HttpRequest, cursor: str | None) -> str:
    params = request.GET.copy()
    params.pop(AFTER, None)
    if cursor is not None:
        params[AFTER] = cursor
    query = params.urlencode(safe="[]")
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def list_document(
    request: HttpRequest,
    page: Page[Any],
    serialize: Callable[[Any], dict],
    *,
    type_name: str = "",
) -> dict:
    """The JSON:API list document of one page (a `Removed` item as a `type_name` resource
    with `statut: "supprime"`)."""

    def item(row: Any) -> dict:
        if isinstance(row, Removed):
            attributes = {"statut": REMOVED, "modification": row.modified}
            return {"type": type_name, "id": str(row.pk), "attributes": attributes}
        return serialize(row)

    links: dict[str, str | None] = {"self": request.build_absolute_uri()}
    if page.next_cursor is not None:
        links["next"] = _link(request, page.next_cursor)
    return {
        "data": [item(row) for row in page.items],
        "links": links,
        "meta": {
            "items_per_page": page.size,
            "has_next_page": page.next_cursor is not None,
            "next_cursor": page.next_cursor,
        },
    }
