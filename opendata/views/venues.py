"""/donnees/lieux-de-mediation-numerique.csv and .json: the network's venues in the national
standard, for the national map to harvest. Public (no login), stable addresses, streamed.

The CSV is the standard's file exactly (UTF-8, comma, the schema's 32 columns in order, `|`
between the values of a multi-valued cell). The JSON is an array of the same records with
the same strings (`|` included) and numbers for the coordinates: the national map's own
API serves the standard that way, and one schema then validates both files.

Open data: GET and HEAD, readable from any site (CORS), and public for shared caches
(`front_cached`) under the agenda's version, which every venue or structure change bumps:
a harvester's conditional request is answered 304 before a row is read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from caching import front, versions
from learners.national.lieux import COLUMNS, Row
from learners.national.producer import producer_slug
from learners.selectors.venues_standard import open_venue_rows

STEM = "lieux-de-mediation-numerique"


def file_name(extension: str) -> str:
    """« AAAA-MM-JJ_<producteur>_lieux-de-mediation-numerique_<territoire>.<extension> »,
    as the standard recommends, from the settings (slugified)."""
    producer = producer_slug()
    territory = slugify(settings.OPEN_DATA_TERRITORY) or "territoire"
    return f"{timezone.localdate():%Y-%m-%d}_{producer}_{STEM}_{territory}.{extension}"


class _Line:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])


def json_chunks(rows: Iterable[Row]) -> Iterator[str]:
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def _response(chunks: Iterator[str], content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(extension)}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@front.front_cached
@require_safe
def venues_csv(request):
    versions.current(versions.AGENDA, request=request)
    return _response(csv_lines(open_venue_rows()), "text/csv; charset=utf-8", "csv")


@front.front_cached
@require_safe
def venues_json(request):
    versions.current(versions.AGENDA, request=request)
    return _response(json_chunks(open_venue_rows()), "application/json", "json")
