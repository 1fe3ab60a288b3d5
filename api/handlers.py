"""Every refusal of the API as a JSON:API error document in French (never Django's HTML
page, never ninja's English `{"detail": ...}`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.errors import ApiError, bad_parameter, not_found, unauthenticated
from caching import front


def _number(value: object) -> str:
    """« 1 000 », as French writes it."""
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def _validation_detail(error: dict) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Ce paramètre doit être un nombre entier.")
    if kind == "greater_than_equal":
        return _("Ce paramètre doit valoir au moins %(min)s.") % {"min": _number(ctx.get("ge"))}
    if kind == "less_than_equal":
        return _("Ce paramètre doit valoir au plus %(max)s.") % {"max": _number(ctx.get("le"))}
    if kind == "string_too_long":
        return _("Ce paramètre compte au plus %(max)s caractères.") % {"max": ctx.get("max_length")}
    if kind == "missing":
        return _("Ce paramètre est obligatoire.")
    return _("Valeur invalide.")


def _validation_error(exc: ValidationError) -> ApiError:
    error = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in error.get("loc", ())]
    parameter = location[-1] if location else "?"
    return bad_parameter(parameter, _validation_detail(error))


# What a key reads, and a refusal of a key, must never sit in a shared cache (nginx, a
# corporate proxy): each depends on the Authorization header.
PRIVATE = "private, no-store"
_KEY_REFUSALS = {401, 403, 429}


# What each answer means, for the OpenAPI document (ninja writes the English reason, « OK »).
RESPONSE_DESCRIPTIONS = {
    "200": "Les données demandées.",
    "202": "Calcul en cours : réessayez après le nombre de secondes indiqué par Retry-After.",
    "400": "Paramètre invalide ou inconnu : l'erreur nomme le paramètre.",
    "401": "Clé d'API absente, inconnue, expirée ou révoquée.",
    "403": "Cette clé n'a pas le droit de lire ces données.",
    "404": "Adresse inconnue.",
    "429": "Trop d'appels : réessayez après le nombre de secondes indiqué par Retry-After.",
}


def _is_open_list(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and request.method in {"GET", "HEAD"}
        and getattr(request, "auth", None) is None
        and "HTTP_AUTHORIZATION" not in request.META
        and front.s_maxage() > 0
    )


class PrivateKeyedApi(NinjaAPI):
    """Every answer to a keyed call, and every 401/403/429, says `private, no-store`; an
    open list served without a key may be kept by shared caches as public pages are
    (`caching.front`: the same few seconds)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if str(status) in RESPONSE_DESCRIPTIONS:
                        response["description"] = RESPONSE_DESCRIPTIONS[str(status)]
        return schema

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if getattr(request, "auth", None) is not None or response.status_code in _KEY_REFUSALS:
            response["Cache-Control"] = PRIVATE
        elif _is_open_list(request, response):
            response["Cache-Control"] = front.public_cache_control()
        return response


def api_error_response(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    response = api.create_response(request, error.document(), status=error.status)
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def install(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return api_error_response(api, request, exc)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api_error_response(api, request, _validation_error(exc))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api_error_response(api, request, unauthenticated())

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api_error_response(api, request, not_found())

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        error = ApiError(exc.status_code, "erreur", _("Requête refusée"), str(exc))
        return api_error_response(api, request, error)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
