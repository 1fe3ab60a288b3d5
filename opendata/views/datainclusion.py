"""The data·inclusion files (`/donnees/data-inclusion/structures.json`, `services.json`):
public, stable addresses for data·inclusion to harvest. Built on each request from a
constant number of queries (opendata/datainclusion/reads.py); never page-cached, so a
change shows at once."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from opendata.datainclusion import datainclusion_services, datainclusion_structures


def _json(records: list[dict]) -> JsonResponse:
    response = JsonResponse(records, safe=False, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def structures(request: HttpRequest) -> JsonResponse:
    return _json(datainclusion_structures())


@require_safe
def services(request: HttpRequest) -> JsonResponse:
    return _json(datainclusion_services())
