"""Errors the API answers with, as JSON:API error documents (`{"errors": [...]}`).

Every refusal goes through `ApiError`, so each answer carries a French message, the HTTP
status as a string (JSON:API 1.1 § 11.2) and, for a bad query parameter, its name in
`source.parameter`: a warehouse can log and fix it without reading our code.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        parameter: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.parameter = parameter
        self.retry_after = retry_after

    def document(self) -> dict:
        error: dict = {"status": str(self.status), "code": self.code, "title": self.title}
        if self.detail:
            error["detail"] = self.detail
        if self.parameter:
            error["source"] = {"parameter": self.parameter}
        return {"errors": [error]}


def bad_parameter(parameter: str, detail: str, *, code: str = "parametre_invalide") -> ApiError:
    return ApiError(400, code, _("Paramètre invalide"), detail, parameter=parameter)


def unauthenticated() -> ApiError:
    return ApiError(
        401,
        "cle_invalide",
        _("Clé d'API absente, inconnue, expirée ou révoquée"),
        _(
            "Envoyez l'en-tête « Authorization: Bearer <identifiant>:<secret> » avec une clé "
            "en cours de validité, créée par la coordination du réseau."
        ),
    )


def forbidden(scope_label: str) -> ApiError:
    return ApiError(
        403,
        "droit_manquant",
        _("Cette clé n'a pas le droit de lire ces données"),
        _("Il faut le droit « %(scope)s ». Demandez-le à la coordination du réseau.")
        % {"scope": scope_label},
    )


def _retry_later(title: str, limit_sentence: str, retry_after: int) -> ApiError:
    """A 429: what the limit is, then when to try again."""
    again = ngettext(
        "Réessayez dans %(seconds)s seconde.",
        "Réessayez dans %(seconds)s secondes.",
        retry_after,
    ) % {"seconds": retry_after}
    return ApiError(
        429, "trop_d_appels", title, f"{limit_sentence} {again}", retry_after=retry_after
    )


def too_many_requests(limit: int, retry_after: int) -> ApiError:
    return _retry_later(
        _("Trop d'appels"),
        ngettext(
            "Cette clé est limitée à %(limit)s appel par minute.",
            "Cette clé est limitée à %(limit)s appels par minute.",
            limit,
        )
        % {"limit": limit},
        retry_after,
    )


def too_many_requests_from_address(limit: int, retry_after: int) -> ApiError:
    return _retry_later(
        _("Trop d'appels depuis cette adresse"),
        ngettext(
            "Sans clé valide, une adresse est limitée à %(limit)s appel par minute.",
            "Sans clé valide, une adresse est limitée à %(limit)s appels par minute.",
            limit,
        )
        % {"limit": limit},
        retry_after,
    )


def not_found() -> ApiError:
    return ApiError(404, "introuvable", _("Adresse inconnue"), _("Consultez /api/v1/docs."))
